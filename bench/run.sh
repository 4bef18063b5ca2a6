#!/usr/bin/env bash
# Benchmark: a 5,000-word chapter page with its kudos, comment form and 10 comments from quire, for a guest and
# for a logged-in reader, each against nginx serving the same bytes as a static file, measured in the same run.
# Usage: bench/run.sh   (env: QUIRE_BIN, BENCH_DURATION=10s, BENCH_CONNECTIONS=64, BENCH_THREADS=2, BENCH_WORDS=5000,
#                        BENCH_COMMENTS=10, BENCH_ROUNDS=3, BENCH_STORE=sqlite|postgres: the archive in the SQLite
#                        file or in a private PostgreSQL cluster started for the run)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QUIRE_BIN="${QUIRE_BIN:-$root/build/quire}"
duration="${BENCH_DURATION:-10s}"
conns="${BENCH_CONNECTIONS:-64}"
cores="$(nproc 2>/dev/null || echo 2)"
threads="${BENCH_THREADS:-2}"
words="${BENCH_WORDS:-5000}"
rounds="${BENCH_ROUNDS:-3}"
comments="${BENCH_COMMENTS:-10}"
listing_works="${BENCH_LISTING_WORKS:-60}"

die() {
	echo "bench: $*" >&2
	exit 1
}
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

for tool in wrk nginx curl awk; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found (run scripts/deps.sh bench)"
done
[ -x "$QUIRE_BIN" ] || die "no quire binary at $QUIRE_BIN (run make build)"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/quire-bench.XXXXXX")"
quire_pid=""
nginx_pid=""
cleanup() {
	bench_stop "$quire_pid"
	bench_stop "$nginx_pid"
	bench_pg_stop
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# CPU time (clock ticks) used so far by the processes given (threads included).
cpu_ticks() { # pid...
	local pid total=0 t
	for pid in "$@"; do
		t="$(sed -E 's/^.*\) //' "/proc/$pid/stat" 2>/dev/null | awk '{ print $12 + $13 }')" || t=0
		total=$((total + ${t:-0}))
	done
	echo "$total"
}

# "REQUESTS_PER_S CPU_US_PER_REQUEST ROUND_TRIPS_PER_REQUEST" from one wrk run against the server whose processes
# are given; fails the run on non-2xx answers. The CPU cost per request does not depend on what else the machine
# runs, unlike the rate: it is printed next to it. With RT_BASE (a quire), the database round trips it waited for
# per request (its /metrics; the warm-up not counted).
run_wrk() { # name url header|"" pid...
	local name="$1" url="$2" out hdr=() t0 t1 rt0=0 rt1=0
	if [ -n "$3" ]; then
		hdr=(-H "$3")
	fi
	shift 3
	wrk -t"$threads" -c"$conns" -d2s "${hdr[@]}" "$url" >/dev/null 2>&1 || true # warm-up
	[ -n "${RT_BASE:-}" ] && rt0="$(bench_round_trips "$RT_BASE")"
	t0="$(cpu_ticks "$@")"
	out="$(wrk -t"$threads" -c"$conns" -d"$duration" --latency "${hdr[@]}" "$url")" || die "wrk failed against $name"
	t1="$(cpu_ticks "$@")"
	if [ -n "${RT_BASE:-}" ]; then
		rt1="$(bench_round_trips "$RT_BASE")"
		[ -n "$rt0" ] && [ -n "$rt1" ] || die "could not read the round trips of $name"
	fi
	printf '%s\n' "--- $name: $url" "$out" >&2
	if grep -q "Non-2xx or 3xx responses" <<<"$out"; then
		die "$name answered errors during the run"
	fi
	awk -v t="$((t1 - t0))" -v hz="$(getconf CLK_TCK)" -v rt="$((rt1 - rt0))" '/^Requests\/sec:/ { rps = $2 }
		/requests in/ { n = $1 }
		END { printf "%s %.1f %.2f\n", rps, (n ? t * 1e6 / hz / n : 0), (n ? rt / n : 0) }' <<<"$out"
}

# --- quire with one 5,000-word chapter, in SQLite or PostgreSQL ---
mkdir -p "$tmp/data" "$tmp/www" "$tmp/nginx"
backend="${BENCH_STORE:-sqlite}"
store=(--data "$tmp/data")
if [ "$backend" = postgres ]; then
	bench_pg_start "$tmp/pg"
	store+=(--store "$(bench_pg_database)")
elif [ "$backend" != sqlite ]; then
	die "BENCH_STORE is sqlite or postgres, not $backend"
fi
QUIRE_PASSWORD_COST=min bench_start_quire "$tmp/quire.log" "${store[@]}" --no-demo
quire_pid="$BENCH_PID"
qbase="$BENCH_BASE"

echo "bench password 1" | QUIRE_PASSWORD_COST=min "$QUIRE_BIN" user add bench bench@example.org \
	"${store[@]}" >/dev/null || die "quire user add failed"
token="$("$QUIRE_BIN" token add bench "${store[@]}" | tail -n 1 | tr -d '[:space:]')"
[ -n "$token" ] || die "quire token add printed no token"

make_work_json >"$tmp/work.json"
code="$(curl -s -o "$tmp/created.json" -w '%{http_code}' -X POST \
	-H "Authorization: Bearer $token" -H 'Content-Type: application/json' -H 'Accept: application/json' \
	--data-binary "@$tmp/work.json" "$qbase/api/v1/works")"
[ "$code" = 201 ] || die "POST /api/v1/works answered $code: $(head -c 500 "$tmp/created.json")"
created="$(tr -d '\n' <"$tmp/created.json")"
work_id="$(sed -nE 's/^\{.*"url"[[:space:]]*:[[:space:]]*"\/works\/([0-9]+)".*/\1/p' <<<"$created")"
chapter_id="$(sed -nE 's/.*"chapters"[[:space:]]*:[[:space:]]*\[[[:space:]]*\{[^}]*"id"[[:space:]]*:[[:space:]]*([0-9]+).*/\1/p' <<<"$created")"
[ -n "$work_id" ] && [ -n "$chapter_id" ] || die "cannot read work and chapter ids from: ${created:0:500}"
quire_url="$qbase/works/$work_id/chapters/$chapter_id"

# --- the chapter's reviews, as on a real page: readers' comments, the creator's replies, and one by the
# reader whose page is measured (theirs carries Edit and Delete) ---
for name in fan reader; do
	echo "$name password 1" | QUIRE_PASSWORD_COST=min "$QUIRE_BIN" user add "$name" "$name@example.org" \
		"${store[@]}" >/dev/null || die "quire user add $name failed"
done
fan_token="$("$QUIRE_BIN" token add fan "${store[@]}" | tail -n 1 | tr -d '[:space:]')"
reader_token="$("$QUIRE_BIN" token add reader "${store[@]}" | tail -n 1 | tr -d '[:space:]')"
post_comment() { # token body [parent_id] -> prints the new comment's id
	local body="{\"body\":\"$2\"${3:+,\"parent_id\":$3}}" out
	out="$(curl -s -w '\n%{http_code}' -X POST -H "Authorization: Bearer $1" -H 'Content-Type: application/json' \
		--data "$body" "$qbase/api/v1/chapters/$chapter_id/comments")"
	[ "$(tail -n 1 <<<"$out")" = 201 ] || die "posting a comment answered: $out"
	sed -nE 's/^\{"id":([0-9]+).*/\1/p' <<<"$out" | head -n 1
}
for i in $(seq "$comments"); do
	if [ $((i % 4)) = 0 ] && [ -n "${last:-}" ]; then
		post_comment "$token" "Thank you so much! Chapter $i is on its way, and the harbour scene is my favourite too." "$last" >/dev/null
	elif [ "$i" = 3 ]; then
		post_comment "$reader_token" "I read this twice. The <em>lantern</em> at the window, the letter in the margin: perfect." >/dev/null
	else
		last="$(post_comment "$fan_token" "Review $i: I loved the quiet morning by the river and the careful, gentle voice. Please write more soon!")"
	fi
done

code="$(curl -s -o "$tmp/www/chapter.html" -w '%{http_code}' "$quire_url")"
[ "$code" = 200 ] || die "GET $quire_url answered $code"
grep -q "Bench Work" "$tmp/www/chapter.html" || die "the chapter page does not show the work's title"
page_bytes="$(wc -c <"$tmp/www/chapter.html")"
code="$(curl -s -o "$tmp/www/reader.html" -w '%{http_code}' -H "Cookie: $cookie" "$quire_url")"
[ "$code" = 200 ] || die "GET $quire_url as the reader answered $code"
grep -q "Log out" "$tmp/www/reader.html" || die "the reader's page does not show them logged in"
[ "$(grep -c 'class="comment depth-' "$tmp/www/reader.html")" -ge "$comments" ] ||
	die "the reader's page does not show the $comments comments"
reader_bytes="$(wc -c <"$tmp/www/reader.html")"
works_url="$qbase/works"
code="$(curl -s -o "$tmp/works-guest.html" -w '%{http_code}' "$works_url")"
[ "$code" = 200 ] || die "GET /works answered $code"
code="$(curl -s -o "$tmp/works-reader.html" -w '%{http_code}' -H "Cookie: $cookie" "$works_url")"
[ "$code" = 200 ] || die "GET /works as the reader answered $code"
grep -q "Log out" "$tmp/works-reader.html" || die "the reader's /works does not show them logged in"
[ "$(grep -c 'class="work blurb' "$tmp/works-reader.html")" -ge 20 ] || die "the reader's /works does not list 20 works"

# --- nginx serving the same bytes ---
bench_nginx_start "$tmp/nginx" "$tmp/www" "$cores"
nginx_pid="$BENCH_NGINX_PID"
nginx_url="$BENCH_NGINX_BASE/chapter.html"
nginx_reader_url="$BENCH_NGINX_BASE/reader.html"
curl -s "$nginx_url" | cmp -s - "$tmp/www/chapter.html" || die "nginx does not serve the same bytes"
curl -s "$nginx_reader_url" | cmp -s - "$tmp/www/reader.html" || die "nginx does not serve the reader's bytes"

echo "bench: ${page_bytes}-byte guest page, ${reader_bytes}-byte logged-in page ($words words, $comments comments);" \
	"/works of $listing_works works; wrk -t$threads -c$conns -d$duration" >&2
# The machine is shared (wrk, both servers, and whatever else runs): rounds alternate the runs so each
# pair is measured side by side, and the median round is reported.
results="$tmp/results.txt"
: >"$results"
nginx_pids=("$nginx_pid" $(pgrep -P "$nginx_pid" || true))
for round in $(seq "$rounds"); do
	read -r gn gnc _ <<<"$(run_wrk nginx "$nginx_url" "" "${nginx_pids[@]}")"
	read -r gq gqc _ <<<"$(run_wrk quire "$quire_url" "" "$quire_pid")"
	read -r rn rnc _ <<<"$(run_wrk nginx-reader "$nginx_reader_url" "" "${nginx_pids[@]}")"
	read -r rq rqc rrt <<<"$(RT_BASE="$qbase" run_wrk quire-reader "$quire_url" "Cookie: $cookie" "$quire_pid")"
	for v in "$gn" "$gq" "$rn" "$rq"; do
		[ -n "$v" ] || die "could not read Requests/sec from wrk"
	done
	echo "$gq $gn $rq $rn $gqc $gnc $rqc $rnc $rrt" >>"$results"
	awk -v r="$round" '{ printf "bench: round %d: guest %.2f (%.0f/%.0f req/s, %.1f/%.1f us CPU per request), " \
		"logged-in %.2f (%.0f/%.0f req/s, %.1f/%.1f us), /works logged-in/guest %.2f (%.0f/%.0f req/s, %.1f/%.1f us)\n",
		r, $1 / $2, $1, $2, $5, $6, $3 / $4, $3, $4, $7, $8, $9 / $10, $9, $10, $11, $12 }' <<<"$(tail -n 1 "$results")" >&2
done
# The round with the median ratio, for each page.
pick() { # columns: measured rate, reference rate, measured CPU, reference CPU
	awk -v q="$1" -v n="$2" -v qc="$3" -v nc="$4" '{ print $q / $n, $q, $n, $qc, $nc }' "$results" | sort -g |
		awk -v m="$(((rounds + 1) / 2))" 'NR == m'
}
read -r g_ratio g_quire g_nginx g_qcpu g_ncpu <<<"$(pick 1 2 5 6)"
read -r r_ratio r_quire r_nginx r_qcpu r_ncpu <<<"$(pick 3 4 7 8)"
read -r w_ratio w_reader w_guest w_rcpu w_gcpu <<<"$(pick 9 10 11 12)"
awk -v q="$g_quire" -v n="$g_nginx" -v gr="$g_ratio" -v qc="$g_qcpu" -v nc="$g_ncpu" \
	-v rq="$r_quire" -v rn="$r_nginx" -v rr="$r_ratio" -v rqc="$r_qcpu" -v rnc="$r_ncpu" -v k="$rounds" \
	-v b="$backend" 'BEGIN {
	printf "guest chapter page (%s):     quire %.1f req/s, nginx %.1f req/s, ratio %.2f (target >= 1.0; median of %d); " \
		"CPU per request quire %.1f us, nginx %.1f us\n", b, q, n, gr, k, qc, nc
	printf "logged-in chapter page (%s): quire %.1f req/s, nginx %.1f req/s, ratio %.2f (target >= 0.5; median of %d); " \
		"CPU per request quire %.1f us, nginx %.1f us\n", b, rq, rn, rr, k, rqc, rnc
}'
# The logged-in page's database round trips per request (PostgreSQL: target <= 2; SQLite has none), the median round.
if [ "$backend" = postgres ]; then
	awk '{ print $9 }' "$results" | sort -g | awk -v m="$(((rounds + 1) / 2))" 'NR == m {
		printf "logged-in chapter page (postgres): %.2f database round trips per request (target <= 2)\n", $1 }'
fi

# --- listings, filters with facets and text search at scale (bench/listing.sh; BENCH_LISTING=0 skips) ---
if [ "${BENCH_LISTING:-1}" != 0 ]; then
	BENCH_STORE="$backend" "$root/bench/listing.sh"
fi
