#!/usr/bin/env bash
# Benchmark: instructions per request (valgrind's callgrind), quire against nginx serving the same bytes.
# The machine these benchmarks run on is shared; wall-clock rates then swing by half from run to run, but the
# instructions a request executes do not. This counts them for the pages bench/run.sh measures (the guest and
# the logged-in chapter page, /works as a guest and logged in), each over BENCH_REQUESTS sequential requests on
# one keep-alive connection after a warm-up, and the same for nginx sending the chapter pages' bytes.
# User-space instructions only: the kernel's share (system calls, copies into sockets) is not in them, so
# read them beside bench/run.sh's CPU time per request. valgrind counts each byte of a "rep stos/movs" block
# fill or copy as an instruction: those are shown apart ("block bytes"), they cost far less than a byte each.
# Usage: bench/instr.sh   (env: QUIRE_BIN, BENCH_REQUESTS=200, BENCH_WORDS=5000, BENCH_COMMENTS=10,
#                          BENCH_LISTING_WORKS=60, BENCH_INSTR_KEEP=DIR keeps the callgrind files there)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QUIRE_BIN="${QUIRE_BIN:-$root/build/quire}"
requests="${BENCH_REQUESTS:-200}"
words="${BENCH_WORDS:-5000}"
comments="${BENCH_COMMENTS:-10}"
listing_works="${BENCH_LISTING_WORKS:-60}"

die() {
	echo "bench/instr: $*" >&2
	exit 1
}
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

for tool in valgrind callgrind_control nginx curl awk; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found (run scripts/deps.sh bench)"
done
[ -x "$QUIRE_BIN" ] || die "no quire binary at $QUIRE_BIN (run make build)"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/quire-instr.XXXXXX")"
pid=""
cleanup() {
	bench_stop "$pid"
	if [ -n "${BENCH_INSTR_KEEP:-}" ]; then
		mkdir -p "$BENCH_INSTR_KEEP"
		cp "$tmp"/cg.* "$BENCH_INSTR_KEEP"/ 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the archive, made by a quire running normally ---
mkdir -p "$tmp/data" "$tmp/www"
QUIRE_PASSWORD_COST=min bench_start_quire "$tmp/setup.log" --data "$tmp/data" --no-demo
pid="$BENCH_PID"
bench_reading_setup "$tmp/data" "$BENCH_BASE" "$words" "$comments"
bench_listing_setup "$tmp/data" "$BENCH_BASE" "$listing_works"
curl -s -o "$tmp/www/chapter.html" "$BENCH_BASE$BENCH_PATH"
curl -s -o "$tmp/www/reader.html" -H "Cookie: $BENCH_COOKIE" "$BENCH_BASE$BENCH_PATH"
bench_stop "$pid"
pid=""

# Sum of exclusive costs by object in a callgrind file (uncompressed names), per request: prints
# "total quire mhd libc sqlite other blockbytes".
per_request() { # file n
	awk -v n="$2" '
		/^ob=/ { ob = substr($0, 4); next }
		/^fn=/ { fn = substr($0, 4); next }
		/^calls=/ { skip = 1; next }
		/^[0-9+*-]/ {
			if (skip) { skip = 0; next }
			c = $2 + 0
			total += c
			if (fn ~ /^__mem(set|cpy|move)_.*erms/) block += c
			else if (ob ~ /libmicrohttpd/) mhd += c
			else if (ob ~ /libc\.so/) libc += c
			else if (ob ~ /libsqlite3/) sq += c
			else if (ob ~ /\/(quire|nginx)$/) q += c
			else other += c
		}
		END { printf "%d %d %d %d %d %d %d\n", total / n, q / n, mhd / n, libc / n, sq / n, other / n, block / n }' "$1"
}

# Zeroes the counters, sends n requests (curl, one keep-alive connection), dumps: prints per_request's line.
measure() { # vpid out-prefix url [header]
	local vpid="$1" out="$2" url="$3" hdr=() f before
	[ -n "${4:-}" ] && hdr=(-H "$4")
	for _ in $(seq 20); do printf 'url = "%s"\noutput = /dev/null\n' "$url"; done >"$tmp/warm.cfg"
	for _ in $(seq "$requests"); do printf 'url = "%s"\noutput = /dev/null\n' "$url"; done >"$tmp/run.cfg"
	curl -s "${hdr[@]}" -K "$tmp/warm.cfg" || die "curl failed on $url"
	callgrind_control -z "$vpid" >/dev/null 2>&1
	curl -s "${hdr[@]}" -w '%{http_code}\n' -K "$tmp/run.cfg" | sort -u | grep -qx 200 || die "$url did not answer 200"
	before="$(ls "$out".* 2>/dev/null | wc -l)"
	callgrind_control -d "$vpid" >/dev/null 2>&1
	for _ in $(seq 100); do
		[ "$(ls "$out".* 2>/dev/null | wc -l)" -gt "$before" ] && break
		sleep 0.1
	done
	f="$(ls -t "$out".* | head -n 1)"
	per_request "$f" "$requests"
}

cg=(valgrind --tool=callgrind --compress-strings=no --compress-pos=no --dump-instr=no)

# --- quire under callgrind ---
"${cg[@]}" --callgrind-out-file="$tmp/cg.quire" "$QUIRE_BIN" serve --listen 127.0.0.1:0 --data "$tmp/data" \
	--no-demo >"$tmp/quire.log" 2>&1 &
pid=$!
line=""
for _ in $(seq 600); do
	line="$(grep -m1 -oE 'listening on http://[^ ]+/' "$tmp/quire.log" 2>/dev/null || true)"
	[ -n "$line" ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.2
done
[ -n "$line" ] || { cat "$tmp/quire.log" >&2; die "quire did not start under valgrind"; }
base="${line#listening on }"
base="${base%/}"
q_guest="$(measure "$pid" "$tmp/cg.quire" "$base$BENCH_PATH")"
q_reader="$(measure "$pid" "$tmp/cg.quire" "$base$BENCH_PATH" "Cookie: $BENCH_COOKIE")"
q_works="$(measure "$pid" "$tmp/cg.quire" "$base/works")"
q_works_reader="$(measure "$pid" "$tmp/cg.quire" "$base/works" "Cookie: $BENCH_COOKIE")"
bench_stop "$pid"
pid=""

# --- nginx under callgrind, one process ---
BENCH_NGINX_WRAP="${cg[*]} --callgrind-out-file=$tmp/cg.nginx" bench_nginx_start "$tmp/nginx" "$tmp/www" 1
pid="$BENCH_NGINX_PID"
n_guest="$(measure "$pid" "$tmp/cg.nginx" "$BENCH_NGINX_BASE/chapter.html")"
n_reader="$(measure "$pid" "$tmp/cg.nginx" "$BENCH_NGINX_BASE/reader.html")"
bench_stop "$pid"
pid=""

echo "bench/instr: $(wc -c <"$tmp/www/chapter.html")-byte guest page, $(wc -c <"$tmp/www/reader.html")-byte" \
	"logged-in page ($words words, $comments comments), /works of $listing_works works; $requests requests each" >&2
printf '%-32s %12s %9s %9s %9s %9s %9s %12s\n' "instructions per request" "total" "program" "libmhd" "libc" \
	"sqlite" "other" "block bytes"
row() { printf '%-32s %12s %9s %9s %9s %9s %9s %12s\n' "$1" $2; }
row "quire, guest chapter page" "$q_guest"
row "nginx, the same bytes" "$n_guest"
row "quire, logged-in chapter page" "$q_reader"
row "nginx, the same bytes" "$n_reader"
row "quire, /works as a guest" "$q_works"
row "quire, /works logged in" "$q_works_reader"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.2f", (x[1] - x[7]) / (y[1] - y[7]) }'; }
echo "without block bytes, quire/nginx: guest $(ratio "$q_guest" "$n_guest"), logged-in $(ratio "$q_reader" "$n_reader");" \
	"/works logged-in/guest $(ratio "$q_works_reader" "$q_works")"
