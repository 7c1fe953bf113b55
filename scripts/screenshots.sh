#!/usr/bin/env bash
# `make screenshots`: the guides' screenshots (guides/images/*.png) taken by Playwright from the release binary
# on the built-in demo (`emjpm demo` without files, so that every machine takes the same pictures).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
binary="$root/target/release/emjpm"
[ -x "$binary" ] || { echo "Binaire absent : lancez « make build »."; exit 1; }
work="$(mktemp -d)"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

EMJPM_LOG=warn "$binary" demo --data-dir "$work/data" > "$work/demo.txt"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
# No map background: the pictures must not depend on a tile server (nor show its tiles' licence).
"$binary" serve --listen "127.0.0.1:$port" --data-dir "$work/data" --tile-url none \
  --contact-email contact@exemple.fr > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/sante" > /dev/null 2>&1 && break; sleep 0.1; done

mkdir -p "$root/guides/images"
rm -f "$root/guides/images/"*.png
cd "$root/end2end"
EMJPM_BASE_URL="http://127.0.0.1:$port" EMJPM_SCREENSHOTS="$root/guides/images" \
  npx playwright test -c demo.config.ts screenshots.spec.ts --project javascript --reporter=line
# rust-embed sees a new file name only when the embedding module is compiled again.
touch "$root/src/server/guides.rs"
echo "$(ls "$root/guides/images" | wc -l) captures dans guides/images ; relancez « make build » pour les intégrer."
