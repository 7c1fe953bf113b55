# e-MJPM: the two commands of the README (run, test), and the benchmark.
# Every target installs the tools it needs first (scripts/install-tools.sh is idempotent).

SHELL := /bin/bash
export PATH := $(CURDIR)/tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# Shares compiled dependencies between `cargo leptos` dev builds and `cargo test` (see STACK.md).
TEST_RUSTFLAGS := --cfg erase_components
BINARY := target/release/emjpm

.PHONY: run test tools build check unit e2e bench bench-national screenshots clean-data resilience fuzz limites harnesses-ci

tools:
	scripts/install-tools.sh

# Front end first, then the server that embeds it: `--precompress` builds them in sequence (no race).
build: tools
	# erase_components: type-erased views make the browser code much smaller (and share the test builds' cache).
	RUSTFLAGS="$(TEST_RUSTFLAGS)" cargo leptos build --release --precompress
	@test -s target/site/pkg/emjpm.wasm || { echo "target/site/pkg/emjpm.wasm manquant"; exit 1; }

# A new data directory gets the demo first (scripts/run.sh); an existing one is served as it is.
run: build
	scripts/run.sh

check: tools
	cargo fmt --check
	RUSTFLAGS="$(TEST_RUSTFLAGS)" cargo clippy --features ssr --all-targets -- -D warnings
	cargo clippy --features hydrate --lib --target wasm32-unknown-unknown -- -D warnings

unit: tools
	RUSTFLAGS="$(TEST_RUSTFLAGS)" cargo test --features ssr

e2e: build
	scripts/e2e.sh

# The hardening harnesses (issue 14, docs/HARDENING.md): the full runs, and the short ones CI runs.
resilience: build
	python3 scripts/harness/crash.py --cycles 50

fuzz: build
	python3 scripts/harness/fuzz.py --requests 100000

limites: build
	python3 scripts/harness/limits.py

harnesses-ci: build
	python3 scripts/harness/backup_live.py
	python3 scripts/harness/crash.py --cycles 10
	python3 scripts/harness/fuzz.py --requests 20000
	python3 scripts/harness/limits.py
	scripts/bench-national.sh --court

test: check unit e2e harnesses-ci

bench: build
	scripts/bench.sh

# Issue 20: a whole country's data set (emjpm generer-national), every page and endpoint measured on it, and
# the cost table; writes docs/PERFORMANCE-NATIONAL.md and the end of docs/PERFORMANCE.md (about 15 minutes).
bench-national: build
	scripts/bench-national.sh

# The guides' screenshots (guides/images), from the release binary on the built-in demo; then rebuild to embed them.
screenshots: build
	scripts/screenshots.sh
	$(MAKE) build
