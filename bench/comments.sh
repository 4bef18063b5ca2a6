#!/usr/bin/env bash
# Benchmark: comment POSTs per second from a logged-in reader (form, CSRF, sanitizer, group commit, 303).
# Usage: bench/comments.sh   (env: QUIRE_BIN, BENCH_DURATION=10s, BENCH_CONNECTIONS=32, BENCH_THREADS=nproc,
#                             BENCH_SERVER_THREADS=16: quire's HTTP threads (QUIRE_THREADS),
#                             BENCH_MIN_RPS=1500: the run fails below it; 0 only reports,
#                             BENCH_STORE=sqlite|postgres|URL: the SQLite file, a private PostgreSQL cluster started
#                             for the run, or a store URL; BENCH_DB_PID: the database server's postmaster, whose CPU
#                             time is reported per POST: the private cluster's by default)
# A comment is answered once it is on disk; while one batch syncs, the writers that arrive meanwhile
# queue for the next. How many can queue is how many requests are in flight at once: the server's
# HTTP threads. The default (one per core) allows two here, so the benchmark runs quire with
# BENCH_SERVER_THREADS (the setting a write-heavy site would use) and reports that number.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QUIRE_BIN="${QUIRE_BIN:-$root/build/quire}"
duration="${BENCH_DURATION:-10s}"
conns="${BENCH_CONNECTIONS:-32}"
cores="$(nproc 2>/dev/null || echo 2)"
threads="${BENCH_THREADS:-$cores}"
min_rps="${BENCH_MIN_RPS:-1500}"
server_threads="${BENCH_SERVER_THREADS:-16}"

die() {
	echo "bench: $*" >&2
	exit 1
}
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

for tool in wrk curl awk sed; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found (run scripts/deps.sh bench)"
done
[ -x "$QUIRE_BIN" ] || die "no quire binary at $QUIRE_BIN (run make build)"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/quire-bench-comments.XXXXXX")"
quire_pid=""
cleanup() {
	bench_stop "$quire_pid"
	bench_pg_stop
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

store=(--data "$tmp/data")
backend="${BENCH_STORE:-sqlite}"
case "$backend" in
sqlite) ;;
postgres)
	bench_pg_start "$tmp/pg"
	store+=(--store "$(bench_pg_database)")
	BENCH_DB_PID="${BENCH_DB_PID:-$(cat "$tmp/pg/pid")}"
	;;
*) store+=(--store "$backend") ;;
esac
QUIRE_THREADS="$server_threads" QUIRE_PASSWORD_COST=min bench_start_quire "$tmp/quire.log" "${store[@]}" --no-demo
quire_pid="$BENCH_PID"
base="$BENCH_BASE"

# The poster is a site admin: accounts may post 30 comments in 15 minutes, admins are not limited.
pw="bench password 1"
echo "$pw" | QUIRE_PASSWORD_COST=min "$QUIRE_BIN" user add bench bench@example.org --role admin \
	"${store[@]}" >/dev/null || die "quire user add failed"
echo "$pw" | QUIRE_PASSWORD_COST=min "$QUIRE_BIN" user add writer writer@example.org \
	"${store[@]}" >/dev/null || die "quire user add failed"
token="$("$QUIRE_BIN" token add writer "${store[@]}" | tail -n 1 | tr -d '[:space:]')"
created="$(curl -s -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
	--data '{"title":"Bench Work","rating":"General Audiences","warnings":["No Archive Warnings Apply"],"fandoms":["Bench"],"chapter":{"content":"A chapter to comment on, long enough.","format":"text"}}' \
	"$base/api/v1/works" | tr -d '\n')"
work_id="$(sed -nE 's/^\{.*"url"[[:space:]]*:[[:space:]]*"\/works\/([0-9]+)".*/\1/p' <<<"$created")"
chapter_id="$(sed -nE 's/.*"chapters"[[:space:]]*:[[:space:]]*\[[[:space:]]*\{[^}]*"id"[[:space:]]*:[[:space:]]*([0-9]+).*/\1/p' <<<"$created")"
[ -n "$work_id" ] && [ -n "$chapter_id" ] || die "cannot read work and chapter ids from: ${created:0:300}"

# Log in through the form like a browser: CSRF cookie, log-in, then the token bound to the session.
jar="$tmp/cookies"
csrf="$(curl -s -c "$jar" -b "$jar" "$base/login" | sed -nE 's/.*name="csrf_token" value="([0-9a-f]+)".*/\1/p' | head -n1)"
code="$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "csrf_token=$csrf" \
	--data-urlencode "username=bench" --data-urlencode "password=$pw" "$base/login")"
[ "$code" = 303 ] || die "log-in answered $code"
page="/works/$work_id/chapters/$chapter_id"
csrf="$(curl -s -b "$jar" "$base$page" | sed -nE 's/.*name="csrf_token" value="([0-9a-f]+)".*/\1/p' | head -n1)"
session="$(awk '$6 == "quire_session" { print $7 }' "$jar")"
[ -n "$csrf" ] && [ -n "$session" ] || die "no session or CSRF token after log-in"

cat >"$tmp/comments.lua" <<EOF
-- Each request posts a new comment (a counter keeps the texts apart) as the logged-in reader.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "quire_session=$session"
local n = 0
request = function()
  n = n + 1
  local body = "csrf_token=$csrf&body=Comment+number+" .. n .. "+from+the+benchmark%2C+with+%3Cem%3Esome%3C%2Fem%3E+markup."
  return wrk.format(nil, "$page/comments", nil, body)
end
EOF

# A refused comment (4xx, 5xx) shows in wrk's "Non-2xx or 3xx responses" line and fails the run.
before="$(curl -s "$base/api/v1/chapters/$chapter_id/comments" | sed -nE 's/.*"count":([0-9]+).*/\1/p')"
warm="$(wrk -t"$threads" -c"$conns" -d2s -s "$tmp/comments.lua" "$base" 2>&1)" || true
if grep -q "Non-2xx or 3xx responses" <<<"$warm"; then
	die "the warm-up got refused answers: $warm"
fi
# BENCH_HOOK: a command run as the measurement starts, e.g. perf record -p "$quire_pid" (profiling).
[ -n "${BENCH_HOOK:-}" ] && eval "$BENCH_HOOK"
trips_before="$(bench_round_trips "$base")"
cpu_before="$(bench_cpu_ticks "$quire_pid")"
db_before="$(bench_tree_ticks "${BENCH_DB_PID:-}")"
out="$(wrk -t"$threads" -c"$conns" -d"$duration" --latency -s "$tmp/comments.lua" "$base" 2>&1)" || die "wrk failed"
printf '%s\n' "--- comment POSTs: $base$page/comments" "$out" >&2
if grep -q "Non-2xx or 3xx responses" <<<"$out"; then
	die "refused answers during the run"
fi
rps="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")"
total="$(awk '/requests in/ { print $1 }' <<<"$out")"
cpu_after="$(bench_cpu_ticks "$quire_pid")"
db_after="$(bench_tree_ticks "${BENCH_DB_PID:-}")"
trips_after="$(bench_round_trips "$base")"
after="$(curl -s "$base/api/v1/chapters/$chapter_id/comments" | sed -nE 's/.*"count":([0-9]+).*/\1/p')"
echo "bench: $total comments answered in the run; the chapter now counts $after (from $before before the warm-up)" >&2
[ -n "$after" ] && [ "$after" -ge "$total" ] || die "fewer comments stored ($after) than answered ($total)"
awk -v r="$rps" -v c="$conns" -v t="$server_threads" -v n="$total" -v tb="$trips_before" -v ta="$trips_after" \
	-v cb="$cpu_before" -v ca="$cpu_after" -v hz="$(getconf CLK_TCK)" -v store="${backend%%:*}" \
	-v db="${BENCH_DB_PID:-}" -v dbb="$db_before" -v dba="$db_after" \
	'BEGIN { printf "comments (%s): %.1f POSTs/s (%d connections, %d server threads, durable, group commit);" \
		" per POST: quire CPU %.0f us", store, r, c, t, (ca - cb) * 1e6 / hz / n
		if (db != "") printf ", database server CPU %.0f us", (dba - dbb) * 1e6 / hz / n
		printf ", %.1f store round trips\n", (ta - tb) / n }'
if [ "$min_rps" != 0 ] && awk -v r="$rps" -v m="$min_rps" 'BEGIN { exit !(r < m) }'; then
	die "below the target of $min_rps comment POSTs per second"
fi
