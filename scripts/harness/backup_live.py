#!/usr/bin/env python3
"""SPEC §14 scenario 31, backup half (issue 15): `emjpm backup copie.redb` while users save. Eight writers
create mesures (plain forms) on the running server; the backup is taken through the command channel; it is
restored into an empty folder, where `emjpm verifier` finds it consistent and holding every creation
acknowledged before the backup began; the restored folder serves and its accounts log in.

    scripts/harness/backup_live.py
"""

import os
import shutil
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from crash import writer  # noqa: E402


def main():
    work = common.workspace()
    data = os.path.join(work, "data")
    accounts = common.demo(work, data)
    server = common.Server(work, data).start()
    cookie = common.log_in(server.port, "demo-prepose", accounts["demo-prepose"])
    acknowledged, stop = [], threading.Event()
    threads = [threading.Thread(target=writer, args=(server.port, cookie, f"S-{w}", acknowledged, stop))
               for w in range(8)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    before = list(acknowledged)
    started = time.time()
    done = subprocess.run([os.path.join(work, "emjpm"), "backup", os.path.join(work, "copie.redb"),
                           "--data-dir", data], capture_output=True, text=True)
    took = time.time() - started
    time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join()
    during = len(acknowledged) - len(before)
    failures = []
    print(done.stdout.strip())
    if done.returncode != 0:
        failures.append("la sauvegarde a échoué : " + done.stderr.strip())
    again = subprocess.run([os.path.join(work, "emjpm"), "backup", os.path.join(work, "copie.redb"),
                            "--data-dir", data], capture_output=True, text=True)
    if again.returncode == 0 or "--force" not in again.stderr:
        failures.append("un fichier existant n'est pas refusé sans --force : " + again.stderr.strip())
    server.stop()
    restored = os.path.join(work, "restaure")
    done = subprocess.run([os.path.join(work, "emjpm"), "restore", os.path.join(work, "copie.redb"),
                           "--data-dir", restored], capture_output=True, text=True)
    if done.returncode != 0:
        failures.append("restauration refusée : " + done.stderr.strip())
    code, out = common.verify(work, restored, dossiers=True)
    lines = [line for line in out.splitlines() if " INFO " not in line]
    found = set(lines[1:]) if code == 0 else set()
    missing = [d for d in before if d not in found]
    print(f"créations acquittées avant la sauvegarde : {len(before)}, retrouvées : {len(before) - len(missing)} ; "
          f"{during} autres pendant et après (sauvegarde en {took:.1f} s) ; {lines[0] if lines else out}")
    if code != 0:
        failures.append("la copie restaurée est incohérente : " + out)
    if missing:
        failures.append(f"{len(missing)} créations acquittées avant la sauvegarde absentes, par exemple {missing[:3]}")
    if during == 0:
        failures.append("aucune création pendant la sauvegarde : le test ne prouve rien")
    copy = common.Server(work, restored).start()
    try:
        common.log_in(copy.port, "demo-prepose", accounts["demo-prepose"])
    except RuntimeError as error:
        failures.append(f"la copie restaurée ne sert pas : {error}")
    copy.stop()
    shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("ÉCHEC :\n" + "\n".join(failures), file=sys.stderr)
        sys.exit(1)
    print("réussi : la sauvegarde prise en service contient tout ce qui était acquitté avant elle")


if __name__ == "__main__":
    main()
