import * as fs from "node:fs";
import { expect, test, type APIRequestContext, type Page, type TestInfo } from "@playwright/test";
import { checkPage, jsEnabled, open } from "./helpers";
import { adminRequest, logIn, setActive, signUpPrepose } from "./accounts";

// Issue 17, "Importer" (SPEC §5.8), JavaScript on and off: the template filled with 3 rows, checked,
// previewed and imported; a file with errors reported line by line with nothing imported; an export
// imported back into another account.

const baseURL = process.env.EMJPM_BASE_URL ?? "http://127.0.0.1:3000";
const CALAIS = "Tribunal de proximité de Calais";
type Playwright = Parameters<typeof adminRequest>[0];

function notice(page: Page) {
  return page.locator('div.notice[role="status"]');
}

function tab(page: Page, name: RegExp) {
  return page.getByRole("navigation", { name: "Espace mandataire" }).getByRole("link", { name });
}

/** An active préposé of Calais, logged in on `page`. */
async function prepose(page: Page, request: APIRequestContext, playwright: Playwright, testInfo: TestInfo, stem: string) {
  const a = await signUpPrepose(request, testInfo, stem);
  const admin = await adminRequest(playwright);
  await setActive(admin, a.identifiant, true);
  await admin.dispose();
  await open(page, testInfo, "/connexion");
  await logIn(page, a.identifiant, a.password);
  await expect(page).toHaveURL(/\/mandataire\/mesures$/);
  if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  return a;
}

/** "Vérifier le fichier" with `content` as the chosen file. */
async function check(page: Page, testInfo: TestInfo, name: string, content: Buffer) {
  const input = page.getByLabel("Fichier (CSV ou Excel .xlsx) *", { exact: true });
  await input.setInputFiles({ name, mimeType: name.endsWith(".csv") ? "text/csv" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: content });
  await page.getByRole("button", { name: "Vérifier le fichier" }).click();
  await expect(page).toHaveURL(/\/mandataire\/import$/);
  if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

async function logOut(page: Page) {
  await page.getByRole("button", { name: "Se déconnecter" }).click();
  await expect(page).toHaveURL(/\/connexion|\/$/);
}

test.describe("import of mesures (issue 17)", () => {
  test("the template filled with 3 rows is checked, previewed, abandoned, then imported", async ({ page, request, playwright }, testInfo) => {
    await prepose(page, request, playwright, testInfo, "import");
    await tab(page, /^Importer$/).click();
    await expect(page).toHaveURL(/\/mandataire\/import$/);
    if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    await checkPage(page, testInfo);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Importer des mesures");
    // "Télécharger le modèle": the XLSX and the CSV, with the columns and one example row.
    const [xlsx] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Télécharger le modèle (Excel)" }).click()]);
    expect(xlsx.suggestedFilename()).toBe("emjpm-modele.xlsx");
    expect(fs.readFileSync(await xlsx.path()).subarray(0, 2).toString()).toBe("PK");
    const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Télécharger le modèle (CSV)" }).click()]);
    const template = fs.readFileSync(await csv.path(), "utf8").split("\r\n");
    expect(template[0]).toBe("\ufeffDate décision;Type;Champ;Code postal;Commune;Genre;Année naissance;Lieu de vie;FINESS;Numéro dossier;Numéro RG;Tribunal");
    expect(template[1]).toContain(CALAIS);
    // The example row replaced by three mesures, written as a user would.
    const rows = [
      `12/01/2025;Tutelle;Aux biens;62100;Calais;Femme;1950;À domicile;;IMP-1;25/00001;${CALAIS}`,
      "03/02/2025;curatelle renforcée;;62200;boulogne sur mer;H;1962;sdf;;IMP-2;;",
      `2025-03-04;Sauvegarde de justice;;62100;CALAIS;Madame;1940;Domicile;;IMP-3;25/00003;${CALAIS}`,
    ];
    const file = Buffer.from([template[0], ...rows, ""].join("\r\n"), "utf8");
    await check(page, testInfo, "mes-mesures.csv", file);
    await checkPage(page, testInfo);
    await expect(page.getByRole("heading", { name: "Fichier vérifié : « mes-mesures.csv »" })).toBeVisible();
    await expect(page.getByText("3 mesures prêtes à être importées. Aucune erreur n'a été trouvée.")).toBeVisible();
    const preview = page.getByRole("table", { name: /Aperçu des 3 premières mesures/ });
    await expect(preview.getByRole("row")).toHaveCount(4);
    await expect(preview).toContainText("Boulogne-sur-Mer");
    await expect(preview).toContainText("Curatelle renforcée");
    // Nothing is imported before "Importer"; "Abandonner" forgets the file.
    await expect(tab(page, /^Mesures en cours/)).toContainText("0 / 30");
    await page.getByRole("button", { name: "Abandonner" }).click();
    await expect(page).toHaveURL(/\/mandataire\/import$/);
    await expect(notice(page)).toHaveText("La vérification a été abandonnée : aucune mesure n'a été importée.");
    await expect(page.getByRole("button", { name: "Importer" })).toHaveCount(0);
    if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    await check(page, testInfo, "mes-mesures.csv", file);
    await page.getByRole("button", { name: "Importer", exact: true }).click();
    await expect(page).toHaveURL(/\/mandataire\/mesures$/);
    await expect(notice(page)).toHaveText("3 mesures importées.");
    await expect(tab(page, /^Mesures en cours/)).toContainText("3 / 30");
    for (const dossier of ["IMP-1", "IMP-2", "IMP-3"]) await expect(page.getByRole("cell", { name: dossier, exact: true })).toBeVisible();
    await expect(page.getByRole("cell", { name: "25/00001", exact: true })).toBeVisible();
    // The same file again: every row is skipped and listed.
    await open(page, testInfo, "/mandataire/import");
    await check(page, testInfo, "mes-mesures.csv", file);
    const report = page.getByRole("alert");
    await expect(report).toContainText("Aucune mesure à importer. Lignes non importées (numéro de dossier déjà existant) : 2, 3, 4.");
  });

  test("a file with errors is reported line by line, the report focused, and nothing is imported", async ({ page, request, playwright }, testInfo) => {
    await prepose(page, request, playwright, testInfo, "import-erreurs");
    await open(page, testInfo, "/mandataire/import");
    const lines = [
      "date_decision;type;code_postal;commune;genre;annee_naissance;lieu_de_vie;numero_dossier",
      "05/03/2024;Tutelle;62100;Calais;F;1957;domicile;OK-1",
      "31/02/2024;Tutelle;62100;Calais;F;1957;domicile;ERR-1",
      "05/03/2024;Tutelle des chats;62100;Calais;X;1957;domicile;ERR-2",
      "05/03/2024;Tutelle;62100;Calais;F;2999;domicile;ERR-3",
    ];
    // Windows-1252, as an older Excel saves "CSV (séparateur : point-virgule)".
    const latin1 = Buffer.from(lines.join("\r\n") + "\r\n", "latin1");
    await check(page, testInfo, "erreurs.csv", latin1);
    await checkPage(page, testInfo);
    const report = page.getByRole("alert");
    await expect(report.getByRole("heading")).toHaveText("Des erreurs ont été détectées dans votre fichier. Aucune ligne n'a été importée. 4 erreurs à corriger.");
    await expect(report).toBeFocused();
    const items = report.getByRole("listitem");
    await expect(items).toHaveText([
      "Ligne 3 : Saisissez une date valide au format jj/mm/aaaa (« 31/02/2024 »)",
      "Ligne 4 : Type de mesure inconnu : écrivez par exemple « Tutelle » ou « Curatelle renforcée » (« Tutelle des chats »)",
      "Ligne 4 : Genre inconnu : « Femme » ou « Homme » (F ou H) (« X »)",
      /^Ligne 5 : Saisissez une année de naissance à 4 chiffres entre 1900 et \d{4} \(« 2999 »\)$/,
    ]);
    // The file field carries the headline and says which file was checked.
    const input = page.getByLabel("Fichier (CSV ou Excel .xlsx) *", { exact: true });
    await expect(input).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText("Fichier vérifié : erreurs.csv")).toBeVisible();
    await expect(tab(page, /^Mesures en cours/)).toContainText("0 / 30");
    // A file that is not a spreadsheet.
    await check(page, testInfo, "photo.xlsx", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    await expect(page.getByRole("alert")).toHaveText(/^Ce fichier n'est ni un fichier CSV ni un classeur Excel \(\.xlsx\) lisible\./);
    await expect(tab(page, /^Mesures en cours/)).toContainText("0 / 30");
  });

  test("an export imported into another account gives the same mesures", async ({ page, request, playwright }, testInfo) => {
    await prepose(page, request, playwright, testInfo, "export-a");
    const origin = new URL(baseURL).origin;
    for (const [dossier, rg, cp, commune] of [["=RISQUE", "26/00501", "62100", "Calais"], ["AR-2", "", "62200", "Boulogne-sur-Mer"]]) {
      const response = await page.request.post("/api/mandataire/mesure/enregistrer", {
        headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
        data: new URLSearchParams({
          id: "", date_decision: "05/03/2024", nature: "tutelle", champ: "protection_personne", code_postal: cp, commune,
          genre: "H", annee_naissance: "1961", lieu_de_vie: "domicile", numero_dossier: dossier, numero_rg: rg, tribunal: "",
        }).toString(),
      });
      expect(await response.text()).toBe('"Done"');
    }
    await open(page, testInfo, "/mandataire/mesures");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /^Exporter \(Excel\)/ }).click()]);
    const exported = fs.readFileSync(await download.path());
    const before = await page.locator("table tbody tr").allInnerTexts();
    await logOut(page);
    await prepose(page, request, playwright, testInfo, "export-b");
    await open(page, testInfo, "/mandataire/import");
    await check(page, testInfo, "export.xlsx", exported);
    await expect(page.getByText("2 mesures prêtes à être importées. Aucune erreur n'a été trouvée.")).toBeVisible();
    await page.getByRole("button", { name: "Importer", exact: true }).click();
    await expect(notice(page)).toHaveText("2 mesures importées.");
    const after = await page.locator("table tbody tr").allInnerTexts();
    expect(after).toEqual(before);
    // The neutralised cell came back as typed.
    await expect(page.getByRole("cell", { name: "=RISQUE", exact: true })).toBeVisible();
  });
});
