"""Prepares the service benchmark (scripts/bench.sh, issue 16): a service mandataire signed up and activated through
the server's own forms, with 10 antennes and 5,000 mesures en cours spread over them and over 20 communes, all
created through the forms' server functions like real users.
Prints "bench-service <session cookie>" and "antenne <id of the first antenne>"."""
import http.client
import re
import sys
import urllib.parse

host, port = sys.argv[1], int(sys.argv[2])
count = int(sys.argv[3]) if len(sys.argv) > 3 else 5000
origin = f"http://{host}:{port}"
PASSWORD = "Banc-D-Essai-2026"


def post(path, fields, cookie="", ip="10.7.0.1", connection=None):
    connection = connection or http.client.HTTPConnection(host, port)
    body = urllib.parse.urlencode(fields)
    headers = {"Origin": origin, "Accept": "text/html", "Content-Type": "application/x-www-form-urlencoded",
               "Cookie": cookie, "X-Forwarded-For": ip}
    connection.request("POST", path, body, headers)
    response = connection.getresponse()
    response.read()
    return response


def get(path, cookie):
    connection = http.client.HTTPConnection(host, port)
    connection.request("GET", path, headers={"Cookie": cookie})
    response = connection.getresponse()
    return response.read().decode()


def log_in(identifiant, ip):
    response = post("/api/connexion", {"identifiant": identifiant, "mot_de_passe": PASSWORD, "retour": ""}, ip=ip)
    for name, value in response.getheaders():
        if name.lower() == "set-cookie" and value.startswith("emjpm_session="):
            return value.split(";")[0]
    raise SystemExit(f"pas de session : {response.status}")


places = [("62100", "Calais"), ("62000", "Arras"), ("62200", "Boulogne-sur-Mer"), ("62300", "Lens"),
          ("62400", "Béthune"), ("62500", "Saint-Omer"), ("62600", "Berck"), ("62700", "Bruay-la-Buissière"),
          ("62800", "Liévin"), ("62110", "Hénin-Beaumont"), ("62120", "Aire-sur-la-Lys"), ("62140", "Hesdin-la-Forêt"),
          ("62160", "Bully-les-Mines"), ("62170", "Montreuil-sur-Mer"), ("62180", "Rang-du-Fliers"),
          ("62190", "Lillers"), ("62210", "Avion"), ("62220", "Carvin"), ("62230", "Outreau"), ("62240", "Desvres")]

tribunal = re.search(r'"id":"(\d+)"', get("/api/autocomplete/tribunaux?q=calais", "")).group(1)
admin = log_in("bench", "10.7.0.2")
response = post("/api/inscription", {
    "tribunaux[]": tribunal, "type_mandataire": "service", "nom_service": "Association tutélaire du banc d'essai",
    "siret": "73282932000074", "identifiant": "bench-service", "mot_de_passe": PASSWORD, "confirmation": PASSWORD,
    "nom": "Banc", "prenom": "Service", "genre": "F", "adresse": "1 rue Royale", "code_postal": "62100",
    "commune": "Calais", "telephone": "0321000000", "email": "bench-service@exemple.fr", "mesures_souhaitees": "999"},
    ip="10.7.0.3")
assert response.status == 302, response.status
page = get("/admin/utilisateurs?onglet=en-attente&q=bench-service", admin).replace("<!>", "")
user_id = re.search(r'href="/admin/utilisateurs/(\d+)"', page).group(1)
response = post("/api/admin/utilisateurs/statut", {"id": user_id, "activer": "true", "retour": "/"}, admin, "10.7.0.2")
assert response.status == 302, response.status
owner = log_in("bench-service", "10.7.0.4")

# 10 antennes of 600 mesures souhaitées each (6,000 for the service).
for n in range(10):
    code_postal, commune = places[n * 2]
    response = post("/api/mandataire/antenne/enregistrer", {
        "id": "", "nom": f"Antenne {n + 1:02d}", "adresse": f"{n + 1} place d'Armes", "code_postal": code_postal,
        "commune": commune, "contact": "Accueil", "telephone": "0321000000", "email": f"antenne{n}@exemple.fr",
        "mesures_souhaitees": "600"}, owner, "10.7.0.4")
    assert response.status == 302, (n, response.status)
antennes = re.findall(r'href="/mandataire/antennes/(\d+)/modifier"', get("/mandataire/antennes", owner).replace("<!>", ""))
assert len(antennes) == 10, antennes

natures = ["tutelle", "curatelle_simple", "curatelle_renforcee", "sauvegarde_justice"]
connection = http.client.HTTPConnection(host, port)
for n in range(count):
    code_postal, commune = places[n % len(places)]
    body = urllib.parse.urlencode({
        "id": "", "date_decision": f"{1 + n % 28:02d}/{1 + n % 12:02d}/20{10 + n % 15}",
        # Spread like real mesures: many (type, birth year) pairs in each commune.
        "nature": natures[(n * 7 // 5) % 4], "champ": "", "code_postal": code_postal, "commune": commune,
        "genre": "FH"[n % 2], "annee_naissance": str(1925 + (n * 37) % 75), "lieu_de_vie": "domicile", "numero_dossier": f"S-{n}",
        "numero_rg": f"RGS-{n}", "tribunal": "", "antenne": antennes[n % 10]})
    connection.request("POST", "/api/mandataire/mesure/enregistrer", body, {
        "Origin": origin, "Content-Type": "application/x-www-form-urlencoded", "Cookie": owner})
    response = connection.getresponse()
    answer = response.read().decode()
    assert answer == '"Done"', (n, answer)
# The service and its antennes hold what was created.
listed = get("/mandataire/antennes", owner).replace("<!>", "")
assert listed.count(f"{count // 10} / 600") == 10, "antenne counters"
print("bench-service", owner)
print("antenne", antennes[0])
