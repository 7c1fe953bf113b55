import { expect, test, type APIRequestContext, type Browser, type Page, type TestInfo } from "@playwright/test";
import { checkPage, jsEnabled, open } from "./helpers";
import { adminRequest, emailText, GOOD_PASSWORD, logIn, outboxFor, ownAddress, postForm, randomIp, setActive, tribunalId, unique, userId } from "./accounts";

// SPEC §6 and §18 scenarios 18–20, 22, 23 (magistrat half) and 25 on a magistrat's action. Every mandataire
// here has a name of its own and a large capacity, so that it comes first in the shared test database.

test.beforeEach(async ({ page }) => ownAddress(page));

const baseURL = process.env.EMJPM_BASE_URL ?? "http://127.0.0.1:3000";
const CALAIS = "Tribunal de proximité de Calais";
const BOULOGNE = "Tribunal judiciaire de Boulogne-sur-Mer";
type Playwright = Parameters<typeof adminRequest>[0];

interface Account {
  identifiant: string;
  email: string;
  nom: string;
  id: string;
}

/** Signs a mandataire up through the sign-up form's server function; activates it unless `inactive`. */
async function mandataire(request: APIRequestContext, playwright: Playwright, testInfo: TestInfo, options: { stem: string; type?: string; tribunal?: string; souhaitees?: string; inactive?: boolean }): Promise<Account> {
  const identifiant = unique(testInfo, options.stem);
  const nom = `${options.stem[0].toUpperCase()}${options.stem.slice(1)}-${identifiant.split(".").pop()}`;
  const response = await postForm(request, "/api/inscription", [
    ["tribunaux[]", await tribunalId(request, options.tribunal ?? CALAIS)],
    ["type_mandataire", options.type ?? "prepose"],
    ["identifiant", identifiant], ["mot_de_passe", GOOD_PASSWORD], ["confirmation", GOOD_PASSWORD],
    ["nom", nom], ["prenom", "Claire"], ["genre", "F"], ["adresse", "1 rue Royale"], ["code_postal", "62100"],
    ["commune", "Calais"], ["telephone", "03 21 00 00 00"], ["email", `${identifiant}@exemple.fr`],
    ["mesures_souhaitees", options.souhaitees ?? "999"],
  ], randomIp());
  expect(response.status()).toBe(302);
  const admin = await adminRequest(playwright);
  if (!options.inactive) await setActive(admin, identifiant, true);
  const id = await userId(admin, identifiant);
  await admin.dispose();
  return { identifiant, email: `${identifiant}@exemple.fr`, nom: `Claire ${nom}`, id };
}

/** Signs a magistrat up for `tribunal` and activates him. */
async function magistrat(request: APIRequestContext, playwright: Playwright, testInfo: TestInfo, tribunal = CALAIS): Promise<Account> {
  const identifiant = unique(testInfo, "magistrat");
  const response = await postForm(request, "/api/inscription/magistrat", [
    ["fonction", "magistrat"], ["tribunal", tribunal], ["tribunal_id", await tribunalId(request, tribunal)], ["cabinet", "3"],
    ["identifiant", identifiant], ["mot_de_passe", GOOD_PASSWORD], ["confirmation", GOOD_PASSWORD],
    ["nom", "Martin"], ["prenom", "Marie"], ["genre", "F"], ["email", `${identifiant}@exemple.fr`],
  ], randomIp());
  expect(response.status()).toBe(302);
  const admin = await adminRequest(playwright);
  await setActive(admin, identifiant, true);
  const id = await userId(admin, identifiant);
  await admin.dispose();
  return { identifiant, email: `${identifiant}@exemple.fr`, nom: "Marie Martin", id };
}

/** A logged-in page of its own browser context (JavaScript as the project says). */
async function session(browser: Browser, testInfo: TestInfo, account: Account): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo), extraHTTPHeaders: { "X-Forwarded-For": randomIp() } });
  const page = await context.newPage();
  await page.goto("/connexion");
  await logIn(page, account.identifiant, GOOD_PASSWORD);
  await expect(page).not.toHaveURL(/\/connexion/);
  return page;
}

/** Posts a server function from a logged-in page, as its form does. */
async function call(page: Page, path: string, fields: Record<string, string>) {
  const response = await page.request.post(path, {
    headers: { Origin: new URL(baseURL).origin, "Content-Type": "application/x-www-form-urlencoded" },
    data: new URLSearchParams(fields).toString(),
  });
  return response.text();
}

/** Reserves a mesure for `mandataire` through the reservation's server function. */
async function reserveFor(m: Page, mandataireId: string, rg: string) {
  expect(await call(m, "/api/magistrat/reserver", {
    mandataire: mandataireId, reservation: "", nature: "tutelle", champ: "", genre: "H", annee_naissance: "1948", numero_rg: rg, cabinet: "",
  })).toBe('"Done"');
}

function notice(page: Page) {
  return page.locator('.notice[role="status"]');
}

function tab(page: Page, name: RegExp) {
  return page.getByRole("navigation", { name: "Espace magistrat" }).getByRole("link", { name });
}

function row(page: Page, text: string) {
  return page.getByRole("row").filter({ hasText: text });
}

function uniqueRg(): string {
  return `26/${Date.now() % 10000000}${Math.floor(Math.random() * 10)}`;
}

test.describe("magistrat workspace (SPEC §6)", () => {
  test("scenario 18: only the tribunal's active mandataires are listed, filtered, with the fiche", async ({ page, request, playwright }, testInfo) => {
    const a = await mandataire(request, playwright, testInfo, { stem: "aubert" });
    const c = await mandataire(request, playwright, testInfo, { stem: "cordier", inactive: true });
    const b = await mandataire(request, playwright, testInfo, { stem: "bernard", type: "individuel", tribunal: BOULOGNE });
    const m = await magistrat(request, playwright, testInfo);
    await open(page, testInfo, "/connexion");
    await logIn(page, m.identifiant, GOOD_PASSWORD);
    await expect(page).toHaveURL(/\/magistrat\/mandataires$/);
    if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    await checkPage(page, testInfo);
    await expect(page.getByText(`Marie Martin – ${CALAIS}`)).toBeVisible();
    await expect(tab(page, /^Mandataires/)).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("heading", { level: 2, name: /professionnels?$/ })).toBeVisible();
    // A, never updated: its figures and the staleness warning; C (inactive) and B (Boulogne) are absent.
    const rowA = row(page, a.nom);
    await expect(rowA).toHaveCount(1);
    await expect(rowA).toContainText("Préposé");
    await expect(rowA).toContainText("999");
    await expect(rowA).toContainText("0 / 999");
    await expect(rowA).toContainText("jamais");
    await expect(rowA).toContainText("Dernière mise à jour des données datant de plus de 30 jours.");
    await expect(rowA.getByRole("link", { name: `Réserver une mesure pour ${a.nom}` })).toBeVisible();
    await expect(row(page, c.nom)).toHaveCount(0);
    await expect(row(page, b.nom)).toHaveCount(0);
    // "Préposés" and "62100" › "Rechercher" keep A; "Individuels" does not.
    await page.getByLabel("Type").selectOption({ label: "Préposés" });
    const lieu = page.getByRole(jsEnabled(testInfo) ? "combobox" : "textbox", { name: "Code postal ou commune" });
    await lieu.fill("62100");
    if (jsEnabled(testInfo)) await lieu.press("Escape");
    await page.getByRole("button", { name: "Rechercher" }).click();
    await expect(page).toHaveURL(/type_mandataire=prepose/);
    await expect(row(page, a.nom)).toHaveCount(1);
    await expect(page.getByLabel("Type")).toHaveValue("prepose");
    await checkPage(page, testInfo);
    await page.getByLabel("Type").selectOption({ label: "Individuels" });
    await page.getByRole("button", { name: "Rechercher" }).click();
    await expect(page).toHaveURL(/type_mandataire=individuel/);
    await expect(row(page, a.nom)).toHaveCount(0);
    // A bad code postal: the message at the field, what was typed kept.
    await page.getByLabel("Type").selectOption({ label: "Tous" });
    await lieu.fill("6210");
    if (jsEnabled(testInfo)) await lieu.press("Escape");
    await page.getByRole("button", { name: "Rechercher" }).click();
    await expect(page.getByText("Code postal non valide")).toBeVisible();
    await expect(page.getByRole(jsEnabled(testInfo) ? "combobox" : "textbox", { name: "Code postal ou commune" })).toHaveValue("6210");
    await expect(page.getByText("Aucun mandataire dans cette zone")).toBeVisible();
    // A declares a secretariat (and a new capacity, which is an update); its fiche shows it, without the warning.
    const aPage = await session(page.context().browser()!, testInfo, a);
    expect(await call(aPage, "/api/mandataire/profil/enregistrer", {
      nom: a.nom.replace("Claire ", ""), prenom: "Claire", genre: "F", adresse: "1 rue Royale", code_postal: "62100", commune: "Calais",
      commune_id: "", commune_choix: "", telephone: "0321000000", telephone_portable: "", email: a.email, mot_de_passe_actuel: "",
      mesures_souhaitees: "998", secretariat: "oui", secretariat_etp: "0,8", informations: "Permanence le mardi.",
    })).toBe('"Done"');
    await aPage.context().close();
    await open(page, testInfo, "/magistrat/mandataires");
    await row(page, a.nom).getByRole("link", { name: a.nom, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(a.nom);
    await checkPage(page, testInfo);
    await expect(page.getByText("Secrétariat : Oui (0,8 ETP)")).toBeVisible();
    await expect(page.getByText("Permanence le mardi.")).toBeVisible();
    await expect(page.getByRole("link", { name: a.email })).toHaveAttribute("href", `mailto:${a.email}`);
    await expect(page.getByRole("listitem").filter({ hasText: CALAIS })).toHaveCount(1);
    await expect(page.getByText("Dernière mise à jour des données datant de plus de 30 jours.")).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Réserver une mesure" })).toHaveAttribute("href", `/magistrat/mandataires/${a.id}/reserver`);
  });

  test("scenarios 19 and 20: a reservation is sent, e-mailed and counted; bad values are refused and kept", async ({ page, request, playwright, browser }, testInfo) => {
    const a = await mandataire(request, playwright, testInfo, { stem: "aubert" });
    const full = await mandataire(request, playwright, testInfo, { stem: "fabre", souhaitees: "0" });
    const m = await magistrat(request, playwright, testInfo);
    await open(page, testInfo, "/connexion");
    await logIn(page, m.identifiant, GOOD_PASSWORD);
    await expect(page).toHaveURL(/\/magistrat\/mandataires$/);
    await open(page, testInfo, `/magistrat/mandataires/${a.id}`);
    await page.getByRole("link", { name: "Réserver une mesure" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Réserver une mesure");
    if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    await checkPage(page, testInfo);
    await expect(page.getByText("Le mandataire recevra une alerte par email. Une fois la notification officielle reçue, le mandataire mettra à jour ses mesures en cours.")).toBeVisible();
    await expect(page.getByText("Attention : ce mandataire a atteint le nombre de mesures qu'il souhaite.", { exact: false })).toHaveCount(0);
    await expect(page.getByLabel("Cabinet")).toHaveValue("3");
    const rg = uniqueRg();
    await page.getByLabel("Type de mesure *").selectOption({ label: "Tutelle" });
    await page.getByRole("group", { name: "Genre du majeur *" }).getByLabel("Homme").check();
    await page.getByLabel("Année de naissance du majeur *").fill("1948");
    await page.getByLabel("Numéro RG").fill(rg);
    await page.getByRole("button", { name: "Valider" }).click();
    await expect(page).toHaveURL(/\/magistrat\/mesures$/);
    await expect(notice(page)).toHaveText("L'attribution de mesure a bien été envoyée.");
    await expect(row(page, rg)).toContainText("En attente");
    await expect(row(page, rg)).toContainText(a.nom);
    await checkPage(page, testInfo);
    // A's "Mesures en attente" badge is 1, and A's e-mail is queued with the facts.
    const aPage = await session(browser, testInfo, a);
    await aPage.goto("/mandataire/mesures");
    await expect(aPage.getByRole("navigation", { name: "Espace mandataire" }).getByRole("link", { name: /^Mesures en attente/ })).toContainText("1");
    await aPage.context().close();
    const admin = await adminRequest(playwright);
    const mails = await outboxFor(admin, a.email);
    const reservation = mails.find((mail) => mail.subject === "e-MJPM : une nouvelle mesure vous a été attribuée");
    expect(reservation).toBeTruthy();
    const text = await emailText(admin, reservation!.id);
    expect(text).toContain(CALAIS);
    expect(text).toContain(rg);
    expect(text).toContain("Tutelle");
    await admin.dispose();

    // Scenario 20: "19X8" and the RG A already has here: both messages, the entries kept, nothing created.
    await open(page, testInfo, `/magistrat/mandataires/${a.id}/reserver`);
    await page.getByLabel("Type de mesure *").selectOption({ label: "Curatelle simple" });
    await page.getByRole("group", { name: "Genre du majeur *" }).getByLabel("Femme").check();
    await page.getByLabel("Année de naissance du majeur *").fill("19X8");
    await page.getByLabel("Numéro RG").fill(rg);
    await page.getByRole("button", { name: "Valider" }).click();
    const summary = page.locator(".error-summary");
    await expect(summary).toContainText("Le formulaire contient 2 erreurs :");
    await expect(summary).toContainText("Ce numéro RG existe déjà pour une mesure de ce mandataire dans votre tribunal.");
    await expect(summary).toBeFocused();
    await expect(page.getByLabel("Année de naissance du majeur *")).toHaveValue("19X8");
    await expect(page.getByLabel("Année de naissance du majeur *")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Numéro RG")).toHaveValue(rg);
    await expect(page.getByLabel("Type de mesure *")).toHaveValue("curatelle_simple");
    await expect(page.getByRole("group", { name: "Genre du majeur *" }).getByLabel("Femme")).toBeChecked();
    await checkPage(page, testInfo);
    await open(page, testInfo, "/magistrat/mesures");
    await expect(row(page, rg)).toHaveCount(1);

    // At disponibilité 0 the warning shows, and reserving still works.
    await open(page, testInfo, `/magistrat/mandataires/${full.id}/reserver`);
    await expect(page.getByText("Attention : ce mandataire a atteint le nombre de mesures qu'il souhaite. Vous pouvez tout de même lui réserver cette mesure.")).toBeVisible();
    await page.getByLabel("Type de mesure *").selectOption({ label: "Tutelle" });
    await page.getByRole("group", { name: "Genre du majeur *" }).getByLabel("Homme").check();
    await page.getByLabel("Année de naissance du majeur *").fill("1950");
    await page.getByRole("button", { name: "Valider" }).click();
    await expect(notice(page)).toHaveText("L'attribution de mesure a bien été envoyée.");
    await expect(row(page, full.nom)).toContainText("En attente");
  });

  test("scenario 22: a reservation is modified, then cancelled for both; an accepted one cannot be", async ({ page, request, playwright, browser }, testInfo) => {
    const a = await mandataire(request, playwright, testInfo, { stem: "aubert" });
    const m = await magistrat(request, playwright, testInfo);
    await open(page, testInfo, "/connexion");
    await logIn(page, m.identifiant, GOOD_PASSWORD);
    await expect(page).toHaveURL(/\/magistrat\/mandataires$/);
    const rg = uniqueRg();
    await reserveFor(page, a.id, rg);
    await open(page, testInfo, "/magistrat/mesures");
    await expect(tab(page, /^Mesures réservées/)).toHaveAttribute("aria-current", "page");
    // "Modifier": the same fields, filled; a new année is saved.
    await row(page, rg).getByRole("link", { name: /^Modifier/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Modifier la réservation");
    if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    await checkPage(page, testInfo);
    await expect(page.getByLabel("Numéro RG")).toHaveValue(rg);
    await expect(page.getByLabel("Année de naissance du majeur *")).toHaveValue("1948");
    await page.getByLabel("Année de naissance du majeur *").fill("1949");
    await page.getByRole("button", { name: "Valider" }).click();
    await expect(notice(page)).toHaveText("La réservation a été modifiée.");
    await expect(row(page, rg)).toContainText("1949");
    // "Annuler la réservation": the confirmation page, then the row is gone for both.
    await row(page, rg).getByRole("link", { name: /^Annuler la réservation/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Annuler la réservation");
    await checkPage(page, testInfo);
    await expect(page.getByText("Une fois cette opération effectuée, la mesure sera définitivement supprimée de votre liste ainsi que de celle du mandataire.")).toBeVisible();
    await expect(page.getByRole("link", { name: "Retour" })).toHaveAttribute("href", "/magistrat/mesures");
    await page.getByRole("button", { name: "Annuler la réservation" }).click();
    await expect(page).toHaveURL(/\/magistrat\/mesures$/);
    await expect(notice(page)).toHaveText("La réservation a été annulée.");
    await expect(row(page, rg)).toHaveCount(0);
    const aPage = await session(browser, testInfo, a);
    await aPage.goto("/mandataire/mesures/en-attente");
    await expect(aPage.getByRole("navigation", { name: "Espace mandataire" }).getByRole("link", { name: /^Mesures en attente/ })).toContainText("0");
    await expect(aPage.getByRole("row").filter({ hasText: rg })).toHaveCount(0);
    const admin = await adminRequest(playwright);
    expect((await outboxFor(admin, a.email)).map((mail) => mail.subject)).toContain("e-MJPM : Annulation d'une réservation de mesure");
    await admin.dispose();
    // An accepted reservation: no "Modifier" nor "Annuler" any more, and the pages refuse.
    const accepted = uniqueRg();
    await reserveFor(page, a.id, accepted);
    await open(page, testInfo, "/magistrat/mesures");
    const href = await row(page, accepted).getByRole("link", { name: /^Annuler la réservation/ }).getAttribute("href");
    const id = href!.match(/\/magistrat\/mesures\/(\d+)\/annuler/)![1];
    expect(await call(aPage, "/api/mandataire/mesure/accepter", {
      id, date_decision: "05/03/2024", lieu_de_vie: "domicile", code_postal: "62100", commune: "Calais", numero_dossier: "",
    })).toBe('"Done"');
    await aPage.context().close();
    await page.reload();
    await expect(row(page, accepted)).toContainText("Acceptée");
    await expect(row(page, accepted).getByRole("link")).toHaveCount(0);
    for (const path of [`/magistrat/mesures/${id}/annuler`, `/magistrat/mesures/${id}/modifier`]) {
      await open(page, testInfo, path);
      await expect(page.getByRole("alert")).toHaveText("Cette mesure a déjà été acceptée par le mandataire : elle ne peut plus être modifiée ni annulée.");
      await expect(page.getByRole("button", { name: /Annuler la réservation|Valider/ })).toHaveCount(0);
    }
    const forged = await postForm(page.request, "/api/magistrat/annuler", [["id", id]]);
    expect(forged.status()).toBe(302);
    await open(page, testInfo, "/magistrat/mesures");
    await expect(row(page, accepted)).toContainText("Acceptée");
  });

  test("scenario 23 (magistrat half) and 25: another tribunal's mandataire or reservation answers « Page introuvable »", async ({ page, request, playwright, browser }, testInfo) => {
    const b = await mandataire(request, playwright, testInfo, { stem: "bernard", type: "individuel", tribunal: BOULOGNE });
    const c = await mandataire(request, playwright, testInfo, { stem: "cordier", inactive: true });
    const m = await magistrat(request, playwright, testInfo);
    const m2 = await magistrat(request, playwright, testInfo, BOULOGNE);
    const m2Page = await session(browser, testInfo, m2);
    const rg = uniqueRg();
    await reserveFor(m2Page, b.id, rg);
    await m2Page.goto("/magistrat/mesures");
    const href = await row(m2Page, rg).getByRole("link", { name: /^Annuler la réservation/ }).getAttribute("href");
    const r2 = href!.match(/\/magistrat\/mesures\/(\d+)\/annuler/)![1];
    await open(page, testInfo, "/connexion");
    await logIn(page, m.identifiant, GOOD_PASSWORD);
    await expect(page).toHaveURL(/\/magistrat\/mandataires$/);
    for (const path of [`/magistrat/mandataires/${b.id}`, `/magistrat/mandataires/${b.id}/reserver`, `/magistrat/mandataires/${c.id}`, `/magistrat/mesures/${r2}/modifier`, `/magistrat/mesures/${r2}/annuler`]) {
      const response = await page.goto(path);
      expect(response!.status(), path).toBe(404);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page introuvable");
    }
    await checkPage(page, testInfo);
    // Forged plain posts: a reservation for B, the cancellation of M2's reservation.
    const forgedReservation = await postForm(page.request, "/api/magistrat/reserver", [
      ["mandataire", b.id], ["reservation", ""], ["nature", "tutelle"], ["champ", ""], ["genre", "H"], ["annee_naissance", "1948"], ["numero_rg", ""], ["cabinet", ""],
    ]);
    expect(forgedReservation.status()).toBe(404);
    const forgedCancel = await postForm(page.request, "/api/magistrat/annuler", [["id", r2]]);
    expect(forgedCancel.status()).toBe(404);
    expect(await forgedCancel.text()).toContain("Page introuvable");
    // Scenario 25 on a magistrat's action: a cross-site or foreign-origin cancellation is refused.
    const crossSite = await m2Page.request.post("/api/magistrat/annuler", {
      headers: { Origin: "https://exemple.invalid", "Content-Type": "application/x-www-form-urlencoded" },
      data: `id=${r2}`,
    });
    expect(crossSite.status()).toBe(403);
    expect(await crossSite.text()).toContain("Requête refusée");
    // Nothing changed: M2 still sees the reservation, B still has it en attente.
    await m2Page.reload();
    await expect(row(m2Page, rg)).toContainText("En attente");
    await m2Page.goto("/magistrat/mandataires");
    await expect(row(m2Page, b.nom)).toContainText("0 / 999");
    await expect(row(m2Page, b.nom).getByRole("cell").nth(4)).toHaveText("1");
    await m2Page.context().close();
  });

  test("« Vue carte »: the mandataires layer and the mesures layer, with their tables", async ({ page, request, playwright, browser }, testInfo) => {
    const a = await mandataire(request, playwright, testInfo, { stem: "aubert" });
    const aPage = await session(browser, testInfo, a);
    for (const commune of ["Calais", "Calais"]) {
      expect(await call(aPage, "/api/mandataire/mesure/enregistrer", {
        id: "", date_decision: "05/03/2024", nature: "tutelle", champ: "", code_postal: "62100", commune, genre: "F",
        annee_naissance: "1950", lieu_de_vie: "domicile", numero_dossier: "", numero_rg: "", tribunal: "",
      })).toBe('"Done"');
    }
    await aPage.context().close();
    const m = await magistrat(request, playwright, testInfo);
    await open(page, testInfo, "/connexion");
    await logIn(page, m.identifiant, GOOD_PASSWORD);
    await expect(page).toHaveURL(/\/magistrat\/mandataires$/);
    await tab(page, /^Vue carte/).click();
    await expect(page).toHaveURL(/\/magistrat\/carte$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vue carte");
    await checkPage(page, testInfo);
    const mandataires = page.getByRole("table", { name: /^Mandataires de la carte/ });
    await expect(mandataires.getByRole("row").filter({ hasText: a.nom })).toContainText("997");
    await expect(mandataires.getByRole("link", { name: a.nom })).toHaveAttribute("href", `/magistrat/mandataires/${a.id}`);
    const communes = page.getByRole("table", { name: /^Mesures en cours des mandataires de la carte/ });
    await expect(communes.getByRole("row").filter({ hasText: "Calais" })).toHaveCount(1);
    if (jsEnabled(testInfo)) {
      await expect(page.getByText("La carte nécessite JavaScript.", { exact: false })).toBeHidden();
      const marker = page.getByRole("button", { name: `${a.nom} : disponibilité 997` });
      await expect(marker).toBeVisible();
      await expect(page.getByRole("button", { name: /^Calais : \d+ mesures? en cours$/ })).toBeVisible();
      await expect(page.getByText("Le fond de carte n'a pas pu être chargé.")).toBeVisible();
      await marker.focus();
      await page.keyboard.press("Enter");
      const popup = page.locator(".leaflet-popup");
      await expect(popup).toContainText("Disponibilité : 997");
      await expect(popup.getByRole("link", { name: "Voir la fiche" })).toHaveAttribute("href", `/magistrat/mandataires/${a.id}`);
      await expect(page.getByRole("checkbox", { name: "Mandataires" })).toBeChecked();
      await expect(page.getByRole("checkbox", { name: "Mesures en cours" })).toBeChecked();
    } else {
      await expect(page.getByText("La carte nécessite JavaScript. Les mêmes informations figurent dans les tableaux ci-dessous.")).toBeVisible();
    }
    // The §6.2 controls apply: "Individuels" leaves A (a préposé) out of both tables.
    await page.getByLabel("Type").selectOption({ label: "Individuels" });
    await page.getByRole("button", { name: "Rechercher" }).click();
    await expect(page).toHaveURL(/\/magistrat\/carte\?type_mandataire=individuel/);
    await expect(page.getByRole("link", { name: a.nom })).toHaveCount(0);
  });

  test("« Mes informations »: the profile, its edit with the e-mail rule, the tribunal read-only", async ({ page, request, playwright }, testInfo) => {
    const m = await magistrat(request, playwright, testInfo);
    await open(page, testInfo, "/connexion");
    await logIn(page, m.identifiant, GOOD_PASSWORD);
    await expect(page).toHaveURL(/\/magistrat\/mandataires$/);
    await tab(page, /^Mes informations/).click();
    await expect(page).toHaveURL(/\/magistrat\/informations$/);
    await checkPage(page, testInfo);
    for (const text of ["Marie", "Martin", "Femme", m.email, CALAIS, "3"]) {
      await expect(page.locator(".facts")).toContainText(text);
    }
    await expect(page.getByRole("link", { name: "Modifier mon mot de passe" })).toHaveAttribute("href", "/compte/mot-de-passe");
    await page.getByRole("link", { name: "Modifier mon profil" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Modifier mon profil");
    if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    await checkPage(page, testInfo);
    await expect(page.getByText(`Tribunal : ${CALAIS}`)).toBeVisible();
    await page.getByLabel("Adresse email *").fill(`nouveau.${m.email}`);
    await page.getByLabel("Cabinet (optionnel)").fill("Cabinet beaucoup trop long pour la règle");
    await page.getByRole("button", { name: "Valider" }).click();
    const summary = page.locator(".error-summary");
    await expect(summary).toContainText("Le formulaire contient 2 erreurs :");
    await expect(summary).toContainText("Saisissez votre mot de passe actuel pour changer d'adresse email.");
    await expect(summary).toContainText("Le cabinet ne doit pas dépasser 20 caractères.");
    await expect(summary).toBeFocused();
    await expect(page.getByLabel("Adresse email *")).toHaveValue(`nouveau.${m.email}`);
    await checkPage(page, testInfo);
    await page.getByLabel("Cabinet (optionnel)").fill("5A");
    await page.getByLabel("Mot de passe actuel").fill(GOOD_PASSWORD);
    await page.getByRole("button", { name: "Valider" }).click();
    await expect(page).toHaveURL(/\/magistrat\/informations$/);
    await expect(notice(page)).toHaveText("Vos informations ont bien été modifiées.");
    await expect(page.locator(".facts")).toContainText(`nouveau.${m.email}`);
    await expect(page.locator(".facts")).toContainText("5A");
    await expect(page.locator(".facts")).toContainText(CALAIS);
  });
});
