import { expect, test, type Browser, type Page, type TestInfo } from "@playwright/test";
import { checkPage, jsEnabled, open } from "./helpers";
import { adminRequest, emailText, GOOD_PASSWORD, logIn, outboxFor, ownAddress, postForm, randomIp, setActive, tribunalId, unique, userId } from "./accounts";

// Issue 16, "Done when": a service signs up, is validated, invites a member who joins, creates two antennes,
// records mesures on each; a magistrat filters "Services", opens the fiche, reserves on an antenne; a member
// accepts it; the counters of the antennes and of the service are right throughout. Each form's refusals
// too: the message at the field and in the focused summary, what was typed kept.

test.beforeEach(async ({ page }) => ownAddress(page));

const CALAIS = "Tribunal de proximité de Calais";

/** A page of its own browser context (JavaScript as the project says), logged in as `identifiant`. */
async function session(browser: Browser, testInfo: TestInfo, identifiant: string): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo), extraHTTPHeaders: { "X-Forwarded-For": randomIp() } });
  const page = await context.newPage();
  await open(page, testInfo, "/connexion");
  await logIn(page, identifiant, GOOD_PASSWORD);
  await expect(page).not.toHaveURL(/\/connexion/);
  if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  return page;
}

function notice(page: Page) {
  return page.locator('.notice[role="status"]');
}

function tab(page: Page, name: RegExp) {
  return page.getByRole("navigation", { name: "Espace mandataire" }).getByRole("link", { name });
}

/** The summary of a refused form: focused, with one link per message. */
async function expectSummary(page: Page, messages: [string, string][]) {
  const summary = page.locator(".error-summary");
  await expect(summary).toBeFocused();
  await expect(summary.getByRole("heading")).toHaveText(messages.length === 1 ? "Le formulaire contient 1 erreur :" : `Le formulaire contient ${messages.length} erreurs :`);
  for (const [field, message] of messages) {
    await expect(summary.getByRole("link", { name: new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`) })).toHaveAttribute("href", `#${field}`);
    await expect(page.locator(`#${field}`)).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator(`#${field}-erreur`)).toContainText(message);
  }
}

/** Fills a commune field: typed, and the suggestions closed as a keyboard user would. */
async function commune(page: Page, testInfo: TestInfo, name: string) {
  const field = page.getByRole(jsEnabled(testInfo) ? "combobox" : "textbox", { name: "Commune *", exact: true });
  await field.fill(name);
  if (jsEnabled(testInfo)) {
    // Wait for the suggestions before closing them: arriving after the Escape, they would cover the form.
    const suggestions = page.locator("li.combobox-option:visible");
    await expect(suggestions.first()).toBeVisible();
    await field.press("Escape");
    await expect(suggestions).toHaveCount(0);
  }
}

async function addAntenne(page: Page, testInfo: TestInfo, nom: string, codePostal: string, ville: string, souhaitees: string) {
  await page.getByRole("link", { name: "Ajouter une antenne" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ajouter une antenne");
  if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByLabel("Nom de l'antenne *", { exact: true }).fill(nom);
  await page.getByLabel("Adresse *", { exact: true }).fill("3 place d'Armes");
  await page.getByLabel("Code postal *", { exact: true }).fill(codePostal);
  await commune(page, testInfo, ville);
  await page.getByLabel("Contact", { exact: true }).fill("Accueil");
  await page.getByLabel("Téléphone *", { exact: true }).fill("03 21 00 00 10");
  await page.getByLabel("Nombre de mesures souhaitées *", { exact: true }).fill(souhaitees);
  await page.getByRole("button", { name: "Valider" }).click();
  await expect(page).toHaveURL(/\/mandataire\/antennes$/);
  await expect(notice(page)).toHaveText("L'antenne a bien été enregistrée.");
}

/** "Enregistrer une nouvelle mesure" on `antenne`. */
async function newMesure(page: Page, testInfo: TestInfo, antenne: string, annee: string) {
  await open(page, testInfo, "/mandataire/mesures/nouvelle");
  await page.getByLabel("Date de décision *").fill("05/03/2024");
  await page.getByLabel("Type de mesure *").selectOption({ label: "Curatelle renforcée" });
  await page.getByLabel("Code postal *").fill("62100");
  await commune(page, testInfo, "Calais");
  await page.getByRole("group", { name: "Genre du majeur *" }).getByLabel("Femme").check();
  await page.getByLabel("Année de naissance du majeur *").fill(annee);
  await page.getByRole("group", { name: "Lieu de vie du majeur *" }).getByLabel("À domicile", { exact: true }).check();
  await page.getByLabel("Antenne", { exact: true }).selectOption({ label: antenne });
  await page.getByRole("button", { name: "Valider" }).click();
  await expect(page).toHaveURL(/\/mandataire\/mesures$/);
  await expect(notice(page)).toBeVisible();
}

/** The antennes' figures as the "Antennes" tab shows them: "en cours / souhaitées", en attente, disponibilité. */
async function expectAntenne(page: Page, testInfo: TestInfo, nom: string, figures: string, attente: string, dispo: string) {
  await open(page, testInfo, "/mandataire/antennes");
  const row = page.getByRole("table", { name: "Antennes du service" }).getByRole("row").filter({ hasText: nom });
  await expect(row.locator("td").nth(2)).toHaveText(figures);
  await expect(row.locator("td").nth(3)).toHaveText(attente);
  await expect(row.locator("td").nth(4)).toHaveText(dispo);
}

test.describe("services mandataires (issue 16)", () => {
  test("sign-up, validation, a member invited who joins, two antennes, a reservation on one accepted by the member", async ({ page, request, playwright, browser }, testInfo) => {
    test.setTimeout(240_000);
    const js = jsEnabled(testInfo);
    const identifiant = unique(testInfo, "service");
    const suffix = identifiant.split(".").pop()!;
    const nomService = `Association tutélaire ${suffix}`;

    // 1. Sign-up as a service: a bad SIRET is refused at its field, everything else kept.
    await open(page, testInfo, "/inscription");
    await page.getByText("Hauts-de-France", { exact: true }).click();
    await page.getByRole("checkbox", { name: CALAIS }).check();
    await page.getByRole("radio", { name: "Service mandataire" }).check();
    await page.getByLabel("Nom du service", { exact: true }).fill(nomService);
    await page.getByLabel("SIRET", { exact: true }).fill("732 829 320 00075");
    await page.getByLabel("Identifiant désiré").fill(identifiant);
    await page.getByLabel("Mot de passe désiré").fill(GOOD_PASSWORD);
    await page.getByLabel("Confirmation du mot de passe").fill(GOOD_PASSWORD);
    await page.getByLabel("Nom *", { exact: true }).fill("Benali");
    await page.getByLabel("Prénom *", { exact: true }).fill("Nadia");
    await page.getByRole("radio", { name: "Femme" }).check();
    await page.getByLabel("Adresse *", { exact: true }).fill("12 boulevard Jacquard");
    await page.getByLabel("Code postal *", { exact: true }).fill("62100");
    await commune(page, testInfo, "Calais");
    await page.getByLabel("Téléphone *", { exact: true }).fill("03 21 00 00 00");
    await page.getByLabel("Adresse email *", { exact: true }).fill(`${identifiant}@exemple.fr`);
    await page.getByLabel("Nombre de mesures souhaitées *", { exact: true }).fill("40");
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    await expectSummary(page, [["siret", "Le numéro SIRET doit comporter 14 chiffres et être valide (clé de contrôle)."]]);
    await expect(page.getByLabel("SIRET", { exact: true })).toHaveValue("732 829 320 00075");
    await expect(page.getByLabel("Nom du service", { exact: true })).toHaveValue(nomService);
    await expect(page.getByRole("radio", { name: "Service mandataire" })).toBeChecked();
    await expect(page.getByRole("checkbox", { name: CALAIS })).toBeChecked();
    await expect(page.getByLabel("Identifiant désiré")).toHaveValue(identifiant);
    await checkPage(page, testInfo);
    await page.getByLabel("SIRET", { exact: true }).fill("732 829 320 00074");
    // Without JavaScript the passwords are never sent back: typed again.
    await page.getByLabel("Mot de passe désiré").fill(GOOD_PASSWORD);
    await page.getByLabel("Confirmation du mot de passe").fill(GOOD_PASSWORD);
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    await expect(page).toHaveURL(/\/inscription\/confirmation$/);

    // 2. The admin finds it under "Services" and validates it.
    const admin = await adminRequest(playwright);
    const waiting = (await (await admin.get(`/admin/utilisateurs?onglet=en-attente&type=service&q=${identifiant}`)).text()).replace(/<!>/g, "");
    expect(waiting).toContain(identifiant);
    const detail = (await (await admin.get(`/admin/utilisateurs/${await userId(admin, identifiant)}`)).text()).replace(/<!>/g, "");
    expect(detail).toContain(nomService);
    expect(detail).toContain("732 829 320 00074");
    expect((await (await admin.get(`/admin/utilisateurs?onglet=en-attente&type=prepose&q=${identifiant}`)).text())).not.toContain(`${identifiant}@`);
    await setActive(admin, identifiant, true);

    // 3. The administrateur de service logs in and sees the tabs "Antennes" and "Membres".
    const s = await session(browser, testInfo, identifiant);
    await expect(s).toHaveURL(/\/mandataire\/mesures$/);
    await expect(tab(s, /^Antennes/)).toBeVisible();
    await tab(s, /^Antennes/).click();
    await expect(s.getByText("Votre service n'a encore déclaré aucune antenne.")).toBeVisible();
    await checkPage(s, testInfo);
    // A refused antenne: its messages, everything typed kept, nothing saved.
    await s.getByRole("link", { name: "Ajouter une antenne" }).click();
    await expect(s.getByRole("heading", { level: 1 })).toHaveText("Ajouter une antenne");
    if (js) await expect(s.locator("body")).toHaveAttribute("data-hydrated", "true");
    await s.getByLabel("Adresse *", { exact: true }).fill("3 place d'Armes");
    await s.getByLabel("Code postal *", { exact: true }).fill("62100");
    await commune(s, testInfo, "Calais");
    await s.getByLabel("Téléphone *", { exact: true }).fill("03 21 00 00 10");
    await s.getByLabel("Nombre de mesures souhaitées *", { exact: true }).fill("mille");
    await s.getByLabel("Adresse email", { exact: true }).fill("nord@");
    await s.getByRole("button", { name: "Valider" }).click();
    await expectSummary(s, [
      ["nom", "Le champ « Nom de l'antenne » est obligatoire."],
      ["email", "Saisissez une adresse email valide."],
      ["mesures_souhaitees", "Saisissez un nombre entier entre 0 et 999."],
    ]);
    await expect(s.getByLabel("Adresse *", { exact: true })).toHaveValue("3 place d'Armes");
    await expect(s.getByLabel("Code postal *", { exact: true })).toHaveValue("62100");
    await expect(s.getByLabel("Téléphone *", { exact: true })).toHaveValue("03 21 00 00 10");
    await expect(s.getByLabel("Nombre de mesures souhaitées *", { exact: true })).toHaveValue("mille");
    await expect(s.getByLabel("Adresse email", { exact: true })).toHaveValue("nord@");
    await checkPage(s, testInfo);
    await open(s, testInfo, "/mandataire/antennes");
    await expect(s.getByText("Votre service n'a encore déclaré aucune antenne.")).toBeVisible();
    await addAntenne(s, testInfo, "Antenne Nord", "62100", "Calais", "10");
    await addAntenne(s, testInfo, "Antenne Sud", "62200", "Boulogne-sur-Mer", "5");
    await expectAntenne(s, testInfo, "Antenne Nord", "0 / 10", "0", "10");
    await expectAntenne(s, testInfo, "Antenne Sud", "0 / 5", "0", "5");
    // The service's capacity is the sum of its antennes'.
    await expect(tab(s, /^Mesures en cours/)).toContainText("0 / 15");

    // 4. "Inviter un membre": a bad address refused, then the invitation; the member joins by its link.
    await tab(s, /^Membres/).click();
    await expect(s.getByRole("heading", { level: 1 })).toHaveText("Membres");
    if (js) await expect(s.locator("body")).toHaveAttribute("data-hydrated", "true");
    await checkPage(s, testInfo);
    const invite = s.getByRole("textbox", { name: "Adresse email *", exact: true });
    await invite.fill("collegue-arobase-exemple.fr");
    await s.getByRole("button", { name: "Inviter un membre" }).click();
    await expectSummary(s, [["email", "Saisissez une adresse email valide."]]);
    await expect(invite).toHaveValue("collegue-arobase-exemple.fr");
    const colleague = `${identifiant}-collegue@exemple.fr`;
    await invite.fill(colleague);
    await s.getByRole("button", { name: "Inviter un membre" }).click();
    await expect(notice(s)).toHaveText(`L'invitation a été envoyée à ${colleague}. Le lien est valable 7 jours.`);
    await expect(s.getByText(`${colleague} (lien valable jusqu'au`)).toBeVisible();
    // The same address again: refused.
    await invite.fill(colleague.toUpperCase());
    await s.getByRole("button", { name: "Inviter un membre" }).click();
    await expectSummary(s, [["email", "Une invitation est déjà en attente pour cette adresse email."]]);
    // A second invitation, withdrawn: its link is dead at once.
    const withdrawn = `${identifiant}-parti@exemple.fr`;
    await s.getByRole("textbox", { name: "Adresse email *", exact: true }).fill(withdrawn);
    await s.getByRole("button", { name: "Inviter un membre" }).click();
    await expect(notice(s)).toBeVisible();
    await s.getByRole("button", { name: `Annuler l'invitation de ${withdrawn}` }).click();
    await expect(notice(s)).toHaveText("L'invitation a été annulée : son lien ne sert plus.");
    await expect(s.getByText(`${withdrawn} (lien valable`)).toHaveCount(0);

    const linkOf = async (to: string) => {
      const mails = (await outboxFor(admin, to)).filter((m) => m.subject === "Invitation à rejoindre un service sur e-MJPM");
      expect(mails).toHaveLength(1);
      const text = await emailText(admin, mails[0].id);
      expect(text).toContain(`vous invite à rejoindre le service mandataire « ${nomService} »`);
      const link = new URL(text.match(/https?:\/\/\S+\/invitation\?jeton=[A-Za-z0-9_-]+/)![0]);
      return link.pathname + link.search;
    };
    await open(page, testInfo, await linkOf(withdrawn));
    await expect(page.getByRole("alert")).toHaveText("Ce lien d'invitation n'est pas valable ou a déjà servi. Demandez à l'administrateur de votre service de vous inviter à nouveau.");
    const joinPath = await linkOf(colleague);
    await open(page, testInfo, joinPath);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Rejoindre un service mandataire");
    await expect(page.getByText(`Vous êtes invité à rejoindre le service « ${nomService} » sur e-MJPM. Votre adresse email sera ${colleague}.`)).toBeVisible();
    const member = `${identifiant}-m`;
    await page.getByLabel("Identifiant désiré").fill(member);
    await page.getByLabel("Mot de passe désiré").fill("court");
    await page.getByLabel("Confirmation du mot de passe").fill("court");
    await page.getByLabel("Nom *", { exact: true }).fill("Durand");
    await page.getByLabel("Prénom *", { exact: true }).fill("Luc");
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    await expectSummary(page, [["mot_de_passe", "Votre mot de passe doit être composé de 10 caractères minimum."]]);
    await expect(page.getByLabel("Identifiant désiré")).toHaveValue(member);
    await expect(page.getByLabel("Nom *", { exact: true })).toHaveValue("Durand");
    await checkPage(page, testInfo);
    await page.getByLabel("Mot de passe désiré").fill(GOOD_PASSWORD);
    await page.getByLabel("Confirmation du mot de passe").fill(GOOD_PASSWORD);
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    await expect(page).toHaveURL(/\/connexion$/);
    await expect(page.getByRole("status")).toHaveText("Votre compte a été créé. Vous pouvez vous connecter.");
    // Used once: the link is dead.
    await open(page, testInfo, joinPath);
    await expect(page.getByRole("alert")).toHaveText("Ce lien d'invitation n'est pas valable ou a déjà servi. Demandez à l'administrateur de votre service de vous inviter à nouveau.");
    await open(s, testInfo, "/mandataire/membres");
    await expect(s.getByRole("row", { name: /Luc Durand/ })).toContainText("Membre");

    // 5. The member records a mesure on each antenne; the counters of both levels follow.
    const m = await session(browser, testInfo, member);
    await expect(m).toHaveURL(/\/mandataire\/mesures$/);
    // A member without administrateur rights sees the antennes, changes nothing.
    await open(m, testInfo, "/mandataire/antennes");
    await expect(m.getByRole("link", { name: "Ajouter une antenne" })).toHaveCount(0);
    await open(m, testInfo, "/mandataire/informations");
    await expect(m.getByRole("link", { name: "Modifier mon profil" })).toHaveCount(0);
    await expect(m.getByText("Seuls les administrateurs du service modifient ces informations.")).toBeVisible();
    await newMesure(m, testInfo, "Antenne Nord", "1950");
    await newMesure(m, testInfo, "Antenne Sud", "1952");
    await expect(tab(m, /^Mesures en cours/)).toContainText("2 / 15");
    const rows = m.getByRole("table").first().locator("tbody tr");
    await expect(rows).toHaveCount(2);
    await expect(rows.filter({ hasText: "Antenne Nord" })).toHaveCount(1);
    // The "Antenne" filter (a GET form, the same without JavaScript).
    await m.getByLabel("Antenne", { exact: true }).selectOption({ label: "Antenne Sud" });
    await m.getByRole("button", { name: "Rechercher" }).click();
    await expect(m).toHaveURL(/antenne=\d+/);
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("Antenne Sud");
    await expectAntenne(s, testInfo, "Antenne Nord", "1 / 10", "0", "9");
    await expectAntenne(s, testInfo, "Antenne Sud", "1 / 5", "0", "4");

    // 6. A magistrat of Calais filters "Services", opens the fiche, reserves on the Antenne Sud.
    const magistratId = unique(testInfo, "magistrat");
    const signUp = await postForm(request, "/api/inscription/magistrat", [
      ["fonction", "magistrat"], ["tribunal", CALAIS], ["tribunal_id", await tribunalId(request, CALAIS)], ["cabinet", "3"],
      ["identifiant", magistratId], ["mot_de_passe", GOOD_PASSWORD], ["confirmation", GOOD_PASSWORD],
      ["nom", "Martin"], ["prenom", "Marie"], ["genre", "F"], ["email", `${magistratId}@exemple.fr`],
    ], randomIp());
    expect(signUp.status()).toBe(302);
    await setActive(admin, magistratId, true);
    const j = await session(browser, testInfo, magistratId);
    await j.getByLabel("Type").selectOption({ label: "Services" });
    await j.getByRole("button", { name: "Rechercher" }).click();
    await expect(j).toHaveURL(/type_mandataire=service/);
    const serviceRow = j.getByRole("row").filter({ hasText: nomService });
    await expect(serviceRow).toHaveCount(1);
    await expect(serviceRow).toContainText("2 / 15");
    await checkPage(j, testInfo);
    await serviceRow.getByRole("link", { name: nomService, exact: true }).click();
    await expect(j.getByRole("heading", { level: 1 })).toContainText(nomService);
    if (js) await expect(j.locator("body")).toHaveAttribute("data-hydrated", "true");
    await checkPage(j, testInfo);
    const antennes = j.getByRole("table", { name: "Antennes du service et leur disponibilité" });
    await expect(antennes.getByRole("row", { name: /Antenne Nord/ })).toContainText("1 / 10");
    await expect(antennes.getByRole("row", { name: /Antenne Sud/ })).toContainText("62200 Boulogne-sur-Mer");
    await j.getByRole("link", { name: /^Réserver une mesure/ }).first().click();
    await expect(j.getByRole("heading", { level: 1 })).toHaveText("Réserver une mesure");
    if (js) await expect(j.locator("body")).toHaveAttribute("data-hydrated", "true");
    await j.getByLabel("Antenne", { exact: true }).selectOption({ label: "Antenne Sud (Boulogne-sur-Mer)" });
    await j.getByLabel("Type de mesure *").selectOption({ label: "Tutelle" });
    await j.getByRole("group", { name: "Genre du majeur *" }).getByLabel("Homme").check();
    await j.getByLabel("Année de naissance du majeur *").fill("1948");
    const rg = `26/${Date.now() % 10000000}`;
    await j.getByLabel("Numéro RG").fill(rg);
    await j.getByRole("button", { name: "Valider" }).click();
    await expect(j).toHaveURL(/\/magistrat\/mesures$/);
    await expect(notice(j)).toHaveText("L'attribution de mesure a bien été envoyée.");
    // The e-mail goes to the service's administrateur (not to the member without the right).
    expect((await outboxFor(admin, `${identifiant}@exemple.fr`)).filter((x) => x.subject.includes("mesure"))).not.toHaveLength(0);
    expect((await outboxFor(admin, colleague)).filter((x) => x.subject !== "Invitation à rejoindre un service sur e-MJPM")).toHaveLength(0);
    await expectAntenne(s, testInfo, "Antenne Sud", "1 / 5", "1", "3");
    await expect(tab(s, /^Mesures en attente/)).toContainText("1");
    // "Vue carte": one marker per antenne, with the antenne's own disponibilité, and the antennes' table.
    await open(j, testInfo, "/magistrat/carte?type_mandataire=service");
    const carteAntennes = j.getByRole("table", { name: "Antennes des services de la carte : chacune a son marqueur" });
    await expect(carteAntennes.getByRole("row", { name: /Antenne Nord/ }).filter({ hasText: nomService })).toContainText("1 / 10");
    await expect(carteAntennes.getByRole("row", { name: /Antenne Sud/ }).filter({ hasText: nomService })).toContainText("62200 Boulogne-sur-Mer");
    await expect(carteAntennes.getByRole("row", { name: /Antenne Sud/ }).filter({ hasText: nomService }).getByRole("link", { name: nomService })).toHaveAttribute("href", /\/magistrat\/mandataires\/\d+$/);
    if (js) {
      await expect(j.getByRole("button", { name: `${nomService} – Antenne Nord : disponibilité 9` })).toBeVisible();
      const sud = j.getByRole("button", { name: `${nomService} – Antenne Sud : disponibilité 3` });
      await expect(sud).toBeVisible();
      await sud.focus();
      await j.keyboard.press("Enter");
      await expect(j.locator(".leaflet-popup").getByRole("link", { name: "Voir la fiche" })).toHaveAttribute("href", /\/magistrat\/mandataires\/\d+$/);
      // The service itself has no marker of its own: its antennes stand for it.
      await expect(j.getByRole("button", { name: `${nomService} : disponibilité 12` })).toHaveCount(0);
    }

    // 7. The member accepts it: the antenne chosen by the magistrat comes first.
    await open(m, testInfo, "/mandataire/mesures/en-attente");
    const waitingRow = m.getByRole("row", { name: new RegExp(rg.replace("/", "\\/")) });
    await expect(waitingRow).toContainText("Antenne Sud");
    await waitingRow.getByRole("link", { name: /^Accepter la mesure/ }).click();
    await expect(m.getByRole("heading", { level: 1 })).toHaveText("Accepter la mesure");
    if (js) await expect(m.locator("body")).toHaveAttribute("data-hydrated", "true");
    await checkPage(m, testInfo);
    await expect(m.getByLabel("Antenne", { exact: true })).toHaveValue(/\d+/);
    await expect(m.getByLabel("Antenne", { exact: true }).locator("option:checked")).toHaveText("Antenne Sud");
    await m.getByLabel("Date de décision *").fill("05/03/2024");
    await m.getByRole("group", { name: "Lieu de vie du majeur *" }).getByLabel("À domicile").check();
    await m.getByLabel("Code postal *").fill("62100");
    await commune(m, testInfo, "Calais");
    await m.getByRole("button", { name: "Accepter la mesure" }).click();
    await expect(notice(m)).toHaveText("La mesure a été acceptée. Elle figure désormais dans vos mesures en cours.");
    await expect(tab(m, /^Mesures en cours/)).toContainText("3 / 15");
    await expect(tab(m, /^Mesures en attente/)).toContainText("0");
    await expectAntenne(s, testInfo, "Antenne Nord", "1 / 10", "0", "9");
    await expectAntenne(s, testInfo, "Antenne Sud", "2 / 5", "0", "3");
    await open(j, testInfo, "/magistrat/mesures");
    await expect(j.getByRole("row", { name: new RegExp(rg.replace("/", "\\/")) })).toContainText("Acceptée");

    // 8. An antenne that holds mesures cannot be deleted: the message says how many.
    await open(s, testInfo, "/mandataire/antennes");
    await s.getByRole("button", { name: "Supprimer l'antenne Antenne Sud" }).click();
    await expect(s.getByRole("alert")).toContainText("2 mesures");
    await expectAntenne(s, testInfo, "Antenne Sud", "2 / 5", "0", "3");
    // The member removed by the administrateur: their session ends at once.
    await open(s, testInfo, "/mandataire/membres");
    await s.getByRole("button", { name: "Retirer du service : Luc Durand" }).click();
    await expect(notice(s)).toHaveText("Le membre a été retiré du service.");
    await m.goto("/mandataire/mesures");
    await expect(m).toHaveURL(/\/connexion/);
    await admin.dispose();
    for (const p of [s, m, j]) await p.context().close();
  });
});
