#!/usr/bin/env bash
# Installs the Debian packages (and the browser test's npm packages) that a build, test or bench run needs.
# Usage: scripts/deps.sh [build|test|bench]   (default: build). Silent when everything is present.
set -euo pipefail

what="${1:-build}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Only what the code uses now (CMakeLists.txt's pkg-config modules; the tests' python3, node, chromium):
# add a package here in the same change that starts using it. The ThreadSanitizer and AddressSanitizer
# runtimes come with build-essential's gcc.
build_pkgs=(build-essential cmake pkg-config libmicrohttpd-dev libsqlite3-dev
	libsodium-dev libgumbo-dev libcmark-dev libjansson-dev libutf8proc-dev libicu-dev libcurl4-openssl-dev libzip-dev
	libhunspell-dev hunspell-en-us hunspell-en-gb libpq-dev)
# postgresql-15 (its contrib modules: unaccent, pg_trgm) for the private clusters the PostgreSQL tests start;
# haproxy, nginx-light and openssl (a throw-away certificate) for the deployment tests, which run contrib/'s files.
test_pkgs=(python3 chromium fonts-dejavu-core python3-aiosmtpd epubcheck postgresql-15 haproxy nginx-light openssl)
bench_pkgs=(nginx-light wrk curl python3 postgresql-15 valgrind)

case "$what" in
build) want=("${build_pkgs[@]}") ;;
test)
	want=("${build_pkgs[@]}" "${test_pkgs[@]}")
	# A nodesource node brings its own npm; Debian's packages are only the fallback.
	if ! command -v node >/dev/null 2>&1; then
		want+=(nodejs npm)
	fi
	;;
bench) want=("${build_pkgs[@]}" "${bench_pkgs[@]}") ;;
*)
	echo "usage: $0 [build|test|bench]" >&2
	exit 2
	;;
esac

missing=()
for p in "${want[@]}"; do
	status="$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)"
	case "$status" in
	ii*) ;;
	*) missing+=("$p") ;;
	esac
done

if [ "${#missing[@]}" -gt 0 ]; then
	sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		sudo=(sudo)
	fi
	echo "deps: installing ${missing[*]}" >&2
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

if [ "$what" = test ]; then
	# npm ci only when node_modules is absent or older than the lock file it came from.
	dir="$root/tests/browser"
	if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
		echo "deps: npm ci in tests/browser" >&2
		(cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >&2)
		touch "$dir/node_modules"
	fi
fi
