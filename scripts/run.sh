#!/usr/bin/env bash
# `make run`, the newcomer's path: on a new data directory, install the demo first (SPEC §14) — with the
# reference files of ../shared/data when they are there, the built-in "(démo)" set otherwise — then serve.
# On an existing data directory, just serve it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
binary="$root/target/release/emjpm"
data="${EMJPM_DATA_DIR:-./emjpm-data}"
listen="${EMJPM_LISTEN:-127.0.0.1:3000}"

if [ ! -e "$data/emjpm.redb" ]; then
  args=()
  shared="$root/../shared/data"
  [ -f "$shared/tribunaux.csv" ] && args+=(--tribunaux "$shared/tribunaux.csv")
  [ -f "$shared/etablissements.csv" ] && args+=(--etablissements "$shared/etablissements.csv")
  echo "Nouveau dossier de données « $data » : installation de la démonstration…"
  EMJPM_LOG="${EMJPM_LOG:-warn}" "$binary" demo --data-dir "$data" ${args[@]+"${args[@]}"}
  echo
fi
echo "e-MJPM : http://$listen/ (connexion : http://$listen/connexion). Arrêt : Ctrl+C."
exec "$binary" serve --listen "$listen" --data-dir "$data"
