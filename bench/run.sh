#!/usr/bin/env bash
# Benchmark: a 5,000-word chapter page from quire, for a guest and for a logged-in reader, each against nginx
# serving the same bytes as a static file, measured in the same run.
# Usage: bench/run.sh   (env: QUIRE_BIN, BENCH_DURATION=10s, BENCH_CONNECTIONS=64, BENCH_THREADS=2, BENCH_WORDS=5000)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QUIRE_BIN="${QUIRE_BIN:-$root/build/quire}"
duration="${BENCH_DURATION:-10s}"
conns="${BENCH_CONNECTIONS:-64}"
cores="$(nproc 2>/dev/null || echo 2)"
threads="${BENCH_THREADS:-2}"
words="${BENCH_WORDS:-5000}"

die() {
	echo "bench: $*" >&2
	exit 1
}

for tool in wrk nginx curl awk; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found (run scripts/deps.sh bench)"
done
[ -x "$QUIRE_BIN" ] || die "no quire binary at $QUIRE_BIN (run make build)"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/quire-bench.XXXXXX")"
quire_pid=""
nginx_pid=""
cleanup() {
	local pid
	for pid in "$quire_pid" "$nginx_pid"; do
		if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
			kill -TERM "$pid" 2>/dev/null || true
			for _ in $(seq 50); do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.1
			done
			kill -KILL "$pid" 2>/dev/null || true
			wait "$pid" 2>/dev/null || true
		fi
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A port nothing answers on; the kernel cannot reserve it for us, so try a few at random.
free_port() {
	local p
	for _ in $(seq 100); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	die "no free port found"
}

wait_http() { # url log: up to 15 s for a 200
	for _ in $(seq 150); do
		if [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" 2>/dev/null)" = 200 ]; then
			return 0
		fi
		sleep 0.1
	done
	cat "$2" >&2 || true
	die "$1 did not answer 200 within 15 s"
}

# Deterministic text: a Park-Miller generator (exact in awk's doubles) picks words, sentences, paragraphs.
# Prints the whole JSON body for POST /api/v1/works; only [a-z .,] and \n\n escapes, so no other escaping.
make_work_json() {
	awk -v n="$words" 'BEGIN {
		split("the a of and to in was that her his it with as for on at by from had but not they she he " \
		      "would could light river winter letter garden window morning silence quiet hand voice door " \
		      "remember almost never always again under over between across toward beneath beyond " \
		      "archive quire ink paper margin chapter story thread needle weather harbour lantern " \
		      "stranger promise answer question careful sudden gentle bright heavy distant familiar", w, " ")
		nw = 0; for (k in w) nw++
		x = 20240601
		text = ""; sentence = 0; para = 0
		for (i = 0; i < n; i++) {
			x = (x * 16807) % 2147483647
			word = w[1 + x % nw]
			if (sentence == 0) word = toupper(substr(word, 1, 1)) substr(word, 2)
			text = text (sentence == 0 ? "" : " ") word
			sentence++
			x = (x * 16807) % 2147483647
			if (sentence >= 6 && x % 9 == 0) {
				text = text "."
				sentence = 0; para++
				x = (x * 16807) % 2147483647
				if (para >= 4 && x % 3 == 0) { text = text "\\n\\n"; para = 0 }
				else text = text " "
			} else if (x % 23 == 0) {
				text = text ","
			}
		}
		if (sentence > 0) text = text "."
		printf "{\"title\":\"Bench Work\",\"rating\":\"General Audiences\","
		printf "\"warnings\":[\"No Archive Warnings Apply\"],\"fandoms\":[\"Bench\"],"
		printf "\"chapter\":{\"content\":\"%s\",\"format\":\"text\"}}\n", text
	}'
}

# Requests/s from wrk's output; fails the run on socket errors or non-2xx answers.
run_wrk() { # name url [header]
	local out hdr=()
	if [ -n "${3:-}" ]; then
		hdr=(-H "$3")
	fi
	wrk -t"$threads" -c"$conns" -d2s "${hdr[@]}" "$2" >/dev/null 2>&1 || true # warm-up
	out="$(wrk -t"$threads" -c"$conns" -d"$duration" --latency "${hdr[@]}" "$2")" || die "wrk failed against $1"
	printf '%s\n' "--- $1: $2" "$out" >&2
	if grep -q "Non-2xx or 3xx responses" <<<"$out"; then
		die "$1 answered errors during the run"
	fi
	awk '/^Requests\/sec:/ { print $2 }' <<<"$out"
}

# --- quire with one 5,000-word chapter ---
mkdir -p "$tmp/data" "$tmp/www" "$tmp/nginx"
qport="$(free_port)"
QUIRE_PASSWORD_COST=min "$QUIRE_BIN" serve --listen "127.0.0.1:$qport" --data "$tmp/data" --no-demo \
	>"$tmp/quire.log" 2>&1 &
quire_pid=$!
wait_http "http://127.0.0.1:$qport/healthz" "$tmp/quire.log"

echo "bench password 1" | QUIRE_PASSWORD_COST=min "$QUIRE_BIN" user add bench bench@example.org \
	--data "$tmp/data" >/dev/null || die "quire user add failed"
token="$("$QUIRE_BIN" token add bench --data "$tmp/data" | tail -n 1 | tr -d '[:space:]')"
[ -n "$token" ] || die "quire token add printed no token"

make_work_json >"$tmp/work.json"
code="$(curl -s -o "$tmp/created.json" -w '%{http_code}' -X POST \
	-H "Authorization: Bearer $token" -H 'Content-Type: application/json' -H 'Accept: application/json' \
	--data-binary "@$tmp/work.json" "http://127.0.0.1:$qport/api/v1/works")"
[ "$code" = 201 ] || die "POST /api/v1/works answered $code: $(head -c 500 "$tmp/created.json")"
created="$(tr -d '\n' <"$tmp/created.json")"
work_id="$(sed -nE 's/^\{.*"url"[[:space:]]*:[[:space:]]*"\/works\/([0-9]+)".*/\1/p' <<<"$created")"
chapter_id="$(sed -nE 's/.*"chapters"[[:space:]]*:[[:space:]]*\[[[:space:]]*\{[^}]*"id"[[:space:]]*:[[:space:]]*([0-9]+).*/\1/p' <<<"$created")"
[ -n "$work_id" ] && [ -n "$chapter_id" ] || die "cannot read work and chapter ids from: ${created:0:500}"
quire_url="http://127.0.0.1:$qport/works/$work_id/chapters/$chapter_id"

code="$(curl -s -o "$tmp/www/chapter.html" -w '%{http_code}' "$quire_url")"
[ "$code" = 200 ] || die "GET $quire_url answered $code"
grep -q "Bench Work" "$tmp/www/chapter.html" || die "the chapter page does not show the work's title"
page_bytes="$(wc -c <"$tmp/www/chapter.html")"

# --- a logged-in reader (not the author): log in through the form, keep the session cookie ---
echo "reader password 1" | QUIRE_PASSWORD_COST=min "$QUIRE_BIN" user add reader reader@example.org \
	--data "$tmp/data" >/dev/null || die "quire user add reader failed"
jar="$tmp/cookies.txt"
csrf="$(curl -s -c "$jar" "http://127.0.0.1:$qport/login" |
	sed -nE 's/.*name="csrf_token" value="([^"]+)".*/\1/p' | head -n 1)"
[ -n "$csrf" ] || die "no csrf_token on /login"
code="$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" --data-urlencode "csrf_token=$csrf" \
	--data-urlencode "username=reader" --data-urlencode "password=reader password 1" "http://127.0.0.1:$qport/login")"
[ "$code" = 303 ] || die "POST /login answered $code"
cookie="$(awk -F'\t' 'NF >= 7 && $6 ~ /^quire_/ { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$jar")"
grep -q "quire_session=" <<<"$cookie" || die "no session cookie after logging in"
code="$(curl -s -o "$tmp/www/reader.html" -w '%{http_code}' -H "Cookie: $cookie" "$quire_url")"
[ "$code" = 200 ] || die "GET $quire_url as the reader answered $code"
grep -q "Log out" "$tmp/www/reader.html" || die "the reader's page does not show them logged in"
reader_bytes="$(wc -c <"$tmp/www/reader.html")"

# --- nginx serving the same bytes, as this user, everything under $tmp ---
nport="$(free_port)"
while [ "$nport" = "$qport" ]; do nport="$(free_port)"; done
user_line=""
if [ "$(id -u)" -eq 0 ]; then
	user_line="user $(id -un) $(id -gn);" # else workers would drop to nobody, who cannot read $tmp
fi
temp_paths="client_body_temp_path $tmp/nginx/body;"
for m in proxy fastcgi uwsgi scgi; do
	if ! nginx -V 2>&1 | grep -q -- "--without-http_${m}_module"; then
		temp_paths="$temp_paths ${m}_temp_path $tmp/nginx/$m;"
	fi
done
cat >"$tmp/nginx.conf" <<EOF
$user_line
daemon off;
worker_processes $cores;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	$temp_paths
	types { text/html html; }
	default_type text/html;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	server {
		listen 127.0.0.1:$nport;
		root $tmp/www;
	}
}
EOF
nginx -e "$tmp/nginx/error.log" -p "$tmp/nginx" -c "$tmp/nginx.conf" >"$tmp/nginx/stdout.log" 2>&1 &
nginx_pid=$!
nginx_url="http://127.0.0.1:$nport/chapter.html"
nginx_reader_url="http://127.0.0.1:$nport/reader.html"
wait_http "$nginx_url" "$tmp/nginx/error.log"
curl -s "$nginx_url" | cmp -s - "$tmp/www/chapter.html" || die "nginx does not serve the same bytes"
curl -s "$nginx_reader_url" | cmp -s - "$tmp/www/reader.html" || die "nginx does not serve the reader's bytes"

echo "bench: ${page_bytes}-byte guest page, ${reader_bytes}-byte logged-in page ($words words);" \
	"wrk -t$threads -c$conns -d$duration" >&2
guest_nginx="$(run_wrk nginx "$nginx_url")"
guest_quire="$(run_wrk quire "$quire_url")"
reader_nginx="$(run_wrk nginx-reader "$nginx_reader_url")"
reader_quire="$(run_wrk quire-reader "$quire_url" "Cookie: $cookie")"
for v in "$guest_nginx" "$guest_quire" "$reader_nginx" "$reader_quire"; do
	[ -n "$v" ] || die "could not read Requests/sec from wrk"
done
awk -v q="$guest_quire" -v n="$guest_nginx" -v rq="$reader_quire" -v rn="$reader_nginx" 'BEGIN {
	printf "guest chapter page:     quire %.1f req/s, nginx %.1f req/s, ratio %.2f (target >= 1.0)\n", q, n, q / n
	printf "logged-in chapter page: quire %.1f req/s, nginx %.1f req/s, ratio %.2f (target >= 0.5)\n", rq, rn, rq / rn
}'
