import * as fs from "node:fs";
import { expect, test, type APIRequestContext, type Browser, type Page, type TestInfo } from "@playwright/test";
import { checkPage, jsEnabled, open } from "./helpers";
import { adminRequest, emailText, GOOD_PASSWORD, logIn, outboxFor, ownAddress, postForm, randomIp, setActive, signUpPrepose, tribunalId, unique, userId } from "./accounts";

// Issue 17, the mandataires' daily tools, JavaScript on and off: search, delete, "Mes données sont à jour",
// suspension and resumption, a reservation refused with its reason (and the magistrat's e-mail).

test.beforeEach(async ({ page }) => ownAddress(page));

const baseURL = process.env.EMJPM_BASE_URL ?? "http://127.0.0.1:3000";
const CALAIS = "Tribunal de proximité de Calais";
type Playwright = Parameters<typeof adminRequest>[0];

function notice(page: Page) {
  // The flash message (the map's own notice about its background is a status too).
  return page.locator('div.notice[role="status"]');
}

function tab(page: Page, name: RegExp) {
  return page.getByRole("navigation", { name: "Espace mandataire" }).getByRole("link", { name });
}

/** An active préposé of Calais, logged in on `page`. */
async function prepose(page: Page, request: APIRequestContext, playwright: Playwright, testInfo: TestInfo) {
  const a = await signUpPrepose(request, testInfo, "outils");
  const admin = await adminRequest(playwright);
  await setActive(admin, a.identifiant, true);
  const id = await userId(admin, a.identifiant);
  await admin.dispose();
  await open(page, testInfo, "/connexion");
  await logIn(page, a.identifiant, a.password);
  await expect(page).toHaveURL(/\/mandataire\/mesures$/);
  if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  return { ...a, id };
}

/** Creates a mesure through its server function, as the form does. */
async function createMesure(page: Page, fields: Record<string, string>) {
  const body = new URLSearchParams({
    id: "", date_decision: "05/03/2024", nature: "curatelle_renforcee", champ: "", code_postal: "62100", commune: "Calais",
    genre: "F", annee_naissance: "1957", lieu_de_vie: "domicile", numero_dossier: "", numero_rg: "", tribunal: "", ...fields,
  });
  const response = await page.request.post("/api/mandataire/mesure/enregistrer", {
    headers: { Origin: new URL(baseURL).origin, "Content-Type": "application/x-www-form-urlencoded" },
    data: body.toString(),
  });
  expect(await response.text()).toBe('"Done"');
}

/** An active magistrat of Calais in a browser context of its own. */
async function magistratPage(browser: Browser, request: APIRequestContext, playwright: Playwright, testInfo: TestInfo) {
  const identifiant = unique(testInfo, "magistrat");
  const response = await postForm(request, "/api/inscription/magistrat", [
    ["fonction", "magistrat"], ["tribunal", CALAIS], ["tribunal_id", await tribunalId(request, CALAIS)], ["cabinet", "3"],
    ["identifiant", identifiant], ["mot_de_passe", GOOD_PASSWORD], ["confirmation", GOOD_PASSWORD],
    ["nom", "Martin"], ["prenom", "Marie"], ["genre", "F"], ["email", `${identifiant}@exemple.fr`],
  ], randomIp());
  expect(response.status()).toBe(302);
  const admin = await adminRequest(playwright);
  await setActive(admin, identifiant, true);
  await admin.dispose();
  const context = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo), extraHTTPHeaders: { "X-Forwarded-For": randomIp() } });
  const page = await context.newPage();
  await page.goto("/connexion");
  await logIn(page, identifiant, GOOD_PASSWORD);
  await expect(page).toHaveURL(/\/magistrat\/mandataires$/);
  return { page, email: `${identifiant}@exemple.fr` };
}

test.describe("mandataires' daily tools (issue 17)", () => {
  test("search, then delete a mistaken mesure after its confirmation page; the counters follow", async ({ page, request, playwright }, testInfo) => {
    await prepose(page, request, playwright, testInfo);
    await createMesure(page, { numero_rg: "26/00417", numero_dossier: "D-EXACT-1", annee_naissance: "1948" });
    await createMesure(page, { numero_dossier: "D-ERREUR-2", code_postal: "62200", commune: "Boulogne-sur-Mer" });
    await open(page, testInfo, "/mandataire/mesures");
    await expect(tab(page, /^Mesures en cours/)).toContainText("2 / 30");
    const search = page.getByRole("searchbox", { name: "Rechercher une mesure" });
    for (const [typed, kept] of [["26/004", "D-EXACT-1"], ["boulogne", "D-ERREUR-2"], ["1948", "D-EXACT-1"]]) {
      await search.fill(typed);
      await page.getByRole("button", { name: "Rechercher" }).click();
      await expect(page).toHaveURL(/recherche=/);
      await expect(page.locator("table tbody tr")).toHaveCount(1);
      await expect(page.locator("table tbody tr")).toContainText(kept);
      await expect(page.getByRole("searchbox", { name: "Rechercher une mesure" })).toHaveValue(typed);
    }
    await checkPage(page, testInfo);
    await search.fill("introuvable");
    await page.getByRole("button", { name: "Rechercher" }).click();
    await expect(page.getByText("Aucune mesure ne correspond à votre recherche.")).toBeVisible();
    // Delete the mistaken one: a confirmation page first.
    await open(page, testInfo, "/mandataire/mesures?recherche=D-ERREUR");
    await page.getByRole("link", { name: /^Supprimer la mesure/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Supprimer la mesure");
    if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    await checkPage(page, testInfo);
    await expect(page.getByText("D-ERREUR-2")).toBeVisible();
    await page.getByRole("button", { name: "Supprimer la mesure" }).click();
    await expect(page).toHaveURL(/\/mandataire\/mesures$/);
    await expect(notice(page)).toHaveText("La mesure a été supprimée.");
    await expect(tab(page, /^Mesures en cours/)).toContainText("1 / 30");
    await expect(page.getByText("D-ERREUR-2")).toHaveCount(0);
    await expect(page.getByText("D-EXACT-1")).toBeVisible();
    // "Exporter": the caller's mesures en cours, as CSV for a French Excel and as XLSX.
    const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /^Exporter \(CSV\)/ }).click()]);
    expect(csv.suggestedFilename()).toMatch(/^emjpm-mesures-\d{4}-\d\d-\d\d-en-cours\.csv$/);
    const text = fs.readFileSync(await csv.path(), "utf8");
    expect(text.startsWith("\ufeffDate décision;Type;Champ;Code postal;Commune;Genre;Année naissance;Lieu de vie;FINESS;Numéro dossier;Numéro RG;Tribunal\r\n")).toBe(true);
    expect(text).toContain("D-EXACT-1");
    expect(text).toContain("26/00417");
    expect(text).not.toContain("D-ERREUR-2");
    expect(text.trim().split("\r\n")).toHaveLength(2);
    const [xlsx] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /^Exporter \(Excel\)/ }).click()]);
    expect(xlsx.suggestedFilename()).toMatch(/-en-cours\.xlsx$/);
    expect(fs.readFileSync(await xlsx.path()).subarray(0, 2).toString()).toBe("PK");
  });

  test("« Mes données sont à jour », then a suspension seen by magistrats, then the resumption", async ({ page, request, playwright, browser }, testInfo) => {
    const a = await prepose(page, request, playwright, testInfo);
    await open(page, testInfo, "/mandataire/carte");
    await expect(page.getByText("Dernière mise à jour : jamais")).toBeVisible();
    await page.getByRole("button", { name: "Mes données sont à jour" }).click();
    await expect(page).toHaveURL(/\/mandataire\/carte$/);
    await expect(notice(page)).toHaveText("Merci : vos données sont confirmées à jour. Les magistrats voient la date d'aujourd'hui.");
    await expect(page.getByText("Dernière mise à jour : jamais")).toHaveCount(0);
    const today = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", day: "2-digit", month: "2-digit", year: "numeric" }).format(new Date());
    await expect(page.getByText(`Dernière mise à jour : ${today}`)).toBeVisible();

    // Suspend with a reason that is too long: refused, kept; then a right one.
    await open(page, testInfo, "/mandataire/informations");
    await page.getByRole("link", { name: "Suspendre mon activité" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Suspendre mon activité");
    if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    await checkPage(page, testInfo);
    const motif = page.getByLabel("Motif", { exact: true });
    const long = "Congé ".repeat(60);
    await motif.fill(long);
    await page.getByRole("button", { name: "Suspendre mon activité" }).click();
    const summary = page.locator(".error-summary");
    await expect(summary).toBeFocused();
    await expect(page.locator("#motif-erreur")).toContainText("Le motif ne doit pas dépasser 300 caractères.");
    await expect(motif).toHaveValue(long);
    await motif.fill("Congé jusqu'au 15 mars");
    await page.getByRole("button", { name: "Suspendre mon activité" }).click();
    await expect(page).toHaveURL(/\/mandataire\/informations$/);
    await expect(notice(page)).toContainText("Votre activité est suspendue");
    await expect(page.getByText("Activité suspendue", { exact: true })).toBeVisible();

    const m = await magistratPage(browser, request, playwright, testInfo);
    const row = m.page.getByRole("row").filter({ hasText: "Claire Dupont" }).filter({ has: m.page.locator(`a[href="/magistrat/mandataires/${a.id}"]`) });
    // A suspended activity sorts with a disponibilité of 0: with the suite's many mandataires, on a later page.
    for (let p = 1; p <= 20 && (await row.count()) === 0; p++) await m.page.goto(`/magistrat/mandataires?page=${p}`);
    await expect(row).toContainText("Activité suspendue");
    await expect(row.locator(".badge")).toHaveText("0");
    await open(m.page, testInfo, `/magistrat/mandataires/${a.id}`);
    await expect(m.page.getByText(/Activité suspendue depuis le \d\d\/\d\d\/\d{4}\. Motif : Congé jusqu'au 15 mars/)).toBeVisible();
    await open(m.page, testInfo, `/magistrat/mandataires/${a.id}/reserver`);
    await expect(m.page.getByRole("note").filter({ hasText: "Attention : ce mandataire a suspendu son activité." })).toBeVisible();

    await open(page, testInfo, "/mandataire/informations");
    await page.getByRole("button", { name: "Reprendre mon activité" }).click();
    await expect(notice(page)).toHaveText("Votre activité a repris : les magistrats voient de nouveau votre disponibilité.");
    await m.page.goto("/magistrat/mandataires");
    await expect(row).not.toContainText("Activité suspendue");
    await expect(row.locator(".badge")).toHaveText("30");
    await m.page.context().close();
  });

  test("a reservation refused with its reason: the magistrat's e-mail and « Refusée »", async ({ page, request, playwright, browser }, testInfo) => {
    const a = await prepose(page, request, playwright, testInfo);
    const m = await magistratPage(browser, request, playwright, testInfo);
    const rg = `26/${Date.now() % 10000000}`;
    const reserved = await m.page.request.post("/api/magistrat/reserver", {
      headers: { Origin: new URL(baseURL).origin, "Content-Type": "application/x-www-form-urlencoded" },
      data: new URLSearchParams({ mandataire: a.id, reservation: "", nature: "tutelle", champ: "", genre: "H", annee_naissance: "1948", numero_rg: rg, cabinet: "" }).toString(),
    });
    expect(await reserved.text()).toBe('"Done"');
    await open(page, testInfo, "/mandataire/mesures/en-attente");
    await expect(tab(page, /^Mesures en attente/)).toContainText("1");
    await page.getByRole("link", { name: /^Refuser la mesure/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Refuser la mesure");
    if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    await checkPage(page, testInfo);
    await expect(page.getByText(rg)).toBeVisible();
    await page.getByRole("button", { name: "Refuser la mesure" }).click();
    await expect(page.locator(".error-summary")).toBeFocused();
    await expect(page.locator("#motif-erreur")).toContainText("Indiquez le motif du refus : le magistrat le recevra.");
    await expect(page.getByLabel("Motif du refus *", { exact: true })).toHaveAttribute("aria-invalid", "true");
    await page.getByLabel("Motif du refus *", { exact: true }).fill("Capacité atteinte ce mois-ci");
    await page.getByRole("button", { name: "Refuser la mesure" }).click();
    await expect(page).toHaveURL(/\/mandataire\/mesures\/en-attente$/);
    await expect(notice(page)).toHaveText("La mesure a été refusée. Le magistrat qui l'a réservée en est informé par email.");
    await expect(tab(page, /^Mesures en attente/)).toContainText("0");
    // The magistrat: "Refusée" with the reason, and the e-mail.
    await open(m.page, testInfo, "/magistrat/mesures?etat=refusee");
    const row = m.page.getByRole("row", { name: new RegExp(rg.replace("/", "\\/")) });
    await expect(row).toContainText("Refusée");
    await expect(row).toContainText("Motif : Capacité atteinte ce mois-ci");
    const admin = await adminRequest(playwright);
    const mails = (await outboxFor(admin, m.email)).filter((x) => x.subject === "e-MJPM : une mesure réservée a été refusée");
    expect(mails).toHaveLength(1);
    const text = await emailText(admin, mails[0].id);
    expect(text).toContain("Motif du refus : Capacité atteinte ce mois-ci");
    expect(text).toContain(rg);
    await admin.dispose();
    await m.page.context().close();
  });
});
