#!/usr/bin/env python3
"""Converts the class (i) reference files of ../shared/data into the compact TSV files embedded in the binary.

Run from the project root: python3 scripts/convert-reference-data.py [../shared/data]
Deterministic: the same inputs give the same bytes. Only communes actuelles (COM) and arrondissements
municipaux (ARM) are kept: they are the rows that carry postal codes and populations.
"""
import csv
import os
import sys

SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join("..", "shared", "data")
DST = os.path.join("data", "reference")


def rows(name):
    with open(os.path.join(SRC, name), newline="", encoding="utf-8") as f:
        yield from csv.DictReader(f)


def clean(text):
    if "\t" in text or "\n" in text:
        raise SystemExit(f"unexpected tab or newline in {text!r}")
    return text


os.makedirs(DST, exist_ok=True)

pairs = {(r["code_postal"], r["code_insee"], r["type"]) for r in rows("codes_postaux.csv")}
count_pairs = 0
with open(os.path.join(DST, "communes.tsv"), "w", encoding="utf-8", newline="\n") as out:
    out.write("# code_insee\ttype\tnom\tdepartement\tpopulation\tlat\tlon\tcodes_postaux\n")
    for r in rows("communes.csv"):
        if r["type"] not in ("COM", "ARM"):
            continue
        cps = [cp for cp in r["codes_postaux"].split("|") if cp]
        for cp in cps:
            if (cp, r["code_insee"], r["type"]) not in pairs:
                raise SystemExit(f"pair {cp} {r['code_insee']} missing from codes_postaux.csv")
        count_pairs += len(cps)
        out.write("\t".join([
            r["code_insee"], "C" if r["type"] == "COM" else "A", clean(r["nom"]), r["departement"],
            r["population"] or "0", r["lat"], r["lon"], " ".join(cps),
        ]) + "\n")
if count_pairs != len(pairs):
    raise SystemExit(f"{count_pairs} pairs from communes.csv, {len(pairs)} in codes_postaux.csv")

with open(os.path.join(DST, "departements.tsv"), "w", encoding="utf-8", newline="\n") as out:
    out.write("# code\tnom\tregion\tlat\tlon\n")
    for r in rows("departements.csv"):
        out.write("\t".join([r["code"], clean(r["nom"]), r["region"], r["lat"], r["lon"]]) + "\n")

with open(os.path.join(DST, "regions.tsv"), "w", encoding="utf-8", newline="\n") as out:
    out.write("# code\tnom\n")
    for r in rows("regions.csv"):
        out.write("\t".join([r["code"], clean(r["nom"])]) + "\n")

print(f"communes: {count_pairs} (code postal, commune) pairs written to {DST}")
