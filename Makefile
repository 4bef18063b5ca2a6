# Quire's two commands: `make` builds build/quire, `make test` runs every test (plain, ASan/UBSan and TSan builds).
JOBS := $(shell nproc 2>/dev/null || echo 2)
CMAKE := cmake
MAKEFLAGS += --no-print-directory
CONFIGURE := $(CMAKE) --log-level=WARNING -S . -DCMAKE_BUILD_TYPE=RelWithDebInfo
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# A data race stops the process: an e2e server then exits non-zero and its test fails.
TSAN_ENV := TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1

.PHONY: all build run test bench clean

all: build

build:
	@scripts/deps.sh build
	@$(CONFIGURE) -B build >/dev/null
	@$(CMAKE) --build build -j$(JOBS) --target quire

run: build
	@mkdir -p var
	./build/quire serve --listen 127.0.0.1:8080 --data ./var

# The sanitizer runs go first so that the last lines printed are ctest's summary of the plain build;
# all three always run, and any failing fails the target. The ThreadSanitizer build runs the unit and
# end-to-end tests (the browser tests and fuzz replays add nothing there but time). The end-to-end tests on
# PostgreSQL and the scale-out test (label postgres) run in the plain build only: their C runs under the
# sanitizers in the unit-pg tests, and twice more would not fit the time on two cores.
test:
	@scripts/deps.sh test
	@$(CONFIGURE) -B build >/dev/null
	@$(CMAKE) --build build -j$(JOBS)
	@$(CONFIGURE) -B build-asan -DQUIRE_SANITIZE=ON >/dev/null
	@$(CMAKE) --build build-asan -j$(JOBS)
	@$(CONFIGURE) -B build-tsan -DQUIRE_TSAN=ON >/dev/null
	@$(CMAKE) --build build-tsan -j$(JOBS)
	@echo "== ctest: build-asan (AddressSanitizer + UndefinedBehaviorSanitizer)"
	@san=0; (cd build-asan && $(SAN_ENV) ctest --output-on-failure -j$(JOBS) -LE postgres) || san=$$?; \
	 if [ $$san -ne 0 ]; then echo "== the sanitizer run above FAILED (ctest exit $$san)"; fi; \
	 echo "== ctest: build-tsan (ThreadSanitizer: unit and e2e tests)"; \
	 tsan=0; (cd build-tsan && $(TSAN_ENV) ctest --output-on-failure -j$(JOBS) -L 'unit|e2e') || tsan=$$?; \
	 if [ $$tsan -ne 0 ]; then echo "== the ThreadSanitizer run above FAILED (ctest exit $$tsan)"; fi; \
	 echo "== ctest: build"; \
	 plain=0; (cd build && ctest --output-on-failure -j$(JOBS)) || plain=$$?; \
	 [ $$san -eq 0 ] && [ $$tsan -eq 0 ] && [ $$plain -eq 0 ]

bench:
	@scripts/deps.sh bench
	@$(CONFIGURE) -B build >/dev/null
	@$(CMAKE) --build build -j$(JOBS) --target quire gen_archive writing_score
	bench/writing.sh
	bench/run.sh
	BENCH_STORE=postgres bench/run.sh
	bench/comments.sh
	BENCH_STORE=postgres bench/comments.sh
	bench/instr.sh

clean:
	rm -rf build build-asan build-tsan
