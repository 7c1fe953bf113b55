import * as fs from "node:fs";
import { expect, test, type APIRequestContext, type Browser, type TestInfo } from "@playwright/test";
import { checkPage, jsEnabled, open } from "./helpers";
import { adminRequest, GOOD_PASSWORD, logIn, postForm, randomIp, setActive, signUpMagistrat, tribunalId, unique } from "./accounts";

// Issue 18, finding a mandataire, JavaScript on and off: the "Nom" search, each "Trier par" (Distance from
// three known communes), "Places disponibles uniquement", every control kept in a shareable address, and the
// export of the filtered list.

const CALAIS = "Tribunal de proximité de Calais";
type Playwright = Parameters<typeof adminRequest>[0];

/** Three active préposés of the tribunal, in Calais, Boulogne-sur-Mer (no place left) and Arras. */
async function threeMandataires(request: APIRequestContext, playwright: Playwright, testInfo: TestInfo, stem: string) {
  const tribunal = await tribunalId(request, CALAIS);
  const admin = await adminRequest(playwright);
  for (const [ville, cp, souhaitees] of [["Calais", "62100", "12"], ["Boulogne-sur-Mer", "62200", "0"], ["Arras", "62000", "5"]]) {
    const identifiant = unique(testInfo, "recherche");
    const response = await postForm(request, "/api/inscription", [
      ["tribunaux[]", tribunal], ["type_mandataire", "prepose"], ["identifiant", identifiant],
      ["mot_de_passe", GOOD_PASSWORD], ["confirmation", GOOD_PASSWORD], ["nom", `${stem} ${ville}`], ["prenom", "Claire"],
      ["genre", "F"], ["adresse", "1 rue Royale"], ["code_postal", cp], ["commune", ville], ["telephone", "0321000000"],
      ["email", `${identifiant}@exemple.fr`], ["mesures_souhaitees", souhaitees],
    ], randomIp());
    expect(response.status()).toBe(302);
    await setActive(admin, identifiant, true);
  }
  await admin.dispose();
}

/** An active magistrat of Calais, logged in on a page of its own. */
async function magistrat(browser: Browser, request: APIRequestContext, playwright: Playwright, testInfo: TestInfo) {
  const identifiant = await signUpMagistrat(request, playwright, testInfo, CALAIS);
  const context = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo), extraHTTPHeaders: { "X-Forwarded-For": randomIp() } });
  const page = await context.newPage();
  await page.goto("/connexion");
  await logIn(page, identifiant, GOOD_PASSWORD);
  await expect(page).toHaveURL(/\/magistrat\/mandataires$/);
  return page;
}

test("a magistrat searches by name, sorts four ways, keeps the places left, and exports the list", async ({ browser, request, playwright }, testInfo) => {
  const stem = unique(testInfo, "cherche").replace(/\./g, "");
  await threeMandataires(request, playwright, testInfo, stem);
  const page = await magistrat(browser, request, playwright, testInfo);
  await open(page, testInfo, "/magistrat/mandataires");
  const names = () => page.locator("table tbody th a");
  // "Nom", then "Trier par : Nom (A–Z)", through the form.
  await page.getByLabel("Nom", { exact: true }).fill(stem);
  await page.getByLabel("Trier par", { exact: true }).selectOption({ label: "Nom (A–Z)" });
  await page.getByRole("button", { name: "Rechercher" }).click();
  await expect(page).toHaveURL(new RegExp(`nom=${stem}.*tri=nom`));
  if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await checkPage(page, testInfo);
  await expect(page.getByRole("heading", { name: "3 professionnels" })).toBeVisible();
  await expect(names()).toHaveText([`Claire ${stem} Arras`, `Claire ${stem} Boulogne-sur-Mer`, `Claire ${stem} Calais`]);
  await expect(page.getByLabel("Nom", { exact: true })).toHaveValue(stem);
  await expect(page.getByLabel("Trier par", { exact: true })).toHaveValue("nom");
  // The other orders, from shareable addresses.
  await open(page, testInfo, `/magistrat/mandataires?nom=${stem}&tri=nom_desc`);
  await expect(names()).toHaveText([`Claire ${stem} Calais`, `Claire ${stem} Boulogne-sur-Mer`, `Claire ${stem} Arras`]);
  await open(page, testInfo, `/magistrat/mandataires?nom=${stem}`);
  await expect(names()).toHaveText([`Claire ${stem} Calais`, `Claire ${stem} Arras`, `Claire ${stem} Boulogne-sur-Mer`]);
  // Distance from three known communes: the nearest first, "à … km" under the commune.
  for (const [lieu, order] of [
    ["62200", ["Boulogne-sur-Mer", "Calais", "Arras"]],
    ["Calais", ["Calais", "Boulogne-sur-Mer", "Arras"]],
    ["Arras", ["Arras", "Boulogne-sur-Mer", "Calais"]],
  ] as const) {
    await open(page, testInfo, `/magistrat/mandataires?nom=${stem}&tri=distance&lieu=${encodeURIComponent(lieu)}`);
    await expect(names()).toHaveText(order.map((v) => `Claire ${stem} ${v}`));
    await expect(page.locator("table tbody tr").first()).toContainText("à moins d'1 km");
  }
  await expect(page.locator("table tbody tr").nth(1)).toContainText(/à \d+ km/);
  await expect(page.getByText("Distances à vol d'oiseau depuis Arras.")).toBeVisible();
  // "Places disponibles uniquement": Boulogne-sur-Mer (0) leaves; the box stays ticked.
  await page.getByLabel("Places disponibles uniquement").check();
  await page.getByRole("button", { name: "Rechercher" }).click();
  await expect(page).toHaveURL(/disponibles=oui/);
  await expect(names()).toHaveText([`Claire ${stem} Arras`, `Claire ${stem} Calais`]);
  await expect(page.getByLabel("Places disponibles uniquement")).toBeChecked();
  // The export is the list as filtered and sorted.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /^Exporter \(CSV\)/ }).click()]);
  expect(download.suggestedFilename()).toMatch(/^emjpm-\d{4}-\d\d-\d\d-mandataires\.csv$/);
  const text = fs.readFileSync(await download.path(), "utf8");
  expect(text.startsWith("\ufeffType;Nom;Commune;Disponibilité;En cours;Souhaitées;En attente;Mise à jour;Activité suspendue;Distance;Latitude;Longitude\r\n")).toBe(true);
  const lines = text.trim().split("\r\n");
  expect(lines.slice(1).map((l) => l.split(";")[1])).toEqual([`Claire ${stem} Arras`, `Claire ${stem} Calais`]);
  expect(lines[1]).toContain(";à moins d'1 km;50.");
  // A bad sort value is the default, not an error page.
  await open(page, testInfo, `/magistrat/mandataires?nom=${stem}&tri=n%27importe`);
  await expect(names()).toHaveCount(3);
  await page.context().close();
});

test("on the map, choosing a commune lists the mandataires holding mesures en cours there, by count", async ({ page, browser, request, playwright }, testInfo) => {
  const stem = unique(testInfo, "carte").replace(/\./g, "");
  const tribunal = await tribunalId(request, CALAIS);
  const admin = await adminRequest(playwright);
  const origin = new URL(process.env.EMJPM_BASE_URL ?? "http://127.0.0.1:3000").origin;
  // Two préposés: one with 2 mesures en cours in Arras, the other with 1 there and 1 in Calais.
  for (const [ville, arras] of [["Premier", 2], ["Second", 1]] as const) {
    const identifiant = unique(testInfo, "carte-mjpm");
    const response = await postForm(request, "/api/inscription", [
      ["tribunaux[]", tribunal], ["type_mandataire", "prepose"], ["identifiant", identifiant],
      ["mot_de_passe", GOOD_PASSWORD], ["confirmation", GOOD_PASSWORD], ["nom", `${stem} ${ville}`], ["prenom", "Claire"],
      ["genre", "F"], ["adresse", "1 rue Royale"], ["code_postal", "62100"], ["commune", "Calais"], ["telephone", "0321000000"],
      ["email", `${identifiant}@exemple.fr`], ["mesures_souhaitees", "20"],
    ], randomIp());
    expect(response.status()).toBe(302);
    await setActive(admin, identifiant, true);
    const context = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": randomIp() } });
    const own = await context.newPage();
    await own.goto("/connexion");
    await logIn(own, identifiant, GOOD_PASSWORD);
    await expect(own).toHaveURL(/\/mandataire\/mesures$/);
    const places = [...Array(arras).fill(["62000", "Arras"]), ["62100", "Calais"]];
    for (const [cp, commune] of places) {
      const created = await own.request.post("/api/mandataire/mesure/enregistrer", {
        headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
        data: new URLSearchParams({ id: "", date_decision: "05/03/2024", nature: "tutelle", champ: "", code_postal: cp, commune,
          genre: "F", annee_naissance: "1950", lieu_de_vie: "domicile", numero_dossier: "", numero_rg: "", tribunal: "" }).toString(),
      });
      expect(await created.text()).toBe('"Done"');
    }
    await context.close();
  }
  await admin.dispose();
  const magistratPage = await magistrat(browser, request, playwright, testInfo);
  await open(magistratPage, testInfo, `/magistrat/carte?nom=${stem}`);
  if (jsEnabled(testInfo)) {
    // On the map itself: the commune's marker, then the link of its popup.
    await magistratPage.getByRole("button", { name: "Arras : 3 mesures en cours" }).click();
    await magistratPage.getByRole("link", { name: "Voir les mandataires ayant des mesures ici" }).click();
    await expect(magistratPage).toHaveURL(/commune=62041#mandataires-commune$/);
    await expect(magistratPage.getByRole("heading", { name: "Mandataires ayant des mesures en cours à Arras" })).toBeVisible();
    await open(magistratPage, testInfo, `/magistrat/carte?nom=${stem}`);
  }
  await magistratPage.getByRole("link", { name: "Voir les mandataires ayant des mesures en cours à Arras" }).click();
  await expect(magistratPage).toHaveURL(/commune=62041/);
  if (jsEnabled(testInfo)) await expect(magistratPage.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(magistratPage.getByRole("heading", { name: "Mandataires ayant des mesures en cours à Arras" })).toBeVisible();
  const table = magistratPage.getByRole("table", { name: /ayant des mesures en cours à Arras/ });
  await expect(table.locator("tbody tr")).toHaveCount(2);
  await expect(table.locator("tbody tr").first()).toContainText(`Claire ${stem} Premier`);
  await expect(table.locator("tbody tr").first()).toContainText("2");
  await expect(table.locator("tbody tr").nth(1)).toContainText(`Claire ${stem} Second`);
  await checkPage(magistratPage, testInfo);
  await magistratPage.context().close();
  void page;
});
