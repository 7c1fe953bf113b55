#!/usr/bin/env python3
"""Issue 14, point 5: /sante, a logged-in page and durable mesure creations, at 32 connections (8 for the
writes), first on an idle server, then while the 24,030-row établissements file is imported from the web
page, again and again. Prints /sante's p99, the page's p95 and the writes' p95 in both states.

    scripts/harness/import_load.py [--seconds 6] [--file ../shared/data/etablissements.csv]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

BENCH = os.path.join(common.ROOT, "bench")


def to_ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def wrk(base, script, seconds, connections, env=None):
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s",
                          os.path.join(BENCH, script), base + "/"],
                         capture_output=True, text=True, env={**os.environ, **(env or {})}).stdout
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    p95 = re.search(r"^p95_us (\d+)", out, re.M)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return {
        "p99": to_ms(p99.group(1)) if p99 else None,
        "p95": int(p95.group(1)) / 1000 if p95 else None,
        "rps": float(rps.group(1)) if rps else 0.0,
    }


def upload(port, cookie, path):
    """The web import's multipart post, as the admin's browser sends it; returns its duration in seconds."""
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"etablissements.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + open(path, "rb").read() + f"\r\n--{boundary}--\r\n".encode()
    started = time.time()
    status, headers, _ = common.request(port, "POST", "/admin/import/etablissements", body,
                                        {"Content-Type": f"multipart/form-data; boundary={boundary}",
                                         "Accept": "text/html", "Cookie": cookie}, timeout=600)
    if status != 303:
        raise RuntimeError(f"import refusé : {status}")
    return time.time() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--file", default=os.path.join(common.ROOT, "..", "shared", "data", "etablissements.csv"))
    args = parser.parse_args()
    if not os.path.exists(args.file):
        print(f"fichier absent : {args.file}", file=sys.stderr)
        sys.exit(2)
    work = common.workspace()
    data = os.path.join(work, "data")
    accounts = common.demo(work, data)
    server = common.Server(work, data, extra=["--autocompletion-par-seconde", "0"]).start()
    base = f"http://127.0.0.1:{server.port}"
    admin = common.log_in(server.port, "demo-admin", accounts["demo-admin"])
    prepose = common.log_in(server.port, "demo-prepose", accounts["demo-prepose"])
    page_env = {"EMJPM_BENCH_COOKIE": prepose, "EMJPM_BENCH_PATH": "/mandataire/mesures", "EMJPM_BENCH_ORIGIN": base}

    def measure():
        return {
            "sante": wrk(base, "sante.lua", args.seconds, 32),
            "page": wrk(base, "page.lua", args.seconds, 32, page_env),
            "writes": wrk(base, "create.lua", args.seconds, 8, page_env),
        }

    idle = measure()
    imports, stop = [], threading.Event()

    def keep_importing():
        while not stop.is_set():
            imports.append(upload(server.port, admin, args.file))

    importer = threading.Thread(target=keep_importing)
    importer.start()
    time.sleep(0.5)
    busy = measure()
    stop.set()
    importer.join()
    server.stop()
    code, verdict = common.verify(work, data)
    shutil.rmtree(work, ignore_errors=True)
    print(f"imports de {args.file.split('/')[-1]} pendant la mesure : {len(imports)}, "
          + ", ".join(f"{d:.1f} s" for d in imports))
    print("| | au repos | pendant l'import | rapport |")
    print("|---|---|---|---|")
    for name, key, label in [("sante", "p99", "/sante p99"), ("page", "p95", "/mandataire/mesures p95"),
                             ("writes", "p95", "création de mesure p95")]:
        a, b = idle[name], busy[name]
        if key == "p95" and name == "writes":
            a_val, b_val = a["p99"], b["p99"]
            label = "création de mesure p99"
        else:
            a_val, b_val = a[key], b[key]
        print(f"| {label} | {a_val:.1f} ms ({a['rps']:,.0f}/s) | {b_val:.1f} ms ({b['rps']:,.0f}/s) | "
              f"{b_val / a_val:.1f} |")
    print(f"vérification : {verdict.strip()}")
    if code != 0:
        sys.exit(1)


if __name__ == "__main__":
    main()
