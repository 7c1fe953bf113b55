#!/usr/bin/env bash
# Issue 20: the national-scale benchmark. Generates a whole country's data set with `emjpm generer-national`
# (kept in target/national/, keyed by the figures, the seed and the binary), serves it with the release binary
# and measures every page and endpoint at 32 connections against /sante in the same run, the writes against the
# machine's own limit of durable commits, memory, start-up, database size and backup; then the cost of a page
# and of a write at smaller scales. Writes docs/PERFORMANCE-NATIONAL.md (EMJPM_NATIONAL_REPORT to change it),
# which scripts/bench.sh appends to docs/PERFORMANCE.md.
#
#   make bench-national                                  # 1,000,000 mesures, and the cost table (1k…1M)
#   EMJPM_NATIONAL_MESURES=20000 EMJPM_NATIONAL_COSTS= … # a short run (CI: scripts/bench-national.sh --court)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ "${1:-}" = "--court" ]; then
  # CI's short version: a small country, one-second runs, the report kept out of docs/.
  export EMJPM_NATIONAL_MESURES=20000 EMJPM_NATIONAL_MANDATAIRES=400 EMJPM_NATIONAL_ETABLISSEMENTS=30000
  export EMJPM_NATIONAL_MAGISTRATS=300 EMJPM_NATIONAL_JOURNAL=20000 EMJPM_NATIONAL_COURRIELS=2000
  export EMJPM_NATIONAL_COSTS="" EMJPM_BENCH_SECONDS=1 EMJPM_NATIONAL_PLUS_GROS=2000
  export EMJPM_NATIONAL_REPORT="${EMJPM_NATIONAL_REPORT:-target/national/court.md}"
fi
duration="${EMJPM_BENCH_SECONDS:-10}"
mesures="${EMJPM_NATIONAL_MESURES:-1000000}"
mandataires="${EMJPM_NATIONAL_MANDATAIRES:-10000}"
etablissements="${EMJPM_NATIONAL_ETABLISSEMENTS:-100000}"
magistrats="${EMJPM_NATIONAL_MAGISTRATS:-2000}"
journal="${EMJPM_NATIONAL_JOURNAL:-1000000}"
courriels="${EMJPM_NATIONAL_COURRIELS:-100000}"
plus_gros="${EMJPM_NATIONAL_PLUS_GROS:-5000}"
costs="${EMJPM_NATIONAL_COSTS-1000 10000 100000}"
seed="${EMJPM_NATIONAL_SEED:-2026}"
report="${EMJPM_NATIONAL_REPORT:-docs/PERFORMANCE-NATIONAL.md}"
shared="${EMJPM_BENCH_DATA:-$root/../shared/data}"
for f in tribunaux etablissements; do
  if [ ! -f "$shared/$f.csv" ]; then
    if [ "${1:-}" = "--court" ]; then
      # Without the reference files (a machine without ../shared/data), the short run still exercises every
      # step on the test fixtures: three tribunaux, five établissements.
      echo "$shared/$f.csv absent : version courte sur les fichiers de test (end2end/fixtures)"
      shared="$root/end2end/fixtures"
      break
    fi
    echo "$shared/$f.csv manquant : le banc national lit les fichiers de référence"; exit 1
  fi
done
export EMJPM_BENCH_DATA="$shared"
mkdir -p target/national
work="$(mktemp -d -p "$root/target/national")"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
cp target/release/emjpm "$work/emjpm"
binary_key="$(sha256sum target/release/emjpm | cut -c1-12)"
password="Echelle-Nationale-2026"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"

# generate <mesures> <plus gros>: the data set in target/national/<key>/ (once), its report in generation.txt.
generate() {
  local key="m$1-g$2-d$mandataires-e$etablissements-j$magistrats-a$journal-c$courriels-s$seed-$binary_key-$(echo "$shared" | sha256sum | cut -c1-6)"
  local dir="target/national/$key"
  if [ ! -f "$dir/generation.txt" ]; then
    rm -rf "$dir"
    echo "génération : $1 mesures…" >&2
    local start_ns; start_ns=$(date +%s%N)
    "$work/emjpm" generer-national --tribunaux "$shared/tribunaux.csv" --etablissements "$shared/etablissements.csv" \
      --graine "$seed" --mandataires "$mandataires" --mesures "$1" --plus-gros "$2" --magistrats "$magistrats" \
      --nombre-etablissements "$etablissements" --journal "$journal" --courriels "$courriels" \
      --data-dir "$dir/data" > "$dir.txt"
    echo "generation_ms $(( ($(date +%s%N) - start_ns) / 1000000 ))" >> "$dir.txt"
    # The first start builds the search indexes; it is timed here, the benchmark times the next ones.
    start_ns=$(date +%s%N)
    "$work/emjpm" serve --listen "127.0.0.1:$port" --data-dir "$dir/data" --sauvegardes-gardees 0 > "$work/first.log" 2>&1 &
    server_pid=$!
    until curl -fsS "$base/sante" > /dev/null 2>&1; do sleep 0.05; done
    echo "first_start_ms $(( ($(date +%s%N) - start_ns) / 1000000 ))" >> "$dir.txt"
    kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""
    mv "$dir.txt" "$dir/generation.txt"
  fi
  echo "$dir"
}

# serve <dir>: a copy of the data set, served; sets started_ms to the start-up time.
serve() {
  rm -rf "$work/data"
  cp -r "$1/data" "$work/data"
  # The copy written out first: the start-up measured is the server's, not the disk flushing a 1 GB copy.
  sync
  local start_ns; start_ns=$(date +%s%N)
  # RUST_BACKTRACE=1 as a developer's shell often has it: a panic's backtrace once cost 35 to 55 MB of memory
  # for the rest of the process's life (docs/ARCHITECTURE.md), and the run counts the panics logged.
  RUST_BACKTRACE=1 "$work/emjpm" serve --listen "127.0.0.1:$port" --data-dir "$work/data" --trust-proxy \
    --autocompletion-par-seconde 0 --sauvegardes-gardees 0 > "$work/server.log" 2>&1 &
  server_pid=$!
  until curl -fsS "$base/sante" > /dev/null 2>&1; do sleep 0.02; done
  started_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
}

stop() { kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""; }

# page <name> <cookie> <path> [connections]: warm-up, then the measured run into $work/<name>.txt.
page() {
  EMJPM_BENCH_COOKIE="$2" EMJPM_BENCH_PATH="$3" wrk -t2 -c"${4:-32}" -d2s -s bench/page.lua "$base/" > /dev/null
  EMJPM_BENCH_COOKIE="$2" EMJPM_BENCH_PATH="$3" wrk -t2 -c"${4:-32}" -d"${duration}s" --latency -s bench/page.lua "$base/" > "$work/$1.txt"
  echo "path $3" >> "$work/$1.txt"
}

# rss <phase>: the server's resident memory (and the file-backed part of it) after a phase, into rss.txt.
rss() {
  echo "$1 $(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status") $(awk '/RssFile/ {print $2}' "/proc/$server_pid/status")" >> "$work/rss.txt"
}

field() { awk -v k="$2" '$1 == "banc" && $2 == k {print $3}' "$1/generation.txt"; }

main="$(generate "$mesures" "$plus_gros")"
serve "$main"
restart_ms="$started_ms"
: > "$work/rss.txt"
rss "start-up"
cookies="$(python3 bench/national.py 127.0.0.1 "$port" "$password" admin=admin detenteur="$(field "$main" detenteur)" \
  prepose="$(field "$main" prepose)" magistrat="$(field "$main" magistrat)")"
cookie() { echo "$cookies" | awk -v k="$1" '$2 == k {print $3}'; }
holder_id="$(awk '$1 == "banc" && $2 == "detenteur" {print $4}' "$main/generation.txt")"
lieu="$(field "$main" lieu)"
echo "pages…"
page holder-mesures "$(cookie detenteur)" /mandataire/mesures
page holder-eteintes "$(cookie detenteur)" /mandataire/mesures/eteintes
page holder-attente "$(cookie detenteur)" /mandataire/mesures/en-attente
page holder-carte "$(cookie detenteur)" /mandataire/carte
page holder-antennes "$(cookie detenteur)" /mandataire/antennes
page holder-informations "$(cookie detenteur)" /mandataire/informations
page prepose-mesures "$(cookie prepose)" /mandataire/mesures
page magistrat-mandataires "$(cookie magistrat)" /magistrat/mandataires
page magistrat-distance "$(cookie magistrat)" "/magistrat/mandataires?tri=distance&lieu=$lieu"
page magistrat-page3 "$(cookie magistrat)" "/magistrat/mandataires?page=3"
page magistrat-carte "$(cookie magistrat)" /magistrat/carte
page magistrat-couches "$(cookie magistrat)" /magistrat/carte/couches
page magistrat-mesures "$(cookie magistrat)" /magistrat/mesures
page magistrat-fiche "$(cookie magistrat)" "/magistrat/mandataires/$holder_id"
page admin-utilisateurs "$(cookie admin)" /admin/utilisateurs
page admin-journal "$(cookie admin)" /admin/journal
page admin-courriels "$(cookie admin)" /admin/courriels
page admin-etablissements "$(cookie admin)" /admin/etablissements
page admin-tribunaux "$(cookie admin)" /admin/tribunaux
rss "pages"
echo "autocompletes on random draws…"
for kind in communes tribunaux etablissements; do
  python3 bench/random_queries.py "$kind" 50000 "$work/queries-$kind.txt"
  wrk -t2 -c32 -d2s -s bench/sante.lua "$base/" > /dev/null
  wrk -t2 -c32 -d"${duration}s" --latency -s bench/sante.lua "$base/" > "$work/sante-$kind.txt"
  EMJPM_BENCH_KIND="$kind" EMJPM_BENCH_QUERIES="$work/queries-$kind.txt" \
    wrk -t2 -c32 -d"${duration}s" --latency -s bench/autocomplete.lua "$base/" > "$work/autocomplete-$kind.txt"
done
rss "autocompletes"
echo "login at 8 connections…"
EMJPM_BENCH_ORIGIN="$base" EMJPM_BENCH_LOGIN=admin EMJPM_BENCH_PASSWORD="$password" \
  wrk -t2 -c8 -d"${duration}s" --latency -s bench/login.lua "$base/" > "$work/login.txt"
rss "login"
echo "bytes on the wire…"
: > "$work/bytes.txt"
for name in holder-mesures magistrat-mandataires magistrat-carte magistrat-couches admin-journal; do
  path="$(awk '$1 == "path" {print $2}' "$work/$name.txt")"
  c="$(cookie "${name%%-*}")"; [ "$name" = holder-mesures ] && c="$(cookie detenteur)"
  plain="$(curl -s -o /dev/null -w '%{size_download}' -H "Cookie: $c" "$base$path")"
  br="$(curl -s -o /dev/null -w '%{size_download}' -H "Cookie: $c" -H 'Accept-Encoding: br' "$base$path")"
  gz="$(curl -s -o /dev/null -w '%{size_download}' -H "Cookie: $c" -H 'Accept-Encoding: gzip' "$base$path")"
  echo "$path $plain $br $gz" >> "$work/bytes.txt"
done
wasm_headers="$(curl -sI "$base/" | tr -d '\r' || true)"
echo "writes: the machine's durable commits, then mesure creations at 32 connections…"
"$work/emjpm" mesurer-commits "$work/commits" --secondes "$duration" > "$work/commits.txt"
EMJPM_BENCH_COOKIE="$(cookie prepose)" EMJPM_BENCH_ORIGIN="$base" \
  wrk -t2 -c32 -d"${duration}s" --latency -s bench/create.lua "$base/" > "$work/create.txt"
rss "writes"
echo "backup while serving…"
start_ns=$(date +%s%N)
"$work/emjpm" backup "$work/backup.redb" --data-dir "$work/data" > /dev/null
backup_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
backup_bytes=$(stat -c %s "$work/backup.redb")
rss "backup"
panics="$(grep -c 'panique' "$work/server.log" || true)"
# Where each panic was (place and message, counted), for the report.
{ grep 'panique' "$work/server.log" || true; } | sed 's/.*location=//' | sort | uniq -c > "$work/panics.txt"
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")
hwm_kb=$(awk '/VmHWM/ {print $2}' "/proc/$server_pid/status")
db_bytes=$(stat -c %s "$work/data/emjpm.redb")
stop

# The cost table: one page and one write at each scale.
: > "$work/costs.txt"
for scale in $costs "$mesures"; do
  [ "$scale" = "$mesures" ] && dir="$main" || dir="$(generate "$scale" "$(( scale / 4 < plus_gros ? scale / 4 : plus_gros ))")"
  serve "$dir"
  start="$started_ms"
  c="$(python3 bench/national.py 127.0.0.1 "$port" "$password" detenteur="$(field "$dir" detenteur)" \
    magistrat="$(field "$dir" magistrat)" prepose="$(field "$dir" prepose)")"
  cd_="$(echo "$c" | awk '$2 == "detenteur" {print $3}')"
  cm="$(echo "$c" | awk '$2 == "magistrat" {print $3}')"
  cp_="$(echo "$c" | awk '$2 == "prepose" {print $3}')"
  page "cost-$scale-mesures" "$cd_" /mandataire/mesures
  page "cost-$scale-mandataires" "$cm" /magistrat/mandataires
  EMJPM_BENCH_COOKIE="$cp_" EMJPM_BENCH_ORIGIN="$base" \
    wrk -t1 -c1 -d"${duration}s" --latency -s bench/create.lua "$base/" > "$work/cost-$scale-create.txt"
  echo "$scale $start $(stat -c %s "$work/data/emjpm.redb") $(awk '$1 == "generation_ms" {print $2}' "$dir/generation.txt") $(field "$dir" detenteur) $(awk '$1 == "banc" && $2 == "mandataires" {print $3}' "$dir/generation.txt")" >> "$work/costs.txt"
  stop
done

EMJPM_NATIONAL_PANICS="$panics" python3 bench/national_report.py "$work" "$main/generation.txt" "$report" "$duration" "$restart_ms" "$rss_kb" "$hwm_kb" \
  "$db_bytes" "$backup_ms" "$backup_bytes"
# The national figures also close docs/PERFORMANCE.md (scripts/bench.sh appends the same file).
if [ "$report" = docs/PERFORMANCE-NATIONAL.md ] && [ -f docs/PERFORMANCE.md ]; then
  python3 - <<'PY'
text = open("docs/PERFORMANCE.md").read()
marker = "\n# National scale"
text = text.split(marker)[0].rstrip() + "\n\n" + open("docs/PERFORMANCE-NATIONAL.md").read()
open("docs/PERFORMANCE.md", "w").write(text)
PY
fi
