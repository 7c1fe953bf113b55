"""Prepares the magistrat benchmarks (scripts/bench.sh): 300 active mandataires of the Tribunal de proximité de
Calais, signed up and activated through the server's own forms like real users (each from its own address,
which the bench server trusts with --trust-proxy), spread over 20 communes, the first 100 holding 5 mesures en
cours each; and an active magistrat of that tribunal. Prints "bench-magistrat <session cookie>".

Usage: magistrat.py <host> <port> [count [first]]: `count` mandataires from number `first` (300 from 0 by
default); with a `first` above 0 only the mandataires are added (the distance benchmark's 1,000, issue 18)."""
import http.client
import re
import sys
import urllib.parse

host, port = sys.argv[1], int(sys.argv[2])
count = int(sys.argv[3]) if len(sys.argv) > 3 else 300
first = int(sys.argv[4]) if len(sys.argv) > 4 else 0
origin = f"http://{host}:{port}"
PASSWORD = "Banc-D-Essai-2026"
places = [("62100", "Calais"), ("62000", "Arras"), ("62200", "Boulogne-sur-Mer"), ("62300", "Lens"),
          ("62400", "Béthune"), ("62500", "Saint-Omer"), ("62600", "Berck"), ("62700", "Bruay-la-Buissière"),
          ("62800", "Liévin"), ("62110", "Hénin-Beaumont"), ("62120", "Aire-sur-la-Lys"), ("62140", "Hesdin-la-Forêt"),
          ("62160", "Bully-les-Mines"), ("62170", "Montreuil-sur-Mer"), ("62180", "Rang-du-Fliers"),
          ("62190", "Lillers"), ("62210", "Avion"), ("62220", "Carvin"), ("62230", "Outreau"), ("62240", "Desvres")]


def post(path, fields, cookie="", ip="10.8.0.1"):
    connection = http.client.HTTPConnection(host, port)
    headers = {"Origin": origin, "Accept": "text/html", "Content-Type": "application/x-www-form-urlencoded",
               "Cookie": cookie, "X-Forwarded-For": ip}
    connection.request("POST", path, urllib.parse.urlencode(fields), headers)
    response = connection.getresponse()
    response.read()
    return response


def get(path, cookie):
    connection = http.client.HTTPConnection(host, port)
    connection.request("GET", path, headers={"Cookie": cookie})
    return connection.getresponse().read().decode()


def log_in(identifiant, ip):
    response = post("/api/connexion", {"identifiant": identifiant, "mot_de_passe": PASSWORD, "retour": ""}, ip=ip)
    for name, value in response.getheaders():
        if name.lower() == "set-cookie" and value.startswith("emjpm_session="):
            return value.split(";")[0]
    raise SystemExit(f"pas de session pour {identifiant} : {response.status}")


def activate(admin, identifiant):
    page = get(f"/admin/utilisateurs?onglet=en-attente&q={identifiant}", admin).replace("<!>", "")
    user_id = re.search(r'href="/admin/utilisateurs/(\d+)"', page).group(1)
    response = post("/api/admin/utilisateurs/statut", {"id": user_id, "activer": "true", "retour": "/"}, admin)
    assert response.status == 302, response.status


tribunal = re.search(r'"id":"(\d+)"', get("/api/autocomplete/tribunaux?q=calais", "")).group(1)
admin = log_in("bench", "10.8.0.2")
for n in range(first, first + count):
    code_postal, commune = places[n % len(places)]
    name = f"bench-mandataire-{n}"
    ip = f"10.8.{1 + n // 200}.{1 + n % 200}"
    response = post("/api/inscription", {
        "tribunaux[]": tribunal, "type_mandataire": "prepose" if n % 2 else "individuel", "identifiant": name,
        "mot_de_passe": PASSWORD, "confirmation": PASSWORD, "nom": f"Banc{n:03d}", "prenom": "Mandataire",
        "genre": "F", "adresse": "1 rue Royale", "code_postal": code_postal, "commune": commune,
        "telephone": "0321000000", "email": f"{name}@exemple.fr", "mesures_souhaitees": str(10 + n % 40)}, ip=ip)
    assert response.status == 302, (name, response.status)
    activate(admin, name)
    if n < 100:
        owner = log_in(name, ip)
        for k in range(5):
            cp, town = places[(n + k) % len(places)]
            body = {"id": "", "date_decision": "05/03/2024", "nature": "tutelle", "champ": "", "code_postal": cp,
                    "commune": town, "genre": "FH"[k % 2], "annee_naissance": str(1930 + k), "lieu_de_vie": "domicile",
                    "numero_dossier": "", "numero_rg": "", "tribunal": ""}
            response = post("/api/mandataire/mesure/enregistrer", body, owner, ip)
            assert response.status == 302, (name, k, response.status)
if first > 0:
    sys.exit(0)
response = post("/api/inscription/magistrat", {
    "fonction": "magistrat", "tribunal": "Tribunal de proximité de Calais", "tribunal_id": tribunal, "cabinet": "1",
    "identifiant": "bench-magistrat", "mot_de_passe": PASSWORD, "confirmation": PASSWORD, "nom": "Banc",
    "prenom": "Magistrat", "genre": "F", "email": "bench-magistrat@exemple.fr"}, ip="10.8.9.1")
assert response.status == 302, response.status
activate(admin, "bench-magistrat")
print("bench-magistrat", log_in("bench-magistrat", "10.8.9.2"))
