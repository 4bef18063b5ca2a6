# Shared by the benchmark scripts (sourced): stopping what they started, and starting quire on a port the
# kernel picks (--listen 127.0.0.1:0 prints the address it got), so no script guesses a free port for it.
# The caller defines die() before sourcing.

# Stops a process the script started: SIGTERM, up to 10 s, then SIGKILL.
bench_stop() { # pid
	local pid="$1"
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

# Starts "$QUIRE_BIN serve --listen 127.0.0.1:0 ARGS..." in the background with its output in LOG
# (variables set on the call, e.g. QUIRE_THREADS=16 bench_start_quire ..., reach it), waits up to 60 s
# for its "listening on" line and a 200 from /healthz (a big archive can be slow to open), and sets
# BENCH_PID and BENCH_BASE (http://127.0.0.1:PORT, no trailing slash).
bench_start_quire() { # log args...
	local log="$1" line=""
	shift
	"$QUIRE_BIN" serve --listen 127.0.0.1:0 "$@" >"$log" 2>&1 &
	BENCH_PID=$!
	for _ in $(seq 600); do
		line="$(grep -m1 -oE 'listening on http://[^ ]+/' "$log" 2>/dev/null || true)"
		[ -n "$line" ] && break
		kill -0 "$BENCH_PID" 2>/dev/null || break
		sleep 0.1
	done
	[ -n "$line" ] || { cat "$log" >&2; die "quire did not report the address it listens on"; }
	BENCH_BASE="${line#listening on }"
	BENCH_BASE="${BENCH_BASE%/}"
	for _ in $(seq 600); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' "$BENCH_BASE/healthz" 2>/dev/null)" = 200 ] && return 0
		kill -0 "$BENCH_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$log" >&2
	die "quire at $BENCH_BASE did not answer /healthz with 200"
}

# A port nothing listens on now, for servers that cannot report a port they picked (nginx); another
# process may still take it first, so callers check that the server started and try again.
bench_free_port() {
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

# CPU time (clock ticks, user + system, threads included) used so far by the processes given.
bench_cpu_ticks() { # pid...
	local pid total=0 t
	for pid in "$@"; do
		t="$(sed -E 's/^.*\) //' "/proc/$pid/stat" 2>/dev/null | awk '{ print $12 + $13 }')" || t=0
		total=$((total + ${t:-0}))
	done
	echo "$total"
}

# CPU time (clock ticks) of a server and its child processes, those that ended included (PostgreSQL: the postmaster
# and its backends). Prints 0 when pid is empty.
bench_tree_ticks() { # pid
	local pid="$1" total=0 t p
	[ -n "$pid" ] || { echo 0; return; }
	for p in "$pid" $(pgrep -P "$pid" 2>/dev/null); do
		t="$(sed -E 's/^.*\) //' "/proc/$p/stat" 2>/dev/null | awk '{ print $12 + $13 + $14 + $15 }')" || t=0
		total=$((total + ${t:-0}))
	done
	echo "$total"
}

# ---- PostgreSQL (BENCH_STORE=postgres) ----
# A private cluster as the tests start them (tests/pg/cluster.py: a free loopback port, fsync on, synchronous_commit
# on, as Debian's postgres account under root), recorded in STATE; with DATA, on that data directory, kept after
# (a cached archive), else in a temporary one. Sets BENCH_PG_URL (the cluster, ending in /).
bench_pg_start() { # state [data]
	BENCH_PG_STATE="$1"
	BENCH_PG_URL="$(python3 "$root/tests/pg/cluster.py" start "$BENCH_PG_STATE" ${2:+--data "$2"})" ||
		die "the PostgreSQL cluster did not start (scripts/deps.sh test installs postgresql-15)"
}

# A fresh database on the cluster; prints its URL.
bench_pg_database() {
	python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import cluster
print(cluster.create_database(sys.argv[2], prefix="quire_bench"))' "$root/tests/pg" "$BENCH_PG_URL"
}

bench_pg_stop() {
	[ -n "${BENCH_PG_STATE:-}" ] || return 0
	python3 "$root/tests/pg/cluster.py" stop "$BENCH_PG_STATE" >/dev/null 2>&1 || true
	BENCH_PG_STATE=""
}

# The database round trips the quire at BASE has waited for so far (/metrics; 0 on SQLite). Right after a wrk run
# the server may still be answering the connections wrk dropped (and refuse more from the address): asked again
# for up to 10 s.
bench_round_trips() { # base
	local out i
	for i in $(seq 50); do
		if out="$(curl -sf --max-time 5 "$1/metrics")" && grep -q '^quire_store_round_trips_total ' <<<"$out"; then
			awk '/^quire_store_round_trips_total / { print $2 }' <<<"$out"
			return 0
		fi
		sleep 0.2
	done
	die "no quire_store_round_trips_total from $1/metrics"
}

# ---- The reading page the benchmarks measure (bench/run.sh, bench/instr.sh, bench/soak.sh) ----

# Deterministic text: a Park-Miller generator (exact in awk's doubles) picks words, sentences, paragraphs.
# Prints the whole JSON body for POST /api/v1/works; only [a-z .,] and \n\n escapes, so no other escaping.
bench_work_json() { # words [title] [seed]
	awk -v n="$1" -v title="${2:-Bench Work}" -v seed="${3:-20240601}" 'BEGIN {
		split("the a of and to in was that her his it with as for on at by from had but not they she he " \
		      "would could light river winter letter garden window morning silence quiet hand voice door " \
		      "remember almost never always again under over between across toward beneath beyond " \
		      "archive quire ink paper margin chapter story thread needle weather harbour lantern " \
		      "stranger promise answer question careful sudden gentle bright heavy distant familiar", w, " ")
		nw = 0; for (k in w) nw++
		x = seed
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
		printf "{\"title\":\"%s\",\"rating\":\"General Audiences\",", title
		printf "\"warnings\":[\"No Archive Warnings Apply\"],\"fandoms\":[\"Bench\"],"
		printf "\"chapter\":{\"content\":\"%s\",\"format\":\"text\"}}\n", text
	}'
}

# Adds an account (password "NAME password 1") and prints an API token for it.
bench_account() { # data name [role]
	echo "$2 password 1" | QUIRE_PASSWORD_COST=min "$QUIRE_BIN" user add "$2" "$2@example.org" ${3:+--role "$3"} \
		--data "$1" >/dev/null || die "quire user add $2 failed"
	"$QUIRE_BIN" token add "$2" --data "$1" | tail -n 1 | tr -d '[:space:]'
}

# Publishes a work through the API (JSON body in FILE) and sets BENCH_WORK_ID and BENCH_CHAPTER_ID.
bench_publish() { # base token json-file
	local out created
	out="$(mktemp "${TMPDIR:-/tmp}/quire-bench-work.XXXXXX")"
	local code
	code="$(curl -s -o "$out" -w '%{http_code}' -X POST -H "Authorization: Bearer $2" \
		-H 'Content-Type: application/json' -H 'Accept: application/json' --data-binary "@$3" "$1/api/v1/works")"
	created="$(tr -d '\n' <"$out")"
	rm -f "$out"
	[ "$code" = 201 ] || die "POST /api/v1/works answered $code: ${created:0:500}"
	BENCH_WORK_ID="$(sed -nE 's/^\{.*"url"[[:space:]]*:[[:space:]]*"\/works\/([0-9]+)".*/\1/p' <<<"$created")"
	BENCH_CHAPTER_ID="$(sed -nE 's/.*"chapters"[[:space:]]*:[[:space:]]*\[[[:space:]]*\{[^}]*"id"[[:space:]]*:[[:space:]]*([0-9]+).*/\1/p' <<<"$created")"
	[ -n "$BENCH_WORK_ID" ] && [ -n "$BENCH_CHAPTER_ID" ] || die "cannot read work and chapter ids from: ${created:0:500}"
}

# Logs NAME in through the form like a browser and prints the Cookie header value (quire_* cookies).
bench_login() { # base name
	local jar csrf code
	jar="$(mktemp "${TMPDIR:-/tmp}/quire-bench-jar.XXXXXX")"
	csrf="$(curl -s -c "$jar" "$1/login" | sed -nE 's/.*name="csrf_token" value="([^"]+)".*/\1/p' | head -n 1)"
	[ -n "$csrf" ] || die "no csrf_token on /login"
	code="$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" --data-urlencode "csrf_token=$csrf" \
		--data-urlencode "username=$2" --data-urlencode "password=$2 password 1" "$1/login")"
	[ "$code" = 303 ] || die "POST /login as $2 answered $code"
	awk -F'\t' 'NF >= 7 && $6 ~ /^quire_/ { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$jar"
	rm -f "$jar"
}

# The benchmark's archive in a running quire (data dir DATA, address BASE): a creator "bench" with one
# work of WORDS words in one chapter, COMMENTS comments under it as on a real page (reviews by "fan", the
# creator's replies, and one by "reader", the reader whose page is measured: their own comment carries
# Edit and Delete, so it is rendered for them on every view), and "reader" logged in. Sets BENCH_PATH
# (the chapter's path) and BENCH_COOKIE (the reader's session).
bench_reading_setup() { # data base words comments
	local data="$1" base="$2" words="$3" comments="$4" token fan_token reader_token i last="" json
	token="$(bench_account "$data" bench)"
	fan_token="$(bench_account "$data" fan)"
	reader_token="$(bench_account "$data" reader)"
	[ -n "$token" ] && [ -n "$fan_token" ] && [ -n "$reader_token" ] || die "quire token add printed no token"
	json="$(mktemp "${TMPDIR:-/tmp}/quire-bench-json.XXXXXX")"
	bench_work_json "$words" >"$json"
	bench_publish "$base" "$token" "$json"
	rm -f "$json"
	local chapter_id="$BENCH_CHAPTER_ID"
	_bench_comment() { # token body [parent_id] -> prints the new comment's id
		local body="{\"body\":\"$2\"${3:+,\"parent_id\":$3}}" out
		out="$(curl -s -w '\n%{http_code}' -X POST -H "Authorization: Bearer $1" -H 'Content-Type: application/json' \
			--data "$body" "$base/api/v1/chapters/$chapter_id/comments")"
		[ "$(tail -n 1 <<<"$out")" = 201 ] || die "posting a comment answered: $out"
		sed -nE 's/^\{"id":([0-9]+).*/\1/p' <<<"$out" | head -n 1
	}
	for i in $(seq "$comments"); do
		if [ $((i % 4)) = 0 ] && [ -n "$last" ]; then
			_bench_comment "$token" "Thank you so much! Chapter $i is on its way, and the harbour scene is my favourite too." "$last" >/dev/null
		elif [ "$i" = 3 ]; then
			_bench_comment "$reader_token" "I read this twice. The <em>lantern</em> at the window, the letter in the margin: perfect." >/dev/null
		else
			last="$(_bench_comment "$fan_token" "Review $i: I loved the quiet morning by the river and the careful, gentle voice. Please write more soon!")"
		fi
	done
	BENCH_PATH="/works/$BENCH_WORK_ID/chapters/$BENCH_CHAPTER_ID"
	BENCH_COOKIE="$(bench_login "$base" reader)"
	grep -q "quire_session=" <<<"$BENCH_COOKIE" || die "no session cookie after logging in"
}

# Starts nginx (as the current user, everything under DIR) serving ROOT on a port guessed free (tried
# again when nginx cannot bind it): worker_processes WORKERS, access log off, sendfile, keep-alive. With
# BENCH_NGINX_WRAP set (e.g. "valgrind --tool=callgrind ..."), runs one process without a master under it.
# Sets BENCH_NGINX_PID and BENCH_NGINX_BASE.
bench_nginx_start() { # dir root workers
	local dir="$1" root="$2" workers="$3" user_line="" temp_paths master="" port attempt
	mkdir -p "$dir"
	if [ "$(id -u)" -eq 0 ]; then
		user_line="user $(id -un) $(id -gn);" # else workers would drop to nobody, who cannot read $dir
	fi
	temp_paths="client_body_temp_path $dir/body;"
	for m in proxy fastcgi uwsgi scgi; do
		if ! nginx -V 2>&1 | grep -q -- "--without-http_${m}_module"; then
			temp_paths="$temp_paths ${m}_temp_path $dir/$m;"
		fi
	done
	[ -n "${BENCH_NGINX_WRAP:-}" ] && master="master_process off;" && workers=1
	BENCH_NGINX_BASE=""
	for attempt in 1 2 3 4 5; do
		port="$(bench_free_port)"
		cat >"$dir/nginx.conf" <<NGINX
$user_line
daemon off;
$master
worker_processes $workers;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
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
		listen 127.0.0.1:$port;
		root $root;
	}
}
NGINX
		# shellcheck disable=SC2086
		${BENCH_NGINX_WRAP:-} nginx -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" >"$dir/stdout.log" 2>&1 &
		BENCH_NGINX_PID=$!
		for _ in $(seq 300); do
			kill -0 "$BENCH_NGINX_PID" 2>/dev/null || break
			if curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; then
				BENCH_NGINX_BASE="http://127.0.0.1:$port"
				break
			fi
			sleep 0.1
		done
		[ -n "$BENCH_NGINX_BASE" ] && return 0
		bench_stop "$BENCH_NGINX_PID"
	done
	cat "$dir/error.log" >&2
	die "nginx did not start"
}

# A listing to measure: N short works by five creators through the API, in three fandoms with characters,
# relationships and freeform tags, every tenth members-only (what a logged-in reader sees beyond a guest).
bench_listing_setup() { # data base n
	local data="$1" base="$2" n="$3" i k json tokens=()
	for k in 1 2 3 4 5; do
		tokens+=("$(bench_account "$data" "writer$k")")
	done
	json="$(mktemp "${TMPDIR:-/tmp}/quire-bench-json.XXXXXX")"
	for i in $(seq "$n"); do
		k=$((i % 5))
		local f=$((i % 3 + 1)) restricted=false
		[ $((i % 10)) = 0 ] && restricted=true
		bench_work_json 300 "Listing Work $i" "$((1000 + i))" | sed -E \
			"s/\"fandoms\":\[\"Bench\"\]/\"fandoms\":[\"Bench Fandom $f\"],\"characters\":[\"Ann Lee ($f)\",\"Bo Sun ($f)\"],\"relationships\":[\"Ann Lee \/ Bo Sun ($f)\"],\"freeforms\":[\"Fluff\",\"Tag $((i % 7))\"],\"summary\":\"A summary of work $i, short as most are.\",\"restricted\":$restricted/" >"$json"
		bench_publish "$base" "${tokens[$k]}" "$json"
	done
	rm -f "$json"
}
