// Builds data/common-passwords.txt, the built-in list of common passwords of SPEC §4.4, from two MIT packages
// of the npm registry (installed in tools/ by scripts/install-tools.sh):
//  - @zxcvbn-ts/language-common: passwords.json, passwords ranked by frequency in public leaks (top 20,000);
//  - @zxcvbn-ts/language-fr: commonWords.json, French words ranked by frequency. The 600 most frequent words
//    of 4 letters or more, without accents, alone and with the suffixes people add, make the French part,
//    with French keyboard and phrase patterns.
// One lower-case password a line, sorted, without duplicates. Deterministic: rerun to check.
// Run from the project root: node scripts/build-common-passwords.mjs
import { readFileSync, writeFileSync } from "node:fs";

const load = (p) => JSON.parse(readFileSync(new URL(`../tools/node_modules/${p}`, import.meta.url)));
const common = load("@zxcvbn-ts/language-common/src/passwords.json");
const frenchWords = load("@zxcvbn-ts/language-fr/src/commonWords.json");

const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
const list = new Set(common.slice(0, 20000).map(fold));

const suffixes = ["", "1", "12", "123", "1234", "12345", "!", "01", "13", "59", "62", "69", "75", "2023", "2024", "2025", "2026"];
const words = frenchWords.map(fold).filter((w) => /^[a-z]{4,}$/.test(w)).slice(0, 600);
for (const w of words) for (const s of suffixes) list.add(w + s);

const patterns = [
  "azerty", "azertyuiop", "azertyuiop1", "azertyuiop123", "azerty123456", "qsdfghjklm", "wxcvbn", "aqwzsxedc",
  "motdepasse", "motdepasse1", "motdepasse12", "motdepasse123", "motdepasse!", "monmotdepasse", "mot2passe",
  "jetaime", "jetaime123", "jetaimemonamour", "bonjour123", "bienvenue", "bienvenue1", "bienvenue123",
  "soleil123", "chouchou", "doudou", "loulou", "nicolas", "marseille13", "parisparis", "allezlom",
  "1234567890", "0123456789", "12345678910", "azerty1234", "tutelle", "curatelle", "mandataire", "tribunal",
  "emjpm", "emjpm2026", "administrateur", "utilisateur", "changeme", "changemoi", "secret123",
];
for (const p of patterns) list.add(p);

const out = [...list].filter((p) => p.length > 0 && !/[\r\n]/.test(p)).sort();
writeFileSync(new URL("../data/common-passwords.txt", import.meta.url), out.join("\n") + "\n");
console.log(`${out.length} common passwords written to data/common-passwords.txt`);
