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
