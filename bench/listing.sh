#!/usr/bin/env bash
# Benchmark: listings, filters with facets and text search over a synthetic archive (default 1,000,000 works),
# with the page cache off. Prints median and p99 latency per request kind and the server's peak memory.
# Usage: bench/listing.sh   (env: QUIRE_BIN, GEN_ARCHIVE, BENCH_WORKS=1000000, BENCH_FANDOMS=10000,
#        BENCH_LONG_CHAPTERS=100000, BENCH_REQUESTS=100, BENCH_DATA=bench/data, BENCH_STORE=sqlite|postgres)
# The generated archive is cached under bench/data/ (several GB at 1M works); delete it to regenerate. With
# BENCH_STORE=postgres, the same archive moved into PostgreSQL by quire store copy is cached beside it (a cluster's
# data directory, DIR-pg) and served from a private cluster started on it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QUIRE_BIN="${QUIRE_BIN:-$root/build/quire}"
GEN_ARCHIVE="${GEN_ARCHIVE:-$root/build/bench/gen_archive}"
works="${BENCH_WORKS:-1000000}"
fandoms="${BENCH_FANDOMS:-10000}"
long_chapters="${BENCH_LONG_CHAPTERS:-100000}"
requests="${BENCH_REQUESTS:-100}"
data_root="${BENCH_DATA:-$root/bench/data}"

die() {
	echo "bench/listing: $*" >&2
	exit 1
}
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

for tool in curl awk sort; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found (run scripts/deps.sh bench)"
done
[ -x "$QUIRE_BIN" ] || die "no quire binary at $QUIRE_BIN (run make build)"
[ -x "$GEN_ARCHIVE" ] || die "no generator at $GEN_ARCHIVE (cmake --build build --target gen_archive)"

# The schema the archive was generated for is in its name: an archive from before a migration would be
# migrated on first start (rebuilding the search index of a million works), so a new one is made instead.
schema="$(grep -c '^	/\* [0-9]*: ' "$root/src/store/sqlite/migrate.c")"
dir="$data_root/archive-s$schema-$works-$fandoms-$long_chapters"
if [ ! -f "$dir/quire.db" ] || [ ! -f "$dir/manifest" ]; then
	echo "bench/listing: generating $works works into $dir (once; cached afterwards)" >&2
	rm -rf "$dir.tmp"
	mkdir -p "$dir.tmp"
	"$GEN_ARCHIVE" "$dir.tmp/quire.db" --works "$works" --fandoms "$fandoms" \
		--long-chapters "$long_chapters" --manifest "$dir.tmp/manifest" >&2
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
fi

manifest() { sed -n "s/^$1=//p" "$dir/manifest"; }
urlenc() { # percent-encodes one query value or path segment
	local s="$1" out="" c i
	for ((i = 0; i < ${#s}; i++)); do
		c="${s:i:1}"
		case "$c" in
		[a-zA-Z0-9.~_-]) out+="$c" ;;
		*) out+="$(printf '%%%02X' "'$c")" ;;
		esac
	done
	printf '%s' "$out"
}
tagpath() { # AO3-style tag path: / & . ? # as *s* *a* *d* *q* *h*
	local s="$1"
	s="${s//\//*s*}"
	s="${s//&/*a*}"
	s="${s//./*d*}"
	s="${s//\?/*q*}"
	s="${s//#/*h*}"
	urlenc "$s"
}

tmp="$(mktemp -d "${TMPDIR:-/tmp}/quire-listing.XXXXXX")"
pid=""
cleanup() {
	bench_stop "$pid"
	bench_pg_stop
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

backend="${BENCH_STORE:-sqlite}"
store=(--data "$dir")
dbsize() { du -h "$dir/quire.db" | cut -f1; }
if [ "$backend" = postgres ]; then
	# Sized for the machine, as an operator would (the tests' clusters keep PostgreSQL's small defaults).
	export QUIRE_PG_SETTINGS="${QUIRE_PG_SETTINGS:--c shared_buffers=2GB -c effective_cache_size=8GB -c work_mem=32MB -c random_page_cost=1.1 -c jit=off}"
	pgdata="$dir-pg"
	bench_pg_start "$tmp/pg" "$pgdata"
	url="${BENCH_PG_URL}quire"
	if [ ! -f "$pgdata/quire-ready" ]; then
		echo "bench/listing: copying the archive into PostgreSQL (once; cached in $pgdata)" >&2
		python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import cluster
cluster._psql(sys.argv[2], "postgres", "DROP DATABASE IF EXISTS quire WITH (FORCE)")
cluster._psql(sys.argv[2], "postgres", "CREATE DATABASE quire")' "$root/tests/pg" "$BENCH_PG_URL" ||
			die "cannot create the database"
		"$QUIRE_BIN" store copy --from "sqlite:$dir/quire.db" --to "$url" >&2 || die "quire store copy failed"
		python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import cluster
cluster.execute(sys.argv[2], "VACUUM (ANALYZE)")' "$root/tests/pg" "$url" || die "VACUUM ANALYZE failed"
		touch "$pgdata/quire-ready"
	fi
	store+=(--store "$url")
	dbsize() { du -sh "$pgdata" | cut -f1; }
elif [ "$backend" != sqlite ]; then
	die "BENCH_STORE is sqlite or postgres, not $backend"
fi

QUIRE_PAGE_CACHE=false bench_start_quire "$tmp/quire.log" "${store[@]}" --no-demo
pid="$BENCH_PID"
base="$BENCH_BASE"

author="$(manifest author)"
typ_f="$(manifest typical_fandom)"
typ_c="$(manifest typical_character)"
big_f="$(manifest big_fandom)"
big_c="$(manifest big_character)"
mcd="$(urlenc "Major Character Death")"
teen="$(urlenc "Teen And Up Audiences")"

# name|path
cat >"$tmp/cases" <<EOF
home|/
author page ($(manifest author_works) works)|/users/$(urlenc "$author")/works
tag page (character, $(manifest typical_character_works) works)|/tags/$(tagpath "$typ_c")
tag page (biggest fandom, $(manifest big_fandom_works) works)|/tags/$(tagpath "$big_f")
/works?page=4000|/works?page=4000
filtered: typical fandom + character, -MCD, Teen, by kudos, facets|/works?tags=$(urlenc "$typ_f,$typ_c")&exclude_tags=$mcd&rating=$teen&sort=kudos
filtered: biggest fandom + character, -MCD, Teen, by kudos, facets|/works?tags=$(urlenc "$big_f,$big_c")&exclude_tags=$mcd&rating=$teen&sort=kudos
phrase search "hillcrest park"|/search?q=$(urlenc '"hillcrest park"')
phrase search "the door" (two of the commonest words), best match first|/search?q=$(urlenc '"the door"')
phrase search "the door", newest first|/search?q=$(urlenc '"the door"')&sort=updated
API filtered (typical, JSON)|/api/v1/works?tags=$(urlenc "$typ_f,$typ_c")&exclude_tags=$mcd&rating=$teen&sort=kudos
EOF

echo "bench/listing ($backend): $(manifest works) works, $(manifest chapters) chapters ($(manifest long_chapters) long), $(manifest tags) tags; page cache off; $requests requests each" >&2
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
hz="$(getconf CLK_TCK)"
printf '%-72s %9s %9s %9s %7s\n' "request ($backend)" "median ms" "p99 ms" "cpu ms" "status"
while IFS='|' read -r name path; do
	# One curl process per kind, keep-alive: time_total is the request alone. Three warm-up requests first.
	for _ in 1 2 3; do printf 'url = "%s%s"\noutput = /dev/null\n' "$base" "$path"; done >"$tmp/warm.cfg"
	for _ in $(seq "$requests"); do printf 'url = "%s%s"\noutput = /dev/null\n' "$base" "$path"; done >"$tmp/curl.cfg"
	curl -s -K "$tmp/warm.cfg" >/dev/null || die "curl failed on $path"
	t0="$(cpu_ticks)"
	curl -s -K "$tmp/curl.cfg" -w '%{http_code} %{time_total}\n' >"$tmp/times" || die "curl failed on $path"
	t1="$(cpu_ticks)"
	# The server's own CPU time per request (user + system), which other load on the machine does not inflate.
	cpu="$(awk -v a="$t0" -v b="$t1" -v hz="$hz" -v n="$requests" 'BEGIN { printf "%.1f", (b - a) * 1000 / hz / n }')"
	codes="$(awk '{print $1}' "$tmp/times" | sort -u | tr '\n' ' ')"
	awk '{printf "%.3f\n", $2 * 1000}' "$tmp/times" | sort -n >"$tmp/sorted"
	n="$(wc -l <"$tmp/sorted")"
	median="$(awk -v n="$n" 'NR == int((n + 1) / 2) { print; exit }' "$tmp/sorted")"
	p99="$(awk -v n="$n" 'BEGIN { k = int(n * 0.99 + 0.999) } NR == k { print; exit }' "$tmp/sorted")"
	printf '%-72s %9s %9s %9s %7s\n' "$name" "$median" "$p99" "$cpu" "$codes"
	echo "  $path" >&2
done <"$tmp/cases"
hwm="$(awk '/^VmHWM/ { print $2, $3 }' "/proc/$pid/status")"
rss="$(awk '/^VmRSS/ { print $2, $3 }' "/proc/$pid/status")"
echo "server peak memory (VmHWM): $hwm; resident now (VmRSS): $rss; database: $(dbsize)"
