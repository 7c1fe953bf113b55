"""Logs the national benchmark's accounts in (scripts/bench-national.sh) and prints one line per fact:
"cookie <name> <session cookie>", "service <id>" (the largest holder's id, for its fiche as a magistrat sees
it), "lieu <code postal>" (the code postal of the magistrat's tribunal, for the list sorted by distance).

Usage: national.py <host> <port> <password> <name>=<identifiant>…"""
import http.client
import sys
import urllib.parse

host, port, password = sys.argv[1], int(sys.argv[2]), sys.argv[3]
accounts = dict(arg.split("=", 1) for arg in sys.argv[4:])
origin = f"http://{host}:{port}"


def log_in(identifiant, ip):
    connection = http.client.HTTPConnection(host, port)
    headers = {"Origin": origin, "Accept": "text/html", "Content-Type": "application/x-www-form-urlencoded",
               "X-Forwarded-For": ip}
    body = urllib.parse.urlencode({"identifiant": identifiant, "mot_de_passe": password, "retour": ""})
    connection.request("POST", "/api/connexion", body, headers)
    response = connection.getresponse()
    response.read()
    for name, value in response.getheaders():
        if name.lower() == "set-cookie" and value.startswith("emjpm_session="):
            return value.split(";")[0]
    raise SystemExit(f"pas de session pour {identifiant} : {response.status}")


cookies = {}
for n, (name, identifiant) in enumerate(accounts.items()):
    cookies[name] = log_in(identifiant, f"10.9.0.{n + 1}")
    print("cookie", name, cookies[name])
