"""Draws autocomplete queries at random from the whole reference sets (issue 20), a new draw each call unless
a seed is given: prefixes of 2 to 10 letters of a name or of one of its words, one in five with a typo (a letter
replaced, dropped or doubled), and for communes one in five a postal-code prefix (2 to 5 digits).

Usage: random_queries.py <communes|tribunaux|etablissements> <count> <out file> [seed]
Reads ../shared/data, or the folder of EMJPM_BENCH_DATA (class (ii) data is read where it is and never copied
into the repository); without the communes file there, the product's own embedded list is used."""
import csv
import os
import random
import sys

kind, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else None)
here = os.path.dirname(os.path.abspath(__file__))
data = os.environ.get("EMJPM_BENCH_DATA") or os.path.join(here, "..", "..", "shared", "data")
column = {"communes": "nom", "tribunaux": "nom", "etablissements": "raison_sociale"}[kind]
path = os.path.join(data, f"{kind}.csv")
if kind == "communes" and not os.path.exists(path):
    with open(os.path.join(here, "..", "data", "reference", "communes.tsv"), encoding="utf-8") as f:
        lines = [l.rstrip("\n").split("\t") for l in f if not l.startswith("#")]
    rows = [{"nom": l[2], "codes_postaux": l[7].replace(" ", "|")} for l in lines if len(l) > 7]
else:
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
names = [r[column] for r in rows if r[column]]
postal = [cp for r in rows for cp in r.get("codes_postaux", "").split("|") if cp] if kind == "communes" else []
letters = "abcdefghijklmnopqrstuvwxyz"
stop = {"de", "du", "des", "la", "le", "les", "d", "l", "et", "sur", "en", "aux", "au"}


def typo(text):
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text))
    action = rng.randrange(3)
    if action == 0:
        return text[:i] + rng.choice(letters) + text[i + 1:]
    if action == 1:
        return text[:i] + text[i + 1:]
    return text[:i] + text[i] + text[i:]


queries = []
while len(queries) < count:
    if postal and rng.random() < 0.2:
        queries.append(rng.choice(postal)[: rng.randint(2, 5)])
        continue
    name = rng.choice(names)
    words = [w for w in name.replace("-", " ").replace("'", " ").split() if w.lower() not in stop and len(w) > 1]
    text = name if rng.random() < 0.5 or not words else rng.choice(words)
    query = text[: rng.randint(2, 10)].strip()
    if len(query) < 2:
        continue
    if rng.random() < 0.2:
        query = typo(query)
    queries.append(query.lower() if rng.random() < 0.5 else query)
with open(out, "w", encoding="utf-8") as f:
    f.write("\n".join(queries) + "\n")
