import { expect, test, type APIRequestContext, type Page, type TestInfo } from "@playwright/test";
import { checkPage, jsEnabled, open } from "./helpers";
import { adminRequest, GOOD_PASSWORD, logIn, ownAddress, postForm, randomIp, setActive, signUpPrepose, tribunalId, unique, userId, type Mandataire } from "./accounts";

test.beforeEach(async ({ page }) => ownAddress(page));

const baseURL = process.env.EMJPM_BASE_URL ?? "http://127.0.0.1:3000";

/** Today in Paris, "jj/mm/aaaa". */
function today(): string {
  return new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", day: "2-digit", month: "2-digit", year: "numeric" }).format(new Date());
}

/** An active préposé of the Tribunal de proximité de Calais (30 mesures souhaitées), logged in on `page`. */
async function activePrepose(page: Page, request: APIRequestContext, playwright: Parameters<typeof adminRequest>[0], testInfo: TestInfo, stem = "prepose"): Promise<Mandataire> {
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

/** Fills an autocomplete: with JavaScript, types and picks the option; without, types the text. */
async function autocomplete(page: Page, testInfo: TestInfo, label: string, typed: string, option: string) {
  const field = page.getByRole(jsEnabled(testInfo) ? "combobox" : "textbox", { name: label, exact: true });
  if (jsEnabled(testInfo)) {
    await field.fill("");
    await field.pressSequentially(typed);
    await page.getByRole("option", { name: option }).click();
    await expect(field).toHaveValue(option);
  } else {
    await field.fill(typed);
  }
}

/** Fills "Enregistrer une nouvelle mesure" with scenario 11's values, then `overrides`. */
async function fillMesure(page: Page, testInfo: TestInfo, values: { date?: string; commune?: string; codePostal?: string; annee?: string; lieu?: string } = {}) {
  await page.getByLabel("Date de décision *").fill(values.date ?? "05/03/2024");
  await page.getByLabel("Type de mesure *").selectOption({ label: "Curatelle renforcée" });
  await page.getByLabel("Champ de la mesure").selectOption({ label: "Aux biens et à la personne" });
  await page.getByLabel("Code postal *").fill(values.codePostal ?? "62100");
  const commune = values.commune ?? "Calais";
  const communeField = page.getByRole(jsEnabled(testInfo) ? "combobox" : "textbox", { name: "Commune *", exact: true });
  await communeField.fill(commune);
  // The suggestions stay open while typing: close them as a keyboard user would.
  if (jsEnabled(testInfo)) await communeField.press("Escape");
  await page.getByRole("group", { name: "Genre du majeur *" }).getByLabel("Femme").check();
  await page.getByLabel("Année de naissance du majeur *").fill(values.annee ?? "1957");
  await page.getByRole("group", { name: "Lieu de vie du majeur *" }).getByLabel(values.lieu ?? "À domicile", { exact: true }).check();
}

/** Creates a mesure through its server function, as the form does (the page's cookies). */
async function createMesure(page: Page, commune: string, codePostal: string, annee = "1957") {
  const body = new URLSearchParams({
    id: "", date_decision: "05/03/2024", nature: "curatelle_renforcee", champ: "protection_bien_personne",
    code_postal: codePostal, commune, genre: "F", annee_naissance: annee, lieu_de_vie: "domicile",
    numero_dossier: "", numero_rg: "", tribunal: "",
  });
  const response = await page.request.post("/api/mandataire/mesure/enregistrer", {
    headers: { Origin: new URL(baseURL).origin, "Content-Type": "application/x-www-form-urlencoded" },
    data: body.toString(),
  });
  expect(await response.text()).toBe('"Done"');
}

/** The one-time status message of a success (the autocomplete's live regions are statuses too). */
function notice(page: Page) {
  return page.locator('.notice[role="status"]');
}

function tab(page: Page, name: RegExp) {
  return page.getByRole("navigation", { name: "Espace mandataire" }).getByRole("link", { name });
}

test.describe("mandataire workspace (SPEC §5)", () => {
  test("scenario 8: the profile form keeps the edits on errors, then saves the secretariat and the capacity", async ({ page, request, playwright }, testInfo) => {
    await activePrepose(page, request, playwright, testInfo);
    await expect(page.getByText("Première connexion")).toBeVisible();
    await expect(page.getByText("Je déclare actuellement aux juges pouvoir prendre 30 mesures supplémentaires.")).toBeVisible();
    await expect(page.getByText("Dernière mise à jour : jamais")).toBeVisible();
    await tab(page, /^Mes informations/).click();
    await expect(page).toHaveURL(/\/mandataire\/informations$/);
    await checkPage(page, testInfo);
    await page.getByRole("link", { name: "Modifier mon profil" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Modifier mes informations");
    if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    await checkPage(page, testInfo);
    await page.getByRole("group", { name: "Secrétariat *" }).getByLabel("Oui").check();
    await page.getByLabel("Nombre d'ETP de secrétariat").fill("");
    await page.getByLabel("Téléphone *").fill("12345");
    await page.getByRole("button", { name: "Valider" }).click();
    const summary = page.locator(".error-summary");
    await expect(summary).toContainText("Le formulaire contient 2 erreurs :");
    await expect(summary).toContainText("Saisissez un numéro de téléphone à 10 chiffres. Par exemple : 0321000000");
    await expect(summary).toContainText("Saisissez un nombre d'ETP entre 0,1 et 99 (par exemple 0,8 pour un temps partiel à 80 %).");
    await expect(summary).toBeFocused();
    await expect(page.getByLabel("Téléphone *")).toHaveValue("12345");
    await expect(page.getByLabel("Téléphone *")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByRole("group", { name: "Secrétariat *" }).getByLabel("Oui")).toBeChecked();
    await checkPage(page, testInfo);
    await page.getByLabel("Téléphone *").fill("03 21 00 00 01");
    await page.getByLabel("Nombre de mesures souhaitées *").fill("30");
    await page.getByLabel("Nombre d'ETP de secrétariat").fill("0,8");
    await page.getByRole("button", { name: "Valider" }).click();
    await expect(page).toHaveURL(/\/mandataire\/informations$/);
    await expect(notice(page)).toHaveText("Vos informations ont bien été modifiées.");
    await expect(page.getByText("Secrétariat : Oui (0,8 ETP)")).toBeVisible();
    await expect(tab(page, /^Mesures en cours/)).toContainText("0 / 30");
  });

  test("scenario 9: a tribunal is added with the autocomplete (or its text), removed with « - », never the last", async ({ page, request, playwright }, testInfo) => {
    await activePrepose(page, request, playwright, testInfo);
    await open(page, testInfo, "/mandataire/informations");
    await expect(page.getByRole("heading", { name: "Tribunaux d'Instance où je suis agréé" })).toBeVisible();
    await autocomplete(page, testInfo, "Ajouter un tribunal", jsEnabled(testInfo) ? "boulog" : "Tribunal judiciaire de Boulogne-sur-Mer", "Tribunal judiciaire de Boulogne-sur-Mer");
    await page.getByRole("button", { name: "Ajouter", exact: true }).click();
    await expect(notice(page)).toHaveText("Le tribunal a bien été ajouté.");
    const remove = page.getByRole("button", { name: "Retirer Tribunal judiciaire de Boulogne-sur-Mer" });
    await expect(remove).toBeVisible();
    await remove.click();
    await expect(notice(page)).toHaveText("Le tribunal a bien été retiré.");
    await expect(remove).toHaveCount(0);
    await page.getByRole("button", { name: "Retirer Tribunal de proximité de Calais" }).click();
    await expect(page.getByRole("alert")).toContainText("Vous devez rester agréé auprès d'au moins un tribunal.");
    await expect(page.getByRole("button", { name: "Retirer Tribunal de proximité de Calais" })).toBeVisible();
    await checkPage(page, testInfo);
  });

  test("scenario 10: « Ajouter un établissement » lists the picked établissement under « Mes établissements »", async ({ page, request, playwright }, testInfo) => {
    await activePrepose(page, request, playwright, testInfo);
    await open(page, testInfo, "/mandataire/informations");
    await page.getByRole("link", { name: "Ajouter un établissement" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ajouter un établissement");
    if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    await checkPage(page, testInfo);
    await autocomplete(page, testInfo, "Établissement *", "chateau des dunes", "EHPAD RESIDENCE CHATEAU DES DUNES – 62100 Calais");
    await page.getByRole("button", { name: "Valider" }).click();
    await expect(page).toHaveURL(/\/mandataire\/informations$/);
    await expect(notice(page)).toHaveText("L'établissement a bien été ajouté.");
    await expect(page.getByRole("button", { name: "Retirer EHPAD RESIDENCE CHATEAU DES DUNES – 62100 Calais" })).toBeVisible();
  });

  test("scenarios 11 and 12: a new mesure is refused with four messages, then saved; badge and last update follow", async ({ page, request, playwright }, testInfo) => {
    await activePrepose(page, request, playwright, testInfo);
    await expect(page.getByText("Vous n'avez aucune mesure en cours.")).toBeVisible();
    await page.getByRole("link", { name: "Enregistrer une nouvelle mesure" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Enregistrer une nouvelle mesure");
    if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    await expect(page.getByLabel("Date de décision *")).toHaveValue(today());
    await checkPage(page, testInfo);
    // Scenario 12.
    await fillMesure(page, testInfo, { date: "01/01/2099", commune: "Arras", annee: "1850", lieu: "En établissement" });
    await page.getByRole("button", { name: "Valider" }).click();
    const summary = page.locator(".error-summary");
    await expect(summary).toContainText("Le formulaire contient 4 erreurs :");
    await expect(summary).toContainText("La date de décision ne peut pas être dans le futur.");
    await expect(summary).toContainText("La commune « Arras » ne correspond pas au code postal 62100. Choisissez-la dans la liste.");
    await expect(summary).toContainText(/Saisissez une année de naissance à 4 chiffres entre 1900 et \d{4}\./);
    await expect(summary).toContainText("Choisissez l'établissement dans lequel vit le majeur.");
    await expect(summary).toBeFocused();
    await expect(page.getByLabel("Date de décision *")).toHaveValue("01/01/2099");
    await expect(page.getByLabel("Année de naissance du majeur *")).toHaveValue("1850");
    await expect(page.getByLabel("Type de mesure *")).toHaveValue("curatelle_renforcee");
    await expect(page.getByRole("group", { name: "Lieu de vie du majeur *" }).getByLabel("En établissement", { exact: true })).toBeChecked();
    await checkPage(page, testInfo);
    // Scenario 11.
    await fillMesure(page, testInfo);
    await page.getByRole("button", { name: "Valider" }).click();
    await expect(page).toHaveURL(/\/mandataire\/mesures$/);
    await expect(notice(page)).toHaveText("La mesure a bien été enregistrée.");
    const row = page.getByRole("row", { name: /Curatelle renforcée aux biens et à la personne/ });
    await expect(row).toContainText("05/03/2024");
    await expect(row).toContainText("Calais");
    await expect(row).toContainText("1957");
    await expect(row).toContainText("Femme");
    await expect(tab(page, /^Mesures en cours/)).toContainText("1 / 30");
    await expect(page.getByText(`Dernière mise à jour : ${today()}`)).toBeVisible();
    await expect(page.getByText("Première connexion")).toHaveCount(0);
    await checkPage(page, testInfo);
  });

  test("scenarios 13 and 14: an ambiguous établissement offers choices; an edit changes the row, not the counters", async ({ page, request, playwright }, testInfo) => {
    await activePrepose(page, request, playwright, testInfo);
    await open(page, testInfo, "/mandataire/mesures/nouvelle");
    await fillMesure(page, testInfo, { lieu: "En établissement" });
    const etablissement = page.getByRole(jsEnabled(testInfo) ? "combobox" : "textbox", { name: "Établissement", exact: true });
    // Several établissements match (the reference file or the test fixture): pick the first one offered.
    if (jsEnabled(testInfo)) {
      await etablissement.pressSequentially("ehpad calais");
      const first = page.getByRole("listbox", { name: "Établissement" }).getByRole("option").first();
      await expect(first).toContainText("Calais");
      await first.click();
    } else {
      await etablissement.fill("ehpad calais");
      await page.getByRole("button", { name: "Valider" }).click();
      await expect(page.getByText("Plusieurs résultats correspondent à « ehpad calais » : choisissez-en un.").first()).toBeVisible();
      await expect(page.getByLabel("Année de naissance du majeur *")).toHaveValue("1957");
      await page.getByRole("group", { name: /Plusieurs résultats correspondent/ }).getByRole("radio").first().check();
    }
    await page.getByRole("button", { name: "Valider" }).click();
    await expect(notice(page)).toHaveText("La mesure a bien été enregistrée.");
    await expect(page.getByRole("row", { name: /Curatelle renforcée/ })).toContainText("En établissement");
    await expect(tab(page, /^Mesures en cours/)).toContainText("1 / 30");
    // Scenario 14: "Modifier" → "À domicile" then back to an établissement.
    await page.getByRole("link", { name: /^Modifier la mesure/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Modifier la mesure");
    if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    await expect(page.getByLabel("Année de naissance du majeur *")).toHaveValue("1957");
    await checkPage(page, testInfo);
    await page.getByRole("group", { name: "Lieu de vie du majeur *" }).getByLabel("En établissement avec conservation du domicile").check();
    await autocomplete(page, testInfo, "Établissement", "chateau des dunes", "EHPAD RESIDENCE CHATEAU DES DUNES – 62100 Calais");
    await page.getByRole("button", { name: "Valider" }).click();
    await expect(notice(page)).toHaveText("La mesure a bien été modifiée.");
    await expect(page.getByRole("row", { name: /Curatelle renforcée/ })).toContainText("En établissement avec conservation du domicile");
    await expect(tab(page, /^Mesures en cours/)).toContainText("1 / 30");
  });

  test("scenarios 15 and 16: end of mandate with its date checked, then reactivation restores the counters", async ({ page, request, playwright }, testInfo) => {
    await activePrepose(page, request, playwright, testInfo);
    await createMesure(page, "Calais", "62100");
    await open(page, testInfo, "/mandataire/mesures");
    await expect(tab(page, /^Mesures en cours/)).toContainText("1 / 30");
    await page.getByRole("link", { name: /^Mettre fin au mandat/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mettre fin au mandat");
    if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    await expect(page.getByText("Une fois cette opération effectuée, vous retrouverez cette mesure dans l'onglet « Mesures éteintes ».")).toBeVisible();
    await checkPage(page, testInfo);
    await page.getByLabel("Date de fin de mandat *").fill("01/01/2020");
    await page.getByRole("button", { name: "Eteindre la mesure" }).click();
    await expect(page.locator(".error-summary")).toContainText("La date de fin de mandat ne peut pas être antérieure à la date de décision (05/03/2024).");
    await expect(page.getByLabel("Date de fin de mandat *")).toHaveValue("01/01/2020");
    await page.getByLabel("Date de fin de mandat *").fill("01/06/2024");
    await page.getByLabel("Cause de sortie").selectOption({ label: "Décès" });
    await page.getByRole("button", { name: "Eteindre la mesure" }).click();
    await expect(notice(page)).toHaveText("La mesure a été éteinte. Vous la retrouverez dans l'onglet « Mesures éteintes ».");
    await expect(tab(page, /^Mesures en cours/)).toContainText("0 / 30");
    await expect(tab(page, /^Mesures éteintes/)).toContainText("1");
    await tab(page, /^Mesures éteintes/).click();
    await expect(page).toHaveURL(/\/mandataire\/mesures\/eteintes$/);
    const row = page.getByRole("row", { name: /Curatelle renforcée/ });
    await expect(row).toContainText("01/06/2024");
    await expect(row).toContainText("Décès");
    if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    await checkPage(page, testInfo);
    // Scenario 16.
    await row.getByRole("button", { name: /^Réactiver la mesure/ }).click();
    await expect(notice(page)).toHaveText("La mesure a été réactivée.");
    await expect(page.getByRole("row", { name: /Curatelle renforcée/ })).toHaveCount(0);
    await expect(tab(page, /^Mesures en cours/)).toContainText("1 / 30");
    await tab(page, /^Mesures en cours/).click();
    const back = page.getByRole("row", { name: /Curatelle renforcée/ });
    await expect(back).toContainText("05/03/2024");
    await expect(back).not.toContainText("Décès");
  });

  test("scenario 17: the map shows one numbered marker per commune, its popup, the tiles notice and the table", async ({ page, request, playwright }, testInfo) => {
    await activePrepose(page, request, playwright, testInfo);
    for (let i = 0; i < 3; i += 1) await createMesure(page, "Calais", "62100");
    await createMesure(page, "Arras", "62000", "1948");
    await open(page, testInfo, "/mandataire/carte");
    const table = page.getByRole("table", { name: "Mesures en cours par commune" });
    await expect(table.locator("tbody tr")).toHaveCount(2);
    await expect(table.getByRole("row", { name: /Calais/ })).toContainText("3");
    await expect(table.getByRole("row", { name: /Arras/ })).toContainText("Curatelle renforcée aux biens et à la personne – 1948");
    if (jsEnabled(testInfo)) {
      const markers = page.locator(".leaflet-marker-icon");
      await expect(markers).toHaveCount(2);
      await expect(page.getByRole("button", { name: "Calais : 3 mesures" })).toHaveText("3");
      await expect(page.getByRole("button", { name: "Arras : 1 mesure" })).toHaveText("1");
      await page.getByRole("button", { name: "Calais : 3 mesures" }).focus();
      await page.keyboard.press("Enter");
      await expect(page.locator(".leaflet-popup-content")).toContainText("Curatelle renforcée aux biens et à la personne – 1957");
      await expect(page.getByText("Le fond de carte n'a pas pu être chargé.")).toBeVisible();
    } else {
      await expect(page.getByText("La carte nécessite JavaScript. Les mêmes informations figurent dans le tableau ci-dessous.")).toBeVisible();
    }
  });

  test("scenario 23 (mandataire half): another mandataire's mesure answers « Page introuvable » and nothing changes", async ({ page, request, playwright, browser }, testInfo) => {
    await activePrepose(page, request, playwright, testInfo, "prepose.a");
    await createMesure(page, "Calais", "62100");
    await open(page, testInfo, "/mandataire/mesures");
    const href = await page.getByRole("link", { name: /^Modifier la mesure/ }).getAttribute("href");
    const id = href!.match(/\/mandataire\/mesures\/(\d+)\/modifier/)![1];
    const bContext = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo) });
    const b = await bContext.newPage();
    await ownAddress(b);
    await activePrepose(b, request, playwright, testInfo, "prepose.b");
    for (const path of [`/mandataire/mesures/${id}/modifier`, `/mandataire/mesures/${id}/fin`, `/mandataire/mesures/${id}/accepter`]) {
      const response = await b.goto(path);
      expect(response!.status(), path).toBe(404);
      await expect(b.getByRole("heading", { level: 1 })).toHaveText("Page introuvable");
    }
    const forged = await b.request.post("/api/mandataire/mesure/eteindre", {
      headers: { Origin: new URL(baseURL).origin, Accept: "text/html", "Content-Type": "application/x-www-form-urlencoded" },
      data: `id=${id}&date_fin=01%2F06%2F2024&cause_sortie=deces`,
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(404);
    expect(await forged.text()).toContain("Page introuvable");
    await bContext.close();
    await page.reload();
    await expect(tab(page, /^Mesures en cours/)).toContainText("1 / 30");
    await expect(tab(page, /^Mesures éteintes/)).toContainText("0");
  });

  test("scenario 21: a magistrat's reservation is accepted from « Mesures en attente »; the magistrat sees « Acceptée »", async ({ page, request, playwright, browser }, testInfo) => {
    const a = await activePrepose(page, request, playwright, testInfo);
    // M signs up for the Tribunal de proximité de Calais, is activated, and reserves a mesure for A.
    const m = unique(testInfo, "magistrat");
    const signUp = await postForm(request, "/api/inscription/magistrat", [
      ["fonction", "magistrat"], ["tribunal", "Tribunal de proximité de Calais"], ["tribunal_id", await tribunalId(request, "Tribunal de proximité de Calais")],
      ["cabinet", "3"], ["identifiant", m], ["mot_de_passe", GOOD_PASSWORD], ["confirmation", GOOD_PASSWORD],
      ["nom", "Martin"], ["prenom", "Marie"], ["genre", "F"], ["email", `${m}@exemple.fr`],
    ], randomIp());
    expect(signUp.status()).toBe(302);
    const admin = await adminRequest(playwright);
    await setActive(admin, m, true);
    const aId = await userId(admin, a.identifiant);
    await admin.dispose();
    const mContext = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo), extraHTTPHeaders: { "X-Forwarded-For": randomIp() } });
    const mPage = await mContext.newPage();
    await mPage.goto("/connexion");
    await logIn(mPage, m, GOOD_PASSWORD);
    await expect(mPage).toHaveURL(/\/magistrat\/mandataires$/);
    await open(mPage, testInfo, `/magistrat/mandataires/${aId}/reserver`);
    await expect(mPage.getByText("Mandataire : Claire Dupont")).toBeVisible();
    await expect(mPage.getByLabel("Cabinet")).toHaveValue("3");
    await mPage.getByLabel("Type de mesure *").selectOption({ label: "Tutelle" });
    await mPage.getByRole("group", { name: "Genre du majeur *" }).getByLabel("Homme").check();
    await mPage.getByLabel("Année de naissance du majeur *").fill("1948");
    const rg = `26/${Date.now() % 100000}`;
    await mPage.getByLabel("Numéro RG").fill(rg);
    await mPage.getByRole("button", { name: "Valider" }).click();
    await expect(mPage).toHaveURL(/\/magistrat\/mesures$/);
    await expect(notice(mPage)).toHaveText("L'attribution de mesure a bien été envoyée.");
    await expect(mPage.getByRole("row", { name: new RegExp(rg) })).toContainText("En attente");
    // A accepts it.
    await open(page, testInfo, "/mandataire/mesures");
    await expect(tab(page, /^Mesures en attente/)).toContainText("1");
    await tab(page, /^Mesures en attente/).click();
    const row = page.getByRole("row", { name: /Tutelle/ });
    await expect(row).toContainText("Tribunal de proximité de Calais");
    await expect(row).toContainText(rg);
    await row.getByRole("link", { name: /^Accepter la mesure/ }).click();
    await expect(page.getByText("Une nouvelle mesure a été attribuée par « Tribunal de proximité de Calais ». Pour activer cette mesure, veuillez saisir les informations suivantes.")).toBeVisible();
    if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    await checkPage(page, testInfo);
    await page.getByLabel("Date de décision *").fill("05/03/2024");
    await page.getByRole("group", { name: "Lieu de vie du majeur *" }).getByLabel("À domicile").check();
    await page.getByLabel("Code postal *").fill("62100");
    const commune = page.getByRole(jsEnabled(testInfo) ? "combobox" : "textbox", { name: "Commune *", exact: true });
    await commune.fill("Calais");
    if (jsEnabled(testInfo)) await commune.press("Escape");
    await page.getByRole("button", { name: "Accepter la mesure" }).click();
    await expect(notice(page)).toHaveText("La mesure a été acceptée. Elle figure désormais dans vos mesures en cours.");
    await expect(tab(page, /^Mesures en cours/)).toContainText("1 / 30");
    await expect(tab(page, /^Mesures en attente/)).toContainText("0");
    await expect(page.getByRole("row", { name: /Tutelle/ })).toContainText("Tribunal de proximité de Calais");
    await mPage.reload();
    await expect(mPage.getByRole("row", { name: new RegExp(rg) })).toContainText("Acceptée");
    await mContext.close();
  });
});
