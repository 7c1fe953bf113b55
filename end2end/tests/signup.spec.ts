import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { open, jsEnabled } from "./helpers";
import { adminRequest, emailText, GOOD_PASSWORD, outboxFor, ownAddress, signUpPrepose, unique, userId } from "./accounts";

test.beforeEach(async ({ page }) => ownAddress(page));

/** Adds an établissement in the sign-up form: picked in the list (JavaScript) or resolved by the server. */
async function addEtablissement(page: Page, testInfo: TestInfo, typed: string, label: RegExp) {
  const field = page.getByRole(jsEnabled(testInfo) ? "combobox" : "textbox", { name: "Ajouter un établissement" });
  await field.fill(typed);
  if (jsEnabled(testInfo)) {
    await page.getByRole("option", { name: label }).first().click();
  }
  await page.getByRole("button", { name: "Ajouter", exact: true }).click();
  const choices = page.getByRole("group", { name: /Plusieurs résultats correspondent/ });
  const list = page.getByRole("list", { name: "Établissements ajoutés" });
  await expect(list.or(choices).first()).toBeVisible();
  if (!(await list.getByText(label).isVisible()) && (await choices.isVisible())) {
    await choices.getByRole("radio", { name: label }).first().check();
    await page.getByRole("button", { name: "Ajouter", exact: true }).click();
  }
  await expect(list.getByText(label)).toBeVisible();
}

async function fillMandataire(page: Page, identifiant: string, email: string) {
  await page.getByText("Hauts-de-France", { exact: true }).click();
  await page.getByRole("checkbox", { name: "Tribunal de proximité de Calais" }).check();
  await page.getByRole("radio", { name: "Préposé" }).check();
  await page.getByLabel("Identifiant désiré").fill(identifiant);
  await page.getByLabel("Nom *", { exact: true }).fill("Lefebvre");
  await page.getByLabel("Prénom").fill("Anne");
  await page.getByRole("radio", { name: "Femme" }).check();
  await page.getByLabel("Adresse *", { exact: true }).fill("12 boulevard Jacquard");
  await page.getByLabel("Code postal").fill("62100");
  await page.getByLabel("Commune *", { exact: true }).fill("Calais");
  await page.getByLabel("Téléphone *").fill("03 21 00 00 00");
  await page.getByLabel("Adresse email").fill(email);
  await page.getByLabel("Nombre de mesures souhaitées").fill("30");
}

async function fillPasswords(page: Page, password: string, confirmation = password) {
  await page.getByLabel("Mot de passe désiré").fill(password);
  await page.getByLabel("Confirmation du mot de passe").fill(confirmation);
}

test.describe("sign-up (SPEC §4.1, §4.2)", () => {
  test("scenario 1: a préposé of Calais with two établissements; inactive account, « Nouvelle inscription » queued", async ({ page, playwright }, testInfo) => {
    await open(page, testInfo, "/inscription");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Créer un compte");
    await expect(page.getByRole("link", { name: "Vous êtes magistrat ? Créez votre compte magistrat" })).toHaveAttribute("href", "/inscription/magistrat");
    await expect(page.getByText("Les champs possédant un astérisque (*) sont obligatoires.")).toBeVisible();
    const identifiant = unique(testInfo, "anne");
    const email = `${identifiant}@exemple.fr`;
    await fillMandataire(page, identifiant, email);
    await addEtablissement(page, testInfo, "chateau des dunes", /^EHPAD RESIDENCE CHATEAU DES DUNES – 62100 Calais/);
    await addEtablissement(page, testInfo, "centre hospitalier de calais", /^CENTRE HOSPITALIER DE CALAIS – /);
    // Without JavaScript each "Ajouter" came back through the server: everything but the passwords is kept.
    await expect(page.getByLabel("Identifiant désiré")).toHaveValue(identifiant);
    await expect(page.getByRole("checkbox", { name: "Tribunal de proximité de Calais" })).toBeChecked();
    await expect(page.getByRole("radio", { name: "Préposé" })).toBeChecked();
    await fillPasswords(page, GOOD_PASSWORD);
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    await expect(page).toHaveURL(/\/inscription\/confirmation$/);
    await expect(page.getByRole("status")).toHaveText(
      "Merci ! Votre demande a bien été prise en compte. Notre équipe a été informée et vous recevrez une confirmation très prochainement.",
    );
    await expect(page.getByRole("link", { name: "Se connecter" }).last()).toHaveAttribute("href", "/connexion");

    const admin = await adminRequest(playwright);
    const waiting = (await (await admin.get(`/admin/utilisateurs?onglet=en-attente&q=${identifiant}`)).text()).replace(/<!>/g, "");
    expect(waiting).toContain(identifiant);
    expect(waiting).toContain("Mandataire préposé d");
    const detail = (await (await admin.get(`/admin/utilisateurs/${await userId(admin, identifiant)}`)).text()).replace(/<!>/g, "");
    expect(detail).toContain("En attente de validation");
    expect(detail).toContain("EHPAD RESIDENCE CHATEAU DES DUNES");
    expect(detail).toContain("CENTRE HOSPITALIER DE CALAIS");
    expect(detail).toContain("Tribunal de proximité de Calais");
    for (const recipient of ["admin@exemple.fr", "contact@exemple.fr"]) {
      const mails = (await outboxFor(admin, recipient)).filter((m) => m.subject === "Nouvelle inscription");
      expect(mails.length).toBeGreaterThan(0);
      const text = await emailText(admin, mails[0].id);
      expect(text).toContain(email);
      expect(text).toContain("Tribunal de proximité de Calais");
      expect(text).toContain("Merci de vérifier ces informations et de valider le compte :");
    }
    await admin.dispose();
  });

  test("scenario 2: a short password is told at the field and in the summary, every other entry kept", async ({ page }, testInfo) => {
    await open(page, testInfo, "/inscription");
    const identifiant = unique(testInfo, "court");
    await fillMandataire(page, identifiant, `${identifiant}@exemple.fr`);
    await fillPasswords(page, "abc123");
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    const message = "Votre mot de passe doit être composé de 10 caractères minimum.";
    const summary = page.locator(".error-summary");
    await expect(summary).toBeFocused();
    await expect(summary.getByRole("heading")).toHaveText("Le formulaire contient 1 erreur :");
    await expect(summary.getByRole("link", { name: new RegExp(`^${message}`) })).toHaveAttribute("href", "#mot_de_passe");
    const field = page.getByLabel("Mot de passe désiré");
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("#mot_de_passe-erreur")).toContainText(message);
    if (!jsEnabled(testInfo)) {
      // Without JavaScript passwords are never sent back: the message asks to type it again.
      await expect(page.locator("#mot_de_passe-erreur")).toHaveText(`${message} Saisissez-le à nouveau.`);
      await expect(field).toHaveValue("");
    } else {
      await expect(field).toHaveValue("abc123");
    }
    for (const [label, value] of [["Identifiant désiré *", identifiant], ["Prénom *", "Anne"], ["Code postal *", "62100"], ["Commune *", "Calais"], ["Nombre de mesures souhaitées *", "30"]]) {
      await expect(page.getByLabel(label, { exact: true })).toHaveValue(value);
    }
    await expect(page.getByRole("checkbox", { name: "Tribunal de proximité de Calais" })).toBeChecked();
    await expect(page.getByRole("radio", { name: "Femme" })).toBeChecked();
  });

  test("with JavaScript, « Rechercher un tribunal » ticks the box and shows a removable chip", async ({ page }, testInfo) => {
    test.skip(!jsEnabled(testInfo), "the search is an enhancement: without JavaScript the boxes are ticked directly");
    await open(page, testInfo, "/inscription");
    await page.getByRole("combobox", { name: "Rechercher un tribunal" }).fill("boulogne-sur");
    await page.getByRole("option", { name: "Tribunal judiciaire de Boulogne-sur-Mer" }).click();
    const box = page.getByRole("checkbox", { name: "Tribunal judiciaire de Boulogne-sur-Mer" });
    await expect(box).toBeChecked();
    await expect(box).toBeVisible();
    const chips = page.getByRole("list", { name: "Tribunaux choisis" });
    await expect(chips).toContainText("Tribunal judiciaire de Boulogne-sur-Mer");
    await chips.getByRole("button", { name: "Retirer Tribunal judiciaire de Boulogne-sur-Mer" }).click();
    await expect(box).not.toBeChecked();
    await expect(chips.getByRole("listitem")).toHaveCount(0);
  });

  test("scenario 3: four errors together, nothing created", async ({ page, request, playwright }, testInfo) => {
    const existing = await signUpPrepose(request, testInfo, "pris");
    await open(page, testInfo, "/inscription");
    await fillMandataire(page, existing.identifiant.toUpperCase(), `${unique(testInfo, "autre")}@exemple.fr`);
    await page.getByRole("checkbox", { name: "Tribunal de proximité de Calais" }).uncheck();
    await page.getByLabel("Commune *", { exact: true }).fill("Arras");
    await fillPasswords(page, GOOD_PASSWORD, "Autre-Mot-De-Passe-1");
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    const summary = page.locator(".error-summary");
    await expect(summary.getByRole("heading")).toHaveText("Le formulaire contient 4 erreurs :");
    await expect(summary.getByRole("listitem")).toHaveText([
      "Sélectionnez au moins un tribunal où vous êtes agréé.",
      "Cet identifiant est déjà utilisé. Choisissez-en un autre.",
      jsEnabled(testInfo) ? "Les mots de passe ne sont pas identiques." : "Les mots de passe ne sont pas identiques. Saisissez-le à nouveau.",
      "La commune « Arras » ne correspond pas au code postal 62100. Choisissez-la dans la liste.",
    ]);
    await expect(page.getByLabel("Commune *", { exact: true })).toHaveValue("Arras");
    const admin = await adminRequest(playwright);
    const list = (await (await admin.get(`/admin/utilisateurs?onglet=en-attente&q=${existing.identifiant}`)).text()).replace(/<!>/g, "");
    expect(list).toContain("1 compte");
    await admin.dispose();
  });

  test("every bad value of the table gets its message; nothing is created", async ({ page, playwright }, testInfo) => {
    await open(page, testInfo, "/inscription");
    const email = `${unique(testInfo, "mauvais")}@exemple.fr`;
    await page.getByLabel("Identifiant désiré").fill("ab");
    await fillPasswords(page, "abcdefghijkl");
    await page.getByLabel("Nom *", { exact: true }).fill("N".repeat(101));
    await page.getByLabel("Prénom").fill("P".repeat(101));
    await page.getByLabel("Adresse *", { exact: true }).fill("A".repeat(201));
    await page.getByLabel("Code postal").fill("6210");
    await page.getByLabel("Téléphone *").fill("12345");
    await page.getByLabel("Téléphone portable").fill("06 12");
    await page.getByLabel("Adresse email").fill("nom@");
    await page.getByLabel("Nombre de mesures souhaitées").fill("1000");
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    const expected: [string, string][] = [
      ["tribunaux", "Sélectionnez au moins un tribunal où vous êtes agréé."],
      ["type_mandataire", "Indiquez si vous êtes mandataire individuel, préposé ou service."],
      ["identifiant", "L'identifiant doit comporter de 3 à 50 caractères : lettres sans accent, chiffres, point, tiret ou tiret bas."],
      ["mot_de_passe", "Votre mot de passe doit contenir au moins deux types de caractères parmi : minuscules, majuscules, chiffres, caractères spéciaux."],
      ["nom", "Le nom ne doit pas dépasser 100 caractères."],
      ["prenom", "Le prénom ne doit pas dépasser 100 caractères."],
      ["genre", "Indiquez votre genre."],
      ["adresse", "L'adresse ne doit pas dépasser 200 caractères."],
      ["code_postal", "Le code postal doit comporter 5 chiffres. Par exemple : 62100"],
      ["commune", "Le champ « Commune » est obligatoire."],
      ["telephone", "Saisissez un numéro de téléphone à 10 chiffres. Par exemple : 0321000000"],
      ["telephone_portable", "Saisissez un numéro de téléphone à 10 chiffres. Par exemple : 0321000000"],
      ["email", "Saisissez une adresse email valide. Par exemple : nom@exemple.fr"],
      ["mesures_souhaitees", "Saisissez un nombre entier entre 0 et 999. Par exemple : 50"],
    ];
    const summary = page.locator(".error-summary");
    await expect(summary.getByRole("heading")).toHaveText(`Le formulaire contient ${expected.length} erreurs :`);
    for (const [field, message] of expected) {
      await expect(page.locator(`#${field}-erreur`)).toContainText(message);
      await expect(summary.locator(`a[href="#${field}"]`)).toContainText(message);
    }
    await expect(page.getByLabel("Nom *", { exact: true })).toHaveValue("N".repeat(101));
    await expect(page.getByLabel("Téléphone *")).toHaveValue("12345");

    // A CEDEX code and the other password rules, one at a time.
    await page.getByLabel("Code postal").fill("62107");
    await page.getByLabel("Identifiant désiré").fill("motdepasse.egal");
    await fillPasswords(page, "Motdepasse.Egal");
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    await expect(page.locator("#code_postal-erreur")).toHaveText("Ce code postal n'existe pas (les codes CEDEX ne sont pas acceptés).");
    await expect(page.locator("#mot_de_passe-erreur")).toContainText("Votre mot de passe ne doit pas être identique à votre identifiant ou à votre adresse email.");
    await fillPasswords(page, "Azertyuiop1");
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    await expect(page.locator("#mot_de_passe-erreur")).toContainText("Ce mot de passe est trop courant. Choisissez-en un autre.");
    await fillPasswords(page, `Aa1-${"x".repeat(125)}`);
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    await expect(page.locator("#mot_de_passe-erreur")).toContainText("Votre mot de passe ne doit pas dépasser 128 caractères.");

    const admin = await adminRequest(playwright);
    const list = (await (await admin.get(`/admin/utilisateurs?onglet=en-attente&q=${encodeURIComponent(email)}`)).text()).replace(/<!>/g, "");
    expect(list).toContain("0 compte");
    await admin.dispose();
  });

  test("magistrat sign-up: one tribunal, cabinet, same outcome", async ({ page, playwright }, testInfo) => {
    await open(page, testInfo, "/inscription/magistrat");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Créer un compte magistrat");
    const identifiant = unique(testInfo, "juge");
    await page.getByLabel("Cabinet (optionnel)").fill("C".repeat(21));
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    await expect(page.locator("#tribunal-erreur")).toHaveText("Sélectionnez votre tribunal.");
    await expect(page.locator("#cabinet-erreur")).toHaveText("Le cabinet ne doit pas dépasser 20 caractères.");
    await expect(page.locator("#genre-erreur")).toHaveText("Indiquez votre genre.");
    await expect(page.locator("#fonction-erreur")).toHaveText("Indiquez si vous êtes magistrat ou greffier.");
    await expect(page.getByLabel("Cabinet (optionnel)")).toHaveValue("C".repeat(21));
    await page.getByRole("radio", { name: "Magistrat", exact: true }).check();

    const tribunal = page.getByLabel("Tribunal *");
    if (jsEnabled(testInfo)) {
      await tribunal.fill("proximité de calais");
      await page.getByRole("option", { name: "Tribunal de proximité de Calais" }).click();
    } else {
      // Without JavaScript the server resolves the text: the exact name is one tribunal.
      await tribunal.fill("Tribunal de proximité de Calais");
    }
    await page.getByLabel("Cabinet (optionnel)").fill("Cabinet 2");
    await page.getByLabel("Identifiant désiré").fill(identifiant);
    await fillPasswords(page, GOOD_PASSWORD);
    await page.getByLabel("Nom *", { exact: true }).fill("Martin");
    await page.getByLabel("Prénom").fill("Paul");
    await page.getByRole("radio", { name: "Homme" }).check();
    await page.getByLabel("Adresse email").fill(`${identifiant}@justice.fr`);
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    await expect(page).toHaveURL(/\/inscription\/confirmation$/);

    const admin = await adminRequest(playwright);
    const detail = (await (await admin.get(`/admin/utilisateurs/${await userId(admin, identifiant)}`)).text()).replace(/<!>/g, "");
    expect(detail).toContain("Magistrat");
    expect(detail).toContain("Tribunal de proximité de Calais");
    expect(detail).toContain("Cabinet 2");
    const mails = (await outboxFor(admin, "admin@exemple.fr")).filter((m) => m.subject === "Nouvelle inscription");
    expect(await emailText(admin, mails[0].id)).toContain(`${identifiant}@justice.fr`);
    await admin.dispose();
  });
});
