#!/usr/bin/env bash
# Browser and command-line tests against the real release binary, copied alone into an empty folder.
# Prints a plain "N passed, N failed" line for the browser suite.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
binary="$root/target/release/emjpm"
[ -x "$binary" ] || { echo "Binaire absent : lancez « make build »."; exit 1; }

work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "${smtp_pid:-}" ] && kill "$smtp_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cp "$binary" "$work/emjpm"
cd "$work"
failures=0
check() { # description, command...: counts a failed command-line check
  local what="$1"; shift
  if "$@"; then echo "ok   - $what"; else echo "FAIL - $what"; failures=$((failures + 1)); fi
}

# --- Command line: one French line and a non-zero exit, never a panic ------------------------------
out="$(./emjpm --bogus 2>&1)" && code=0 || code=$?
check "unknown flag: French line, exit 2" test "$code" = 2 -a "$out" = "Erreur : option inconnue « --bogus ». Voir « emjpm --help »."
out="$(./emjpm serve --listen nowhere 2>&1)" && code=0 || code=$?
check "bad --listen: French line" bash -c '[ "$0" != 0 ] && [ "$(printf "%s\n" "$1" | wc -l)" = 1 ] && [[ "$1" == "Erreur : valeur invalide « nowhere » pour --listen"* ]]' "$code" "$out"
out="$(./emjpm --fuseau-horaire Europe/Atlantide 2>&1)" && code=0 || code=$?
check "unknown time zone: French line, exit 2" bash -c '[ "$0" = 2 ] && [ "$(printf "%s\n" "$1" | wc -l)" = 1 ] && [[ "$1" == "Erreur : valeur invalide « Europe/Atlantide » pour --fuseau-horaire : fuseau horaire inconnu"* ]]' "$code" "$out"
touch not-a-directory
out="$(./emjpm serve --data-dir not-a-directory/data 2>&1)" && code=0 || code=$?
check "unwritable data directory: French line, exit 1" bash -c '[ "$0" = 1 ] && [[ "$1" == "Erreur : impossible de créer le dossier de données « not-a-directory/data »"* ]] && ! grep -q panicked <<<"$1"' "$code" "$out"

# --- The server, from an empty folder ------------------------------------------------------------
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
mkdir empty && cd empty && mv ../emjpm . 
wait_ready() { for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/sante" > /dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }

# Under strace first: serving pages and assets reads no file outside the binary and its data directory.
strace -f -qq -e trace=open,openat,openat2 -o ../trace.txt ./emjpm serve --listen "127.0.0.1:$port" --data-dir ./emjpm-data > ../trace.log 2>&1 &
server_pid=$!
wait_ready
for path in / /mentions-legales /accessibilite /pkg/emjpm.js /pkg/emjpm.wasm /pkg/emjpm.css /favicon.svg \
  "/api/autocomplete/communes?q=calais" "/?commune=calais" /absente; do
  curl -sS -o /dev/null "http://127.0.0.1:$port$path"
done
# Signal the server itself (strace's child), then let strace finish writing the trace.
kill -TERM "$(pgrep -P "$server_pid")"; wait "$server_pid" || true
server_pid=""
outside="$(grep -oE 'open(at2?)?\([^"]*"[^"]*"' ../trace.txt | sed -E 's/.*"([^"]*)"$/\1/' | sort -u \
  | grep -vE '^(emjpm-data|\./emjpm-data|'"$PWD"'/emjpm-data)(/|$)' \
  | grep -vE '^/(etc/(ld\.so\.cache|ld\.so\.preload|localtime|nsswitch\.conf|host\.conf|hosts|resolv\.conf|gai\.conf)|lib|lib64|usr/lib|proc|sys|dev)(/|$)' || true)"
check "reads nothing outside the binary and its data directory" test -z "$outside"
[ -z "$outside" ] || printf 'files read outside:\n%s\n' "$outside"

./emjpm serve --listen "127.0.0.1:$port" --data-dir ./emjpm-data > server.log 2>&1 &
server_pid=$!
wait_ready
check "/sante answers ok" test "$(curl -fsS "http://127.0.0.1:$port/sante")" = ok
check "data directory created, owner only" test "$(stat -c %a emjpm-data)" = 700
check "database created" test -s emjpm-data/emjpm.redb
check "only the binary and the data directory in the folder" test "$(ls | sort | tr '\n' ' ')" = "emjpm emjpm-data server.log "
refused="$(curl -sS -o refused.html -w '%{http_code}' -X POST -H 'Origin: https://evil.example' "http://127.0.0.1:$port/api/communes/localiser")"
check "cross-site POST: 403 « Requête refusée »" bash -c '[ "$0" = 403 ] && grep -q "Requête refusée" refused.html' "$refused"
rm -f refused.html
check "start-up hint when no administrator exists" grep -q "Aucun administrateur : lancez « emjpm create-admin »." server.log
# While the server runs, the command hands its work to it (the command channel) and the account logs in at once.
out="$(EMJPM_ADMIN_PASSWORD=Tribunal-62100 ./emjpm create-admin --identifiant admin.canal --email admin.canal@exemple.fr --data-dir ./emjpm-data 2>&1)" && code=0 || code=$?
check "create-admin while the server runs: done by the server" bash -c '[ "$0" = 0 ] && [ "$1" = "Administrateur « admin.canal » créé (1 administrateur actif au total)." ]' "$code" "$out"
check "the command channel is the owner's only" test "$(stat -c %a emjpm-data/emjpm.sock)" = 600
status="$(curl -sS -o /dev/null -w '%{http_code}' -c cookies.txt -H "Origin: http://127.0.0.1:$port" -H 'Accept: text/html' \
  --data 'identifiant=admin.canal&mot_de_passe=Tribunal-62100&retour=' "http://127.0.0.1:$port/api/connexion")"
check "that administrator logs in without a restart" bash -c '[ "$0" = 302 ] && grep -q emjpm_session cookies.txt' "$status"
rm -f cookies.txt
# A second server on the same data directory is refused (the live database is never opened twice).
out="$(./emjpm serve --listen 127.0.0.1:0 --data-dir ./emjpm-data 2>&1)" && code=0 || code=$?
check "second server on the same data: refused in French" bash -c '[ "$0" = 1 ] && [[ "$1" == *"déjà utilisée par un autre processus e-MJPM"* ]]' "$code" "$out"

# --- Clean shutdown on SIGTERM, then the command line on the stopped server's data --------------------
kill -TERM "$server_pid"
wait "$server_pid" && code=0 || code=$?
server_pid=""
check "SIGTERM: clean exit 0" test "$code" = 0
check "shutdown logged" grep -q "e-MJPM arrêté proprement" server.log
out="$(EMJPM_ADMIN_PASSWORD=abc123 ./emjpm create-admin --identifiant admin --email admin@exemple.fr --data-dir ./emjpm-data 2>&1)" && code=0 || code=$?
check "create-admin with a short password: the policy message" bash -c '[ "$0" = 1 ] && [ "$1" = "Erreur : Votre mot de passe doit être composé de 10 caractères minimum." ]' "$code" "$out"
out="$(EMJPM_ADMIN_PASSWORD=Tribunal-62100 ./emjpm create-admin --identifiant Admin --email Admin@Exemple.fr --data-dir ./emjpm-data 2>&1)" && code=0 || code=$?
check "create-admin on the stopped server's data" bash -c '[ "$0" = 0 ] && [ "$1" = "Administrateur « admin » créé (2 administrateurs actifs au total)." ]' "$code" "$out"
check "the password never reaches the output" bash -c '! grep -q Tribunal-62100 <<<"$0"' "$out"
# Issue 19: one admin per browser project enrols in two-factor login.
for project in js nojs; do
  EMJPM_ADMIN_PASSWORD=Tribunal-62100 ./emjpm create-admin --identifiant "admin.2fa.$project" --email "admin.2fa.$project@exemple.fr" --data-dir ./emjpm-data > /dev/null
done
# Imports: the reference file when the shared data is here (its row count), the project's fixture otherwise (3 rows).
reference="reference"
import_twice() { # kind reference-rows
  local kind="$1" file="$root/../shared/data/$1.csv" rows="$2"
  [ -f "$file" ] || { file="$root/end2end/fixtures/$kind.csv"; rows=$(( $(wc -l < "$file") - 1 )); reference="fixtures"; }
  out="$(./emjpm "import-$kind" "$file" --data-dir ./emjpm-data 2>&1)" && code=0 || code=$?
  check "import-$kind: $rows créés" test "$code:$out" = "0:$rows créés, 0 mis à jour, 0 inchangés, 0 absents du fichier, 0 lignes en erreur"
  out="$(./emjpm "import-$kind" "$file" --data-dir ./emjpm-data 2>&1)" && code=0 || code=$?
  check "import-$kind again: $rows inchangés" test "$code:$out" = "0:0 créés, 0 mis à jour, $rows inchangés, 0 absents du fichier, 0 lignes en erreur"
}
import_twice tribunaux 599
import_twice etablissements 24030
printf 'type,nom\nXX,\n' > bad.csv
out="$(./emjpm import-tribunaux bad.csv --data-dir ./emjpm-data 2>&1)" && code=0 || code=$?
check "import-tribunaux of a file without a valid line: listed, exit 1" bash -c '[ "$0" = 1 ] && grep -q "^Ligne 2 : type de tribunal inconnu « XX »" <<<"$1"' "$code" "$out"
rm -f bad.csv

# --- Browser suite, JavaScript enabled and disabled, on the prepared data ------------------------------
# --trust-proxy: each browser test sends its own X-Forwarded-For, so that the per-address limits of one test
# do not spill over the next (the limits themselves are tested with one address). The map tiles come from a
# closed port: the maps must work without their background and say so (SPEC §11, scenario 17).
./emjpm serve --listen "127.0.0.1:$port" --data-dir ./emjpm-data --trust-proxy --contact-email contact@exemple.fr \
  --tile-url 'http://127.0.0.1:9/{z}/{x}/{y}.png' > server2.log 2>&1 &
server_pid=$!
wait_ready
check "restart on existing data" test "$(curl -fsS "http://127.0.0.1:$port/sante")" = ok
check "communes index reused, not rebuilt" bash -c '! grep -q "construction de l.index.*communes" server2.log'
check "tribunaux index rebuilt after the import" grep -q "construction de l.index.*tribunaux" server2.log
check "no start-up hint once an administrator exists" bash -c '! grep -q "Aucun administrateur" server2.log'
first_tribunal="$(curl -fsS "http://127.0.0.1:$port/api/autocomplete/tribunaux?q=calais" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r[0]["label"] if r else ""); print(any("instance" in x["label"] for x in r), file=sys.stderr)' 2>closed.txt)"
check "tribunaux autocomplete: « calais » → TPROX Calais, no closed TI" bash -c '[ "$0" = "Tribunal de proximité de Calais" ] && grep -qx False closed.txt' "$first_tribunal"
rm -f closed.txt
first_etablissement="$(curl -fsS "http://127.0.0.1:$port/api/autocomplete/etablissements?q=chateau%20des%20dunes" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r[0]["label"] if r else "")')"
check "établissements autocomplete: « chateau des dunes »" test "$first_etablissement" = "EHPAD RESIDENCE CHATEAU DES DUNES – 62100 Calais"

cd "$root/end2end"
set +e
EMJPM_BASE_URL="http://127.0.0.1:$port" EMJPM_ADMIN_LOGIN=admin EMJPM_ADMIN_PASSWORD=Tribunal-62100 \
  EMJPM_DATA="$reference" npx playwright test
set -e
node -e '
  const r = require("./test-results/results.json");
  let passed = 0, failed = 0, skipped = 0;
  const walk = (s) => { (s.suites || []).forEach(walk); (s.specs || []).forEach((spec) => spec.tests.forEach((t) => {
    const st = t.results.length ? t.results[t.results.length - 1].status : "skipped";
    if (st === "passed") passed++; else if (st === "skipped") skipped++; else failed++; })); };
  r.suites.forEach(walk);
  console.log(`${passed} passed, ${failed} failed` + (skipped ? ` (${skipped} skipped)` : ""));
  process.exit(failed || passed === 0 ? 1 : 0);
' || failures=$((failures + 1))
cd "$work/empty"
check "no secret or panic in the log" bash -c '! grep -Eiq "panicked|password|mot de passe|argon2|jeton=|emjpm_session=" server2.log'
# Issue 19: the server's owner resets a lost second factor while the server runs (the command channel).
out="$(./emjpm create-admin --identifiant admin.2fa.js --reinitialiser-2fa --data-dir ./emjpm-data 2>&1)" && code=0 || code=$?
check "create-admin --reinitialiser-2fa through the running server" bash -c '[ "$0" = 0 ] && [ "$1" = "Double authentification de « admin.2fa.js » réinitialisée : il pourra l'"'"'activer de nouveau après sa connexion." ]' "$code" "$out"
status="$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' -H "Origin: http://127.0.0.1:$port" -H 'Accept: text/html' \
  -H 'X-Forwarded-For: 10.99.0.1' --data 'identifiant=admin.2fa.js&mot_de_passe=Tribunal-62100&retour=' "http://127.0.0.1:$port/api/connexion")"
check "after the reset the password alone logs in" bash -c '[[ "$0" == "302 "*"/admin/utilisateurs" ]]' "$status"
out="$(./emjpm create-admin --identifiant personne --reinitialiser-2fa --data-dir ./emjpm-data 2>&1)" && code=0 || code=$?
check "create-admin --reinitialiser-2fa of an unknown admin: refused in French" bash -c '[ "$0" = 1 ] && [ "$1" = "Erreur : Aucun administrateur n'"'"'a l'"'"'identifiant « personne »." ]' "$code" "$out"
kill -INT "$server_pid"; wait "$server_pid" && code=0 || code=$?
server_pid=""
check "SIGINT: clean exit 0" test "$code" = 0

# --- Issue 18: reservations growing old, with a clock the test controls -----------------------------------
# The same data again, under `--horloge-de-test`: the spec moves the server's clock by writing into the file.
echo 0 > clock.txt
./emjpm serve --listen "127.0.0.1:$port" --data-dir ./emjpm-data --trust-proxy --horloge-de-test "$PWD/clock.txt" \
  --tile-url none > server-clock.log 2>&1 &
server_pid=$!
wait_ready
check "test clock announced in the log" grep -q "horloge de test active" server-clock.log
cd "$root/end2end"
set +e
EMJPM_BASE_URL="http://127.0.0.1:$port" EMJPM_ADMIN_LOGIN=admin EMJPM_ADMIN_PASSWORD=Tribunal-62100 \
  EMJPM_CLOCK_FILE="$work/empty/clock.txt" npx playwright test tests/horloge.spec.ts --reporter=line
clock_code=$?
set -e
cd "$work/empty"
check "browser: old reservations under the test clock (JavaScript on and off)" test "$clock_code" = 0
check "the clock was moved" grep -q "horloge de test déplacée" server-clock.log
kill -TERM "$server_pid"; wait "$server_pid" || true
server_pid=""
rm -f clock.txt

# --- E-mail through a real SMTP server on loopback ------------------------------------------------------
smtp_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
PYTHONPATH="$root/tools/python" python3 "$root/scripts/smtp-sink.py" "$smtp_port" "$work/mail" > smtp.log 2>&1 &
smtp_pid=$!
for _ in $(seq 1 50); do grep -q smtp-sink smtp.log && break; sleep 0.1; done
EMJPM_SMTP_URL="smtp://127.0.0.1:$smtp_port" ./emjpm serve --listen "127.0.0.1:$port" --data-dir ./emjpm-data \
  --smtp-from "e-MJPM <ne-pas-repondre@exemple.fr>" --public-url "http://127.0.0.1:$port" > server3.log 2>&1 &
server_pid=$!
wait_ready
status="$(curl -sS -o /dev/null -w '%{http_code}' -H "Origin: http://127.0.0.1:$port" -H 'Accept: text/html' \
  --data-urlencode 'email=ADMIN@exemple.fr' "http://127.0.0.1:$port/api/mot-de-passe-oublie")"
check "forgotten password posted: redirect" test "$status" = 302
# Every pending e-mail of the browser suite is delivered too: look for the reset e-mail among them.
find_reset() {
  python3 - "$work/mail" "$port" <<'PY'
import email, email.policy, glob, json, os, re, sys
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.eml"))):
    message = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
    envelope = json.load(open(path[:-4] + ".json"))
    if message["Subject"] != "Nouveau mot de passe pour e-MJPM" or envelope["to"] != ["admin@exemple.fr"]:
        continue
    body = message.get_body(preferencelist=("plain",)).get_content()
    ok = (message["To"] == "admin@exemple.fr"
          and "ne-pas-repondre@exemple.fr" in message["From"]
          and re.search(r"http://127\.0\.0\.1:%s/reinitialiser-mot-de-passe\?jeton=[A-Za-z0-9_-]{43}" % sys.argv[2], body)
          and "Ce lien est valable 2 heures et ne peut servir qu'une fois." in body
          and "Identifiant : admin" in body)
    sys.exit(0 if ok else 2)
sys.exit(1)
PY
}
mail_code=1
for _ in $(seq 1 150); do find_reset && mail_code=0 || mail_code=$?; [ "$mail_code" = 1 ] || break; sleep 0.2; done
check "the SMTP server received the reset e-mail: recipient, subject, sender, link" test "$mail_code" = 0
sent="$(for _ in $(seq 1 50); do grep -q "courriel envoyé" server3.log && { echo yes; break; }; sleep 0.1; done)"
check "the outbox marks it sent" test "$sent" = yes
kill -TERM "$server_pid"; wait "$server_pid" || true
server_pid=""
kill "$smtp_pid" 2>/dev/null || true
smtp_pid=""
check "no SMTP secret or token in the log" bash -c '! grep -Eiq "jeton=|smtp://" server3.log'

# --- Scenario 28: the reference tribunaux imported from the web page, then by the command line ---------
if [ "$reference" = reference ]; then tribunaux_file="$root/../shared/data/tribunaux.csv"; else tribunaux_file="$root/end2end/fixtures/tribunaux.csv"; fi
tribunaux_rows=$(( $(wc -l < "$tribunaux_file") - 1 ))
mkdir "$work/web" && cp ./emjpm "$work/web/" && cd "$work/web"
EMJPM_ADMIN_PASSWORD=Tribunal-62100 ./emjpm create-admin --identifiant admin --email admin@exemple.fr --data-dir ./data > /dev/null
./emjpm serve --listen "127.0.0.1:$port" --data-dir ./data > server4.log 2>&1 &
server_pid=$!
wait_ready
origin="http://127.0.0.1:$port"
curl -sS -o /dev/null -c jar -b jar -H "Origin: $origin" -H 'Accept: text/html' \
  --data-urlencode identifiant=admin --data-urlencode mot_de_passe=Tribunal-62100 --data-urlencode retour= "$origin/api/connexion"
status="$(curl -sS -o /dev/null -w '%{http_code}' -c jar -b jar -H "Origin: $origin" -F "fichier=@$tribunaux_file;type=text/csv" "$origin/admin/import/tribunaux")"
report="$(curl -sS -c jar -b jar "$origin/admin/tribunaux/import" | sed 's/<!>//g')"
check "web import of $tribunaux_rows tribunaux: « $tribunaux_rows créés »" bash -c '[ "$0" = 303 ] && grep -q "<li>$1 créés, 0 mis à jour, 0 inchangés, 0 absents du fichier, 0 lignes en erreur</li>" <<<"$2"' "$status" "$tribunaux_rows" "$report"
# While the server runs, the command line hands the same work to it and prints the same report.
out="$(./emjpm import-tribunaux "$tribunaux_file" --data-dir ./data 2>&1)" && code=0 || code=$?
check "emjpm import-tribunaux while the server runs: « $tribunaux_rows inchangés », by the server" test "$code:$out" = "0:0 créés, 0 mis à jour, $tribunaux_rows inchangés, 0 absents du fichier, 0 lignes en erreur"
out="$(./emjpm backup copie.redb --data-dir ./data 2>&1)" && code=0 || code=$?
check "emjpm backup while the server runs: written, owner only" bash -c '[ "$0" = 0 ] && [[ "$1" == "Sauvegarde écrite : "*"copie.redb"* ]] && [ "$(stat -c %a copie.redb)" = 600 ]' "$code" "$out"
out="$(./emjpm backup copie.redb --data-dir ./data 2>&1)" && code=0 || code=$?
check "emjpm backup over an existing file: refused without --force" bash -c '[ "$0" = 1 ] && [[ "$1" == "Erreur : le fichier"*"--force"* ]]' "$code" "$out"
kill -TERM "$server_pid"; wait "$server_pid" || true
server_pid=""
out="$(./emjpm import-tribunaux "$tribunaux_file" --data-dir ./data 2>&1)" && code=0 || code=$?
check "then emjpm import-tribunaux: « $tribunaux_rows inchangés »" test "$code:$out" = "0:0 créés, 0 mis à jour, $tribunaux_rows inchangés, 0 absents du fichier, 0 lignes en erreur"
out="$(./emjpm restore copie.redb --data-dir ./restaure 2>&1)" && code=0 || code=$?
check "emjpm restore into an empty folder" bash -c '[ "$0" = 0 ] && [[ "$1" == "Sauvegarde restaurée : "* ]]' "$code" "$out"
out="$(./emjpm verifier --data-dir ./restaure 2>&1)" && code=0 || code=$?
check "the restored database is consistent" bash -c '[ "$0" = 0 ] && [[ "$1" == *"Base cohérente : "* ]]' "$code" "$out"
printf 'pas une base' > faux.redb
out="$(./emjpm restore faux.redb --data-dir ./data 2>&1)" && code=0 || code=$?
check "emjpm restore of a foreign file: refused in French" bash -c '[ "$0" = 1 ] && [[ "$1" == "Erreur : « faux.redb » n'"'"'est pas une base e-MJPM lisible"* ]]' "$code" "$out"
cd "$work/empty"

# --- Demo (SPEC §14, scenario 32): `emjpm demo` on a new data directory, then the demo browser suite ---------
mkdir "$work/demo" && cp "$work/empty/emjpm" "$work/demo/" && cd "$work/demo"
if [ "$reference" = reference ]; then demo_data="$root/../shared/data"; else demo_data="$root/end2end/fixtures"; fi
out="$(./emjpm demo --tribunaux "$demo_data/tribunaux.csv" --etablissements "$demo_data/etablissements.csv" --data-dir ./data 2>&1)" && code=0 || code=$?
accounts="$(grep -E '^  demo-' <<<"$out" || true)"
check "emjpm demo with the $reference files: the four accounts and their passwords" bash -c '[ "$0" = 0 ] && [ "$(grep -cE "^  demo-(individuel|prepose|magistrat|admin) +[A-Z].* [A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}$" <<<"$1")" = 4 ] && grep -q "^Tribunal de la démonstration : Tribunal de proximité de Calais$" <<<"$2"' "$code" "$accounts" "$out"
out="$(./emjpm demo --data-dir ./data 2>&1)" && code=0 || code=$?
check "emjpm demo again: nothing changed, the same accounts" bash -c '[ "$0" = 0 ] && grep -q "rien n.a été modifié" <<<"$1" && [ "$(grep -E "^  demo-" <<<"$1")" = "$2" ]' "$code" "$out" "$accounts"
out="$(./emjpm demo --data-dir "$work/empty/emjpm-data" 2>&1)" && code=0 || code=$?
check "emjpm demo on a database with real accounts: refused in French, exit 1" bash -c '[ "$0" = 1 ] && [[ "$1" == "Erreur : ce dossier de données contient des comptes qui ne viennent pas d'"'"'une démonstration"*"--force"* ]]' "$code" "$out"
out="$(./emjpm demo --force --data-dir "$work/empty/emjpm-data" 2>&1)" && code=0 || code=$?
check "emjpm demo --force on real accounts: still refused" bash -c '[ "$0" = 1 ] && [[ "$1" == "Erreur : ce dossier de données contient des comptes"* ]]' "$code" "$out"
./emjpm serve --listen "127.0.0.1:$port" --data-dir ./data --trust-proxy --tile-url none > demo.log 2>&1 &
server_pid=$!
wait_ready
cd "$root/end2end"
set +e
EMJPM_BASE_URL="http://127.0.0.1:$port" npx playwright test -c demo.config.ts
set -e
node -e '
  const r = require("./test-results-demo/results.json");
  let passed = 0, failed = 0;
  const walk = (s) => { (s.suites || []).forEach(walk); (s.specs || []).forEach((spec) => spec.tests.forEach((t) => {
    const st = t.results.length ? t.results[t.results.length - 1].status : "skipped";
    if (st === "passed") passed++; else if (st !== "skipped") failed++; })); };
  r.suites.forEach(walk);
  console.log(`demo: ${passed} passed, ${failed} failed`);
  process.exit(failed || passed === 0 ? 1 : 0);
' || failures=$((failures + 1))
cd "$work/demo"
check "no demo password or panic in the demo server's log" bash -c '! grep -Eiq "panicked|$(grep -oE "[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}$" <<<"$0" | paste -sd "|")" demo.log' "$accounts"
kill -TERM "$server_pid"; wait "$server_pid" || true
server_pid=""

if [ "$failures" -gt 0 ]; then
  echo "e2e: $failures check(s) failed"
  exit 1
fi
echo "e2e: all checks passed"
