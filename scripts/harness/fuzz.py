#!/usr/bin/env python3
"""Fuzz harness (issue 14): malformed requests over every server function and page, as anonymous and as
each role of the demo, on own and foreign rows. Bodies are form-encoded (with repeated keys and list
names) or JSON, with missing fields, wrong types, empty, huge, unicode and control characters, negative
and overflowing numbers. Pass: no 5xx answer, no panic in the log, the resident memory bounded, and
`emjpm verifier` finds the data consistent afterwards. Prints the counts per endpoint and status.

    scripts/harness/fuzz.py [--requests 100000] [--threads 8] [--seed N]
"""

import argparse
import collections
import glob
import json
import os
import random
import re
import shutil
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

SRC = os.path.join(common.ROOT, "src")


def endpoints():
    """Every server function's path and every page's, read from the sources (so that new ones are fuzzed)."""
    functions, pages, fields = set(), set(), set()
    for path in glob.glob(os.path.join(SRC, "**", "*.rs"), recursive=True):
        text = open(path, encoding="utf-8").read()
        functions.update("/api/" + e for e in re.findall(r'#\[server\(endpoint = "([^"]+)"', text))
        pages.update(re.findall(r'path!\("([^"]+)"\)', text))
        if "/api/" in path or "/app/pages/" in path:
            fields.update(re.findall(r"pub (\w+): ", text))
            fields.update(re.findall(r"#\[server\([^)]*\)\] (\w+): ", text))
    fields.update(["id", "page", "jeton", "email", "identifiant", "mot_de_passe", "activer", "retour", "q",
                   "tribunaux[]", "etablissements[]", "form[nature]", "filter[page]", "action", "finess"])
    return sorted(functions), sorted(pages), sorted(fields)


def values(rng):
    numbers = ["0", "1", "2", "3", "-1", "-9223372036854775809", "18446744073709551615",
               "18446744073709551616", "99999999999999999999999999", "1e9", "0x10", "NaN", " 1 ",
               str(rng.randint(1, 400))]
    texts = ["", " ", "true", "false", "TRUE", "null", "[]", "{}", "abc", "Calais", "62100", "05/03/2024",
             "2024-13-45", "31/02/2025", "tutelle", "curatelle_renforcee", "domicile", "F", "H",
             "demo-prepose", "demo-admin", "a@b.fr", "<script>alert(1)</script>", "' OR 1=1 --",
             "é" * rng.randint(1, 3000), "😀" * rng.randint(1, 200), "a\nb", "a\r\nSet-Cookie: x=y",
             "\x00", "\x07\x1b[31m", "\u202e\u200b", "%0A", "../../etc/passwd", "/\\evil.example",
             "//evil.example", "x" * rng.choice([255, 256, 2001, 5000, 70000])]
    return rng.choice(numbers if rng.random() < 0.4 else texts)


def form_body(rng, fields):
    pairs = []
    for _ in range(rng.randint(0, 12)):
        name = rng.choice(fields)
        for _ in range(1 if rng.random() < 0.85 else rng.randint(2, 4)):  # repeated keys
            pairs.append((name, values(rng)))
    if rng.random() < 0.01:  # over the body limit
        pairs.append(("identifiant", "y" * 300_000))
    return urllib.parse.urlencode(pairs)


def json_body(rng, fields):
    obj = {}
    for _ in range(rng.randint(0, 8)):
        v = values(rng)
        obj[rng.choice(fields)] = rng.choice([v, [v], {"x": v}, 12345678901234567890, -1, True, None])
    return json.dumps(obj)


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        self.errors = []
        self.sent = 0

    def add(self, endpoint, status, detail):
        with self.lock:
            self.sent += 1
            self.counts[(endpoint, status)] += 1
            if (status >= 500 or status == 0) and len(self.errors) < 20:
                self.errors.append(detail)


def worker(port, plan, cookies, functions, pages, fields, tally, seed):
    rng = random.Random(seed)
    conn = None
    for _ in range(plan):
        role = rng.choice(list(cookies))
        headers = {"X-Forwarded-For": f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"}
        if cookies[role]:
            headers["Cookie"] = cookies[role]
        if rng.random() < 0.5:
            headers["Accept"] = "text/html"
        if rng.random() < 0.65:
            endpoint = rng.choice(functions)
            method, path = "POST", endpoint
            if rng.random() < 0.75:
                body = form_body(rng, fields)
                headers["Content-Type"] = rng.choice(["application/x-www-form-urlencoded"] * 9 + ["text/plain"])
            else:
                body = json_body(rng, fields)
                headers["Content-Type"] = "application/json"
            if rng.random() < 0.1:
                method, path, body = "GET", endpoint + "?" + form_body(rng, fields)[:4000], None
        else:
            page = rng.choice(pages)
            endpoint = page
            path = re.sub(r":id", lambda _: values(rng).strip().replace(" ", "%20")[:40] or "1", page)
            path = urllib.parse.quote(path, safe="/%")
            if rng.random() < 0.6:
                path += "?" + form_body(rng, fields)[:4000]
            method, body = "GET", None
        # A kept-alive connection the server closed (after a 413, whose body it does not read) fails on
        # its next use: like any HTTP client, send again once on a new connection.
        status, data = 0, b""
        for attempt in range(2):
            reused = conn is not None
            try:
                if conn is None:
                    conn = common.http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status, answer_headers, data = common.request(port, method, path, body, headers, conn=conn)
                if answer_headers.get("connection", "").lower() == "close" or status == 413:
                    conn.close()
                    conn = None
                break
            except (OSError, common.http.client.HTTPException) as error:
                conn.close()
                conn = None
                status, data = 0, repr(error).encode()
                if not reused:
                    break
        tally.add(endpoint, status, f"{status} {method} {path[:200]} {role} → {data[:200]!r}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--rss-limit-mb", type=float, default=400)
    args = parser.parse_args()
    functions, pages, fields = endpoints()
    work = common.workspace()
    data = os.path.join(work, "data")
    accounts = common.demo(work, data)
    # --trust-proxy: each request comes from an address of its own, so that the per-address throttles are
    # met but do not stop the run; the autocomplete's limit is left on.
    server = common.Server(work, data, extra=["--trust-proxy"]).start()
    cookies = {"anonyme": None}
    for identifiant, password in accounts.items():
        cookies[identifiant] = common.log_in(server.port, identifiant, password)
    rss_start = server.rss_mb()
    rss_peak = [rss_start]
    tally = Tally()
    done = threading.Event()

    def sample():
        while not done.wait(0.5):
            try:
                rss_peak[0] = max(rss_peak[0], server.rss_mb())
            except OSError:
                return

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.time()
    per_thread = args.requests // args.threads
    threads = [threading.Thread(target=worker, args=(server.port, per_thread, cookies, functions, pages, fields,
                                                     tally, args.seed * 1000 + t))
               for t in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.time() - started
    done.set()
    sampler.join()
    rss_end = server.rss_mb()
    server.stop()
    code, verdict = common.verify(work, data)
    log = server.log()
    by_status = collections.Counter()
    by_endpoint = collections.defaultdict(collections.Counter)
    for (endpoint, status), n in tally.counts.items():
        by_status[status] += n
        by_endpoint[endpoint][status] += n
    print(f"{tally.sent} requêtes en {elapsed:.0f} s ({tally.sent / elapsed:.0f}/s), graine {args.seed}, "
          f"{len(functions)} fonctions serveur, {len(pages)} pages, {len(cookies)} rôles (dont anonyme)")
    print("statuts : " + ", ".join(f"{s}: {n}" for s, n in sorted(by_status.items())))
    for endpoint in sorted(by_endpoint):
        print(f"  {endpoint:45} " + " ".join(f"{s}:{n}" for s, n in sorted(by_endpoint[endpoint].items())))
    print(f"mémoire résidente : {rss_start:.0f} Mo au début, {rss_peak[0]:.0f} Mo au plus, {rss_end:.0f} Mo à la fin")
    print(f"vérification : {verdict.strip()}")
    failures = []
    server_errors = sum(n for s, n in by_status.items() if s >= 500)
    if server_errors:
        failures.append(f"{server_errors} réponses 5xx, par exemple :\n  " + "\n  ".join(tally.errors))
    if by_status.get(0):
        failures.append(f"{by_status[0]} requêtes sans réponse, par exemple :\n  " + "\n  ".join(tally.errors))
    if "panicked" in log:
        failures.append("panic dans le journal du serveur")
    if rss_peak[0] > args.rss_limit_mb:
        failures.append(f"mémoire résidente au-delà de {args.rss_limit_mb} Mo")
    if code != 0:
        failures.append("données incohérentes après la campagne")
    shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("ÉCHEC :\n" + "\n".join(failures), file=sys.stderr)
        sys.exit(1)
    print("réussi : aucune 5xx, aucune panique, mémoire bornée, données cohérentes")


if __name__ == "__main__":
    main()
