import { expect, test } from "@playwright/test";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkPage, jsEnabled, open } from "./helpers";
import { ADMIN_LOGIN, ADMIN_PASSWORD, logIn, ownAddress, unique } from "./accounts";

test.beforeEach(async ({ page }) => {
  await ownAddress(page);
  await page.goto("/connexion");
  await logIn(page, ADMIN_LOGIN, ADMIN_PASSWORD);
  await expect(page).toHaveURL(/\/admin\/utilisateurs$/);
});

test.describe("administration of reference data (SPEC §7, §9)", () => {
  test("tribunaux: create with checked fields, edit, close; the autocomplete follows", async ({ page, request }, testInfo) => {
    await open(page, testInfo, "/admin/tribunaux?q=calais");
    await expect(page.getByRole("link", { name: "Tribunaux", exact: true })).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("table", { name: "Tribunaux" }).getByRole("link", { name: "Tribunal de proximité de Calais" })).toBeVisible();
    await page.getByRole("link", { name: "Ajouter un tribunal" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ajouter un tribunal");
    if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    const nom = `Tribunal judiciaire de Test ${unique(testInfo, "t").replace(/\./g, " ")}`;
    await page.getByLabel("Nom *", { exact: true }).fill(nom);
    await page.getByLabel("SIRET").fill("1234");
    await page.getByLabel("Code INSEE de la commune *").fill("99999");
    await page.getByLabel("Date d'ouverture").fill("31/02/2020");
    await page.getByRole("button", { name: "Enregistrer" }).click();
    const summary = page.locator(".error-summary");
    await expect(summary).toContainText("Choisissez le type du tribunal.");
    await expect(page.locator("#siret-erreur")).toHaveText("Le SIRET doit comporter 14 chiffres.");
    await expect(page.locator("#code_insee-erreur")).toHaveText("Ce code INSEE ne correspond à aucune commune.");
    await expect(page.locator("#date_ouverture-erreur")).toHaveText("Saisissez une date valide au format jj/mm/aaaa.");
    await expect(page.getByLabel("Nom *", { exact: true })).toHaveValue(nom);
    await page.getByLabel("Type *").selectOption("TJ");
    await page.getByLabel("SIRET").fill("");
    await page.getByLabel("Code INSEE de la commune *").fill("62193");
    await page.getByLabel("Date d'ouverture").fill("01/01/2020");
    await page.getByRole("button", { name: "Enregistrer" }).click();
    await expect(page).toHaveURL(/\/admin\/tribunaux\/\d+$/);
    await expect(page.getByRole("status")).toHaveText(`Le tribunal « ${nom} » a été enregistré.`);
    await expect(page.getByLabel("Ville")).toHaveValue("Calais");
    const suggest = async () => (await (await request.get(`/api/autocomplete/tribunaux?q=${encodeURIComponent(nom)}`)).json()).map((t: { label: string }) => t.label);
    expect(await suggest()).toContain(nom);

    await page.getByLabel("Téléphone").fill("03 21 00 00 00");
    await page.getByRole("button", { name: "Enregistrer" }).click();
    await expect(page.getByRole("status")).toHaveText(`Le tribunal « ${nom} » a été enregistré.`);
    await expect(page.getByLabel("Téléphone")).toHaveValue("03 21 00 00 00");

    await page.getByRole("button", { name: "Fermer le tribunal" }).click();
    await expect(page.getByRole("status")).toHaveText(`Le tribunal « ${nom} » est fermé.`);
    await expect(page.getByText("Ce tribunal est fermé.")).toBeVisible();
    expect(await suggest()).not.toContain(nom);
    await open(page, testInfo, `/admin/tribunaux?etat=fermes&q=${encodeURIComponent(nom)}`);
    await expect(page.getByRole("row", { name: new RegExp(nom) })).toContainText("Fermé");
  });

  test("établissements: search, detail, close hides it from the autocomplete", async ({ page, request }, testInfo) => {
    // A closing is for good: each project closes its own établissement of Calais, one no other test uses.
    const target = jsEnabled(testInfo) ? "RESIDENCE RIGA" : "BEGUINAGE DES COLORISTES";
    await open(page, testInfo, `/admin/etablissements?q=${encodeURIComponent(target.toLowerCase())}`);
    const link = page.getByRole("table", { name: "Établissements" }).getByRole("link", { name: target }).first();
    await expect(link).toBeVisible();
    await link.click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(target);
    await expect(page.locator("dl")).toContainText("Numéro FINESS");
    await checkPage(page, testInfo);
    const finess = page.url().split("/").pop()!;
    const found = async () => (await (await request.get(`/api/autocomplete/etablissements?q=${finess}`)).json()).length;
    expect(await found()).toBe(1);
    if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    await page.getByRole("button", { name: "Fermer l'établissement" }).click();
    await expect(page.getByRole("status")).toHaveText(`L'établissement « ${target} » est fermé.`);
    await expect(page.getByText("Cet établissement est fermé")).toBeVisible();
    expect(await found()).toBe(0);
  });

  test("web import: the report line of SPEC §9, invalid lines listed, the new tribunal offered", async ({ page, request }, testInfo) => {
    const nom = `Tribunal de proximité d'Import ${unique(testInfo, "i").replace(/\./g, " ")}`;
    const file = path.join(os.tmpdir(), `${unique(testInfo, "tribunaux")}.csv`);
    fs.writeFileSync(
      file,
      [
        "type,nom,siret,adresse,adresse_complement,code_postal,ville,code_insee,departement,telephone,email,juridiction_parente,date_ouverture,date_fermeture,actif,lat,lon",
        `TPROX,${nom},,1 place du Test,,62100,CALAIS,62193,62,,,,2020-01-01,,1,,`,
        "XX,Tribunal sans type,,,,,,62193,62,,,,,,1,,",
      ].join("\n"),
    );
    await open(page, testInfo, "/admin/tribunaux/import");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Importer des tribunaux");
    await page.getByLabel("Fichier *").setInputFiles(file);
    await page.getByRole("button", { name: "Importer" }).click();
    await expect(page).toHaveURL(/\/admin\/tribunaux\/import$/);
    const report = page.getByRole("status");
    await expect(report).toContainText(/1 créés, 0 mis à jour, 0 inchangés, \d+ absents du fichier, 1 lignes en erreur/);
    await expect(report).toContainText("Ligne 3 : type de tribunal inconnu « XX »");
    const labels = (await (await request.get(`/api/autocomplete/tribunaux?q=${encodeURIComponent(nom)}`)).json()).map((t: { label: string }) => t.label);
    expect(labels).toContain(nom);
    await checkPage(page, testInfo);
    fs.unlinkSync(file);
  });
});
