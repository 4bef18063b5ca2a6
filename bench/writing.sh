#!/usr/bin/env bash
# Benchmark of the writer's check (run by make bench): its precision and recall on the annotated texts
# (bench/writing: the development set and the held-aside set, each kind, Hunspell alone and the previous
# check beside it; fails when the held-aside set is below 90% precision or 70% recall), then the time of a
# whole check of a 10,000-word chapter and of a 100,000-word work through POST /api/v1/check, which runs on
# the server's worker pool, with the server's CPU time per check.
# Usage: bench/writing.sh   (env: QUIRE_BIN, BENCH_WRITING_ROUNDS=15, BENCH_WRITING_DETAILS=1 lists the
#                            development set's misses and false alarms on stderr)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QUIRE_BIN="${QUIRE_BIN:-$root/build/quire}"
SCORE_BIN="${SCORE_BIN:-$(dirname "$QUIRE_BIN")/bench/writing_score}"
rounds="${BENCH_WRITING_ROUNDS:-15}"

die() {
	echo "bench: $*" >&2
	exit 1
}
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

for tool in curl awk python3; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found (run scripts/deps.sh bench)"
done
[ -x "$QUIRE_BIN" ] || die "no quire binary at $QUIRE_BIN (run make build)"
[ -x "$SCORE_BIN" ] || die "no scorer at $SCORE_BIN (cmake --build build --target writing_score)"

echo "== writer's check: the annotated texts (bench/writing/README.md)"
details=()
[ "${BENCH_WRITING_DETAILS:-0}" = 1 ] && details=(--details)
"$SCORE_BIN" "${details[@]}" "$root/bench/writing/dev" 2> >(grep -v ' info ' >&2)
# The held-aside set is only scored, never looked into: no details for it.
"$SCORE_BIN" --min-precision 90 --min-recall 70 "$root/bench/writing/held" 2> >(grep -v ' info ' >&2)

tmp="$(mktemp -d "${TMPDIR:-/tmp}/quire-bench-writing.XXXXXX")"
quire_pid=""
cleanup() {
	bench_stop "$quire_pid"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$tmp/data"
QUIRE_PASSWORD_COST=min bench_start_quire "$tmp/quire.log" --data "$tmp/data" --no-demo
quire_pid="$BENCH_PID"
echo "bench password 1" | QUIRE_PASSWORD_COST=min "$QUIRE_BIN" user add bench bench@example.org \
	--data "$tmp/data" >/dev/null || die "quire user add failed"
token="$("$QUIRE_BIN" token add bench --data "$tmp/data" | tail -n 1 | tr -d '[:space:]')"

# The plain texts of every annotated chapter, repeated up to WORDS words, as the JSON body of a check.
make_body() { # words
	python3 - "$root/bench/writing" "$1" <<'PY'
import glob, json, re, sys
texts = []
for f in sorted(glob.glob(sys.argv[1] + "/*/*.txt")):
    s = "\n".join(l for l in open(f, encoding="utf-8").read().split("\n") if not l.startswith("# "))
    s = re.sub(r"\[\[([^|\]]*)\|[^\]]*\]\]", r"\1", s)
    texts.append(re.sub(r"\{\{([^|}]*)\|[^}]*\}\}", r"\1", s))
words, want, out = 0, int(sys.argv[2]), []
while words < want:
    for t in texts:
        for para in t.split("\n"):
            if words >= want:
                break
            w = para.split()
            if words + len(w) > want:
                w = w[:want - words]
            out.append(" ".join(w))
            words += len(w)
print(json.dumps({"text": "\n".join(out), "language": "en", "names": ["Wren Ashby", "Agnes Hale"]}))
PY
}

cpu_ticks() {
	sed -E 's/^.*\) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

# Median and 90th percentile of curl's time_total over the rounds, and the server's CPU per check.
measure() { # label words
	local body="$tmp/body-$2.json" times="$tmp/times-$2" t0 t1 code
	make_body "$2" >"$body"
	for _ in 1 2; do # warm-up: the dictionaries load on the first check
		curl -s -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
			--data-binary @"$body" "$BENCH_BASE/api/v1/check"
	done
	: >"$times"
	t0="$(cpu_ticks "$quire_pid")"
	for _ in $(seq "$rounds"); do
		code="$(curl -s -o "$tmp/answer.json" -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $token" \
			-H 'Content-Type: application/json' --data-binary @"$body" "$BENCH_BASE/api/v1/check")"
		[ "${code%% *}" = 200 ] || die "POST /api/v1/check answered ${code%% *}: $(head -c 300 "$tmp/answer.json")"
		echo "${code#* }" >>"$times"
	done
	t1="$(cpu_ticks "$quire_pid")"
	sort -n "$times" | awk -v label="$1" -v n="$rounds" -v cpu="$((t1 - t0))" -v hz="$(getconf CLK_TCK)" \
		-v found="$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["total"], d["words"])' "$tmp/answer.json")" '
		{ t[NR] = $1 * 1000 }
		END { split(found, f, " ")
		      printf "%s: %d words, %s suggestions: median %.1f ms, p90 %.1f ms per whole check (HTTP, worker pool; %d rounds); server CPU %.1f ms per check\n",
		             label, f[2], f[1], t[int((NR + 1) / 2)], t[int(NR * 0.9 + 0.5)], n, cpu * 1000 / hz / n }'
}

echo "== writer's check: time of a whole check through POST /api/v1/check"
measure "10,000-word chapter" 10000
measure "100,000-word work" 100000
grep -E 'VmHWM' "/proc/$quire_pid/status" | awk '{ printf "server peak memory (VmHWM): %.1f MB\n", $2 / 1024 }'
