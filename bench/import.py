"""The import and export benchmark (scripts/bench.sh, issue 17): a préposé signed up and activated through the
server's forms imports a file of N mesures (10,000 by default: the import's limit) end to end — "Vérifier le
fichier" (multipart upload), the page with the preview, "Importer" — while wrk measures `/sante` on the same
server (4 connections, the monitoring load of a supervisor and a load balancer); then the two exports of those
mesures are downloaded. A baseline run of the same wrk comes first, without any import.

Usage: import.py <host> <port> <rows> <work dir>. Prints "<name> <value>" lines; wrk's outputs are written to
<work dir>/import-sante-{baseline,during}.txt."""
import http.client
import os
import re
import subprocess
import sys
import time
import urllib.parse

host, port, rows, work = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
origin = f"http://{host}:{port}"
PASSWORD = "Banc-D-Essai-2026"


def request(method, path, body=b"", headers=None):
    connection = http.client.HTTPConnection(host, port, timeout=120)
    connection.request(method, path, body, headers or {})
    response = connection.getresponse()
    data = response.read()
    return response, data


def post(path, fields, cookie="", ip="10.9.3.1"):
    return request("POST", path, urllib.parse.urlencode(fields), {
        "Origin": origin, "Accept": "text/html", "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": cookie, "X-Forwarded-For": ip})[0]


def get(path, cookie):
    return request("GET", path, headers={"Cookie": cookie})[1].decode()


def session(response):
    for name, value in response.getheaders():
        if name.lower() == "set-cookie" and value.startswith("emjpm_session="):
            return value.split(";")[0]
    raise SystemExit(f"pas de session : {response.status}")


def log_in(identifiant):
    return session(post("/api/connexion", {"identifiant": identifiant, "mot_de_passe": PASSWORD, "retour": ""}))


tribunal = re.search(r'"id":"(\d+)"', get("/api/autocomplete/tribunaux?q=calais", "")).group(1)
admin = log_in("bench")
name = "bench-import"
response = post("/api/inscription", {
    "tribunaux[]": tribunal, "type_mandataire": "prepose", "identifiant": name, "mot_de_passe": PASSWORD,
    "confirmation": PASSWORD, "nom": "Banc", "prenom": "Import", "genre": "F", "adresse": "1 rue Royale",
    "code_postal": "62100", "commune": "Calais", "telephone": "0321000000", "email": f"{name}@exemple.fr",
    "mesures_souhaitees": "999"})
assert response.status == 302, response.status
page = get(f"/admin/utilisateurs?onglet=en-attente&q={name}", admin).replace("<!>", "")
user_id = re.search(r'href="/admin/utilisateurs/(\d+)"', page).group(1)
assert post("/api/admin/utilisateurs/statut", {"id": user_id, "activer": "true", "retour": "/"}, admin).status == 302
cookie = log_in(name)

# The file: N mesures over 20 communes, with a numéro de dossier and a RG each, as a French Excel saves it.
places = [("62100", "Calais"), ("62000", "Arras"), ("62200", "Boulogne-sur-Mer"), ("62300", "Lens"),
          ("62400", "Béthune"), ("62500", "Saint-Omer"), ("62600", "Berck"), ("62700", "Bruay-la-Buissière"),
          ("62800", "Liévin"), ("62110", "Hénin-Beaumont"), ("62120", "Aire-sur-la-Lys"), ("62140", "Hesdin-la-Forêt"),
          ("62160", "Bully-les-Mines"), ("62170", "Montreuil-sur-Mer"), ("62180", "Rang-du-Fliers"),
          ("62190", "Lillers"), ("62210", "Avion"), ("62220", "Carvin"), ("62230", "Outreau"), ("62240", "Desvres")]
natures = ["Tutelle", "Curatelle simple", "Curatelle renforcée aux biens et à la personne", "Sauvegarde de justice"]
lines = ["Date décision;Type;Champ;Code postal;Commune;Genre;Année naissance;Lieu de vie;FINESS;Numéro dossier;Numéro RG;Tribunal"]
for n in range(rows):
    code_postal, commune = places[n % len(places)]
    lines.append(f"{1 + n % 28:02d}/{1 + n % 12:02d}/20{10 + n % 15};{natures[n % 4]};;{code_postal};{commune};"
                 f"{'Femme' if n % 2 else 'Homme'};{1930 + n % 60};À domicile;;IMP-{n:05d};26/{n:05d};")
csv = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
body = (b'--B\r\nContent-Disposition: form-data; name="fichier"; filename="mesures.csv"\r\n'
        b"Content-Type: text/csv\r\n\r\n" + csv + b"\r\n--B--\r\n")


def monitor(seconds, out):
    return subprocess.Popen(["wrk", "-t1", "-c4", f"-d{seconds}s", "--latency", "-s", "bench/sante.lua", origin + "/"],
                            stdout=open(os.path.join(work, out), "w"))


monitor(6, "import-sante-baseline.txt").wait()
watch = monitor(6, "import-sante-during.txt")
time.sleep(1.5)
start = time.perf_counter()
response, _ = request("POST", "/mandataire/import/verifier", body, {
    "Origin": origin, "Accept": "text/html", "Cookie": cookie, "Content-Type": "multipart/form-data; boundary=B"})
assert response.status == 303, response.status
checked = time.perf_counter()
page = get("/mandataire/import", cookie)
jeton = re.search(r'name="jeton" value="([^"]+)"', page)
assert jeton, page[-2000:]
previewed = time.perf_counter()
response = post("/api/mandataire/import/importer", {"jeton": jeton.group(1)}, cookie)
assert response.status in (302, 303), response.status
done = time.perf_counter()
watch.wait()
counted = get("/mandataire/mesures", cookie).replace("<!>", "")
held = re.search(r"(\d+) / 999", counted)

exports = {}
for fichier in ("en-cours.csv", "en-cours.xlsx"):
    begin = time.perf_counter()
    response, data = request("GET", f"/mandataire/export/{fichier}", headers={"Cookie": cookie})
    exports[fichier] = (time.perf_counter() - begin, len(data), response.status)
csv_rows = exports["en-cours.csv"][1]

print("file_bytes", len(csv))
print("rows", rows)
print("verify_ms", round((checked - start) * 1000))
print("preview_ms", round((previewed - checked) * 1000))
print("import_ms", round((done - previewed) * 1000))
print("total_ms", round((done - start) * 1000))
print("held", held.group(1) if held else "?")
for fichier, (seconds, size, status) in exports.items():
    print(f"export_{fichier.replace('.', '_')}_ms", round(seconds * 1000), size, status)
