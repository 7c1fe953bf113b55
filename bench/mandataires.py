"""Prepares the mandataire benchmarks (scripts/bench.sh): two active préposés, signed up and activated through
the server's own forms like real users, the first holding 1,000 mesures en cours spread over 20 communes.
Prints one line per account: "<name> <session cookie>"."""
import http.client
import re
import sys
import urllib.parse

host, port = sys.argv[1], int(sys.argv[2])
origin = f"http://{host}:{port}"
PASSWORD = "Banc-D-Essai-2026"


def post(path, fields, cookie="", ip="10.9.0.1"):
    connection = http.client.HTTPConnection(host, port)
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


def session(response):
    for name, value in response.getheaders():
        if name.lower() == "set-cookie" and value.startswith("emjpm_session="):
            return value.split(";")[0]
    raise SystemExit(f"pas de session : {response.status}")


def log_in(identifiant):
    response = post("/api/connexion", {"identifiant": identifiant, "mot_de_passe": PASSWORD, "retour": ""})
    return session(response)


tribunal = re.search(r'"id":"(\d+)"', get("/api/autocomplete/tribunaux?q=calais", "")).group(1)
admin = log_in("bench")
cookies = []
for i, name in enumerate(["bench-mesures", "bench-ecriture"]):
    response = post("/api/inscription", {
        "tribunaux[]": tribunal, "type_mandataire": "prepose", "identifiant": name, "mot_de_passe": PASSWORD,
        "confirmation": PASSWORD, "nom": "Banc", "prenom": name, "genre": "F", "adresse": "1 rue Royale",
        "code_postal": "62100", "commune": "Calais", "telephone": "0321000000", "email": f"{name}@exemple.fr",
        "mesures_souhaitees": "999"}, ip=f"10.9.1.{i + 1}")
    assert response.status == 302, response.status
    page = get(f"/admin/utilisateurs?onglet=en-attente&q={name}", admin).replace("<!>", "")
    user_id = re.search(r'href="/admin/utilisateurs/(\d+)"', page).group(1)
    response = post("/api/admin/utilisateurs/statut", {"id": user_id, "activer": "true", "retour": "/"}, admin)
    assert response.status == 302, response.status
    cookies.append((name, log_in(name)))

# 1,000 mesures en cours over 20 communes of the Pas-de-Calais, for the list and the map.
places = [("62100", "Calais"), ("62000", "Arras"), ("62200", "Boulogne-sur-Mer"), ("62300", "Lens"),
          ("62400", "Béthune"), ("62500", "Saint-Omer"), ("62600", "Berck"), ("62700", "Bruay-la-Buissière"),
          ("62800", "Liévin"), ("62110", "Hénin-Beaumont"), ("62120", "Aire-sur-la-Lys"), ("62140", "Hesdin-la-Forêt"),
          ("62160", "Bully-les-Mines"), ("62170", "Montreuil-sur-Mer"), ("62180", "Rang-du-Fliers"),
          ("62190", "Lillers"), ("62210", "Avion"), ("62220", "Carvin"), ("62230", "Outreau"), ("62240", "Desvres")]
natures = ["tutelle", "curatelle_simple", "curatelle_renforcee", "sauvegarde_justice"]
owner = cookies[0][1]
connection = http.client.HTTPConnection(host, port)
for n in range(1000):
    code_postal, commune = places[n % len(places)]
    body = urllib.parse.urlencode({
        "id": "", "date_decision": f"{1 + n % 28:02d}/{1 + n % 12:02d}/20{10 + n % 15}", "nature": natures[n % 4],
        "champ": "", "code_postal": code_postal, "commune": commune, "genre": "FH"[n % 2],
        "annee_naissance": str(1930 + n % 60), "lieu_de_vie": "domicile", "numero_dossier": f"D-{n}",
        "numero_rg": f"RG-{n}", "tribunal": ""})
    connection.request("POST", "/api/mandataire/mesure/enregistrer", body, {
        "Origin": origin, "Content-Type": "application/x-www-form-urlencoded", "Cookie": owner})
    response = connection.getresponse()
    answer = response.read().decode()
    assert answer == '"Done"', (n, answer)
for name, cookie in cookies:
    print(name, cookie)
