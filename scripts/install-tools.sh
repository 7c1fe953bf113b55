#!/usr/bin/env bash
# Installs, only when missing or at the wrong version, every tool the build and the tests need.
# Idempotent: a second run on a prepared machine takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,"",$0); print; exit}' Cargo.lock 2>/dev/null || true)
WASM_BINDGEN_VERSION=${WASM_BINDGEN_VERSION:-0.2.130}
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '==> %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "cargo install cargo-leptos $CARGO_LEPTOS_VERSION (about 15 minutes, once)"
  cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION"
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Without --locked: its lock file pins a crate the registry mirror lacks.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# wasm-opt from npm binaryen (Debian's binaryen 108 breaks hydration at run time).
if [ ! -x tools/node_modules/.bin/wasm-opt ] || [ tools/package-lock.json -nt tools/node_modules/.package-lock.json ]; then
  say "npm ci (binaryen) in tools/"
  (cd tools && npm ci --no-audit --no-fund)
fi

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)
command -v strace >/dev/null 2>&1 || need_apt+=(strace)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

# The e-mail test's SMTP server: CPython's smtpd (3.11 and older), else aiosmtpd from PyPI in tools/python.
if ! python3 -c 'import smtpd' 2>/dev/null && [ ! -d tools/python/aiosmtpd ]; then
  say "pip install aiosmtpd into tools/python"
  python3 -m pip install --quiet --target tools/python aiosmtpd
fi

if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "npm ci in end2end/"
  (cd end2end && npm ci --no-audit --no-fund)
fi
say "tools ready"
