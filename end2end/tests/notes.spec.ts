import { expect, test, type APIRequestContext, type Browser, type TestInfo } from "@playwright/test";
import { checkPage, jsEnabled, open } from "./helpers";
import { adminRequest, GOOD_PASSWORD, logIn, postForm, randomIp, setActive, signUpMagistrat, tribunalId, unique, userId } from "./accounts";

// Issue 18, notes on a mandataire's fiche (SPEC §6.2 P2), JavaScript on and off: a refused note keeps its
// text, a saved one is listed with its date; the magistrat of the mandataire's other tribunal and the
// mandataire never see it; "Supprimer" removes it.

const CALAIS = "Tribunal de proximité de Calais";
const BOULOGNE = "Tribunal judiciaire de Boulogne-sur-Mer";
type Playwright = Parameters<typeof adminRequest>[0];

async function account(request: APIRequestContext, playwright: Playwright, path: string, fields: [string, string][], identifiant: string) {
  const response = await postForm(request, path, fields, randomIp());
  expect(response.status()).toBe(302);
  const admin = await adminRequest(playwright);
  await setActive(admin, identifiant, true);
  const id = await userId(admin, identifiant);
  await admin.dispose();
  return id;
}

async function magistrat(request: APIRequestContext, playwright: Playwright, testInfo: TestInfo, tribunal: string) {
  return signUpMagistrat(request, playwright, testInfo, tribunal, "juge-notes");
}

async function logged(browser: Browser, testInfo: TestInfo, identifiant: string) {
  const context = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo), extraHTTPHeaders: { "X-Forwarded-For": randomIp() } });
  const page = await context.newPage();
  await page.goto("/connexion");
  await logIn(page, identifiant, GOOD_PASSWORD);
  await expect(page).not.toHaveURL(/\/connexion/);
  return page;
}

test("notes on a fiche: refused then saved, invisible elsewhere, deleted", async ({ page, browser, request, playwright }, testInfo) => {
  // A préposé agréé in Calais and in Boulogne-sur-Mer.
  const identifiant = unique(testInfo, "mjpm-notes");
  const mandataire = await account(request, playwright, "/api/inscription", [
    ["tribunaux[]", await tribunalId(request, CALAIS)], ["tribunaux[]", await tribunalId(request, BOULOGNE)],
    ["type_mandataire", "prepose"], ["identifiant", identifiant], ["mot_de_passe", GOOD_PASSWORD], ["confirmation", GOOD_PASSWORD],
    ["nom", "Notes"], ["prenom", "Claire"], ["genre", "F"], ["adresse", "1 rue Royale"], ["code_postal", "62100"],
    ["commune", "Calais"], ["telephone", "03 21 00 00 00"], ["email", `${identifiant}@exemple.fr`], ["mesures_souhaitees", "10"],
  ], identifiant);
  const calais = await magistrat(request, playwright, testInfo, CALAIS);
  const boulogne = await magistrat(request, playwright, testInfo, BOULOGNE);
  await open(page, testInfo, "/connexion");
  await logIn(page, calais, GOOD_PASSWORD);
  await expect(page).toHaveURL(/\/magistrat\/mandataires$/);
  await open(page, testInfo, `/magistrat/mandataires/${mandataire}`);
  await expect(page.getByRole("heading", { name: "Notes", exact: true })).toBeVisible();
  await expect(page.getByText("Attention à la sensibilité des données. Ces notes sont uniquement accessibles aux magistrats de votre tribunal.")).toBeVisible();
  await expect(page.getByText("Aucune note.")).toBeVisible();
  // Too long: the message, the summary focused, the text kept.
  const field = page.getByLabel("Ajoutez vos notes :");
  const long = "Très long. ".repeat(200);
  await field.fill(long);
  await page.getByRole("button", { name: "Enregistrer" }).click();
  if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.locator("#texte-erreur")).toHaveText("La note ne doit pas dépasser 2 000 caractères.");
  await expect(page.locator(".error-summary")).toBeFocused();
  await expect(field).toHaveValue(long);
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await checkPage(page, testInfo);
  // Saved.
  await field.fill("Très réactive, joignable le mardi.");
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await expect(page.locator('div.notice[role="status"]')).toHaveText("La note a été enregistrée.");
  if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  const note = page.locator(".notes-list li");
  await expect(note).toHaveCount(1);
  await expect(note).toContainText("Très réactive, joignable le mardi.");
  await expect(note).toContainText(/Ajouté le : \d\d\/\d\d\/\d{4} à \d\d:\d\d – Marie Martin/);
  // The magistrat of Boulogne-sur-Mer sees the same fiche without the note; the mandataire never sees it.
  const other = await logged(browser, testInfo, boulogne);
  await other.goto(`/magistrat/mandataires/${mandataire}`);
  await expect(other.getByRole("heading", { name: "Notes", exact: true })).toBeVisible();
  await expect(other.getByText("Aucune note.")).toBeVisible();
  await expect(other.getByText("Très réactive")).toHaveCount(0);
  await other.context().close();
  const own = await logged(browser, testInfo, identifiant);
  for (const path of ["/mandataire/mesures", "/mandataire/informations"]) {
    await own.goto(path);
    await expect(own.getByText("Très réactive")).toHaveCount(0);
  }
  await own.context().close();
  // "Supprimer".
  await note.getByRole("button", { name: /^Supprimer/ }).click();
  await expect(page.locator('div.notice[role="status"]')).toHaveText("La note a été supprimée.");
  await expect(page.getByText("Aucune note.")).toBeVisible();
});
