import { statSync } from "fs";
import { expect, test } from "@playwright/test";
import { checkPage, jsEnabled, open } from "./helpers";
import {
  ADMIN_LOGIN,
  ADMIN_PASSWORD,
  adminRequest,
  emailText,
  GOOD_PASSWORD,
  logIn,
  outboxFor,
  ownAddress,
  postForm,
  randomIp,
  setActive,
  signUpPrepose,
  userId,
} from "./accounts";

test.beforeEach(async ({ page }) => ownAddress(page));

const INCORRECT = "Identifiant, adresse email ou mot de passe incorrect.";
const NOT_ACTIVE = "Votre compte n'est pas encore actif, il sera validé très bientôt par l'équipe e-MJPM.";
const DEACTIVATED = "Votre compte est désactivé. Contactez l'équipe e-MJPM.";

test.describe("login, logout and sessions (SPEC §4.3, §4.5)", () => {
  test("scenario 4: the inactive account is told so only after the right password", async ({ page, request }, testInfo) => {
    const a = await signUpPrepose(request, testInfo);
    await open(page, testInfo, "/connexion");
    await expect(page.getByRole("link", { name: "J'ai oublié mon mot de passe ou mon identifiant" })).toHaveAttribute("href", "/mot-de-passe-oublie");
    await logIn(page, a.identifiant, a.password);
    await expect(page.locator(".error-summary")).toContainText(NOT_ACTIVE);
    await logIn(page, a.identifiant, "Mauvais-Mot-De-Passe-1");
    await expect(page.locator(".error-summary")).toContainText(INCORRECT);
    await expect(page.locator(".error-summary")).not.toContainText(NOT_ACTIVE);
    await logIn(page, "personne.inconnue", "Mauvais-Mot-De-Passe-1");
    await expect(page.locator(".error-summary")).toContainText(INCORRECT);
    await expect(page.getByLabel("Identifiant ou adresse email")).toHaveValue("personne.inconnue");
    await checkPage(page, testInfo);
  });

  test("scenarios 5 and 6: activation, login ignoring case and spaces, logout, deactivation ends the session", async ({ page, request, playwright, browser }, testInfo) => {
    const a = await signUpPrepose(request, testInfo, "prepose.calais");
    // The admin activates A in the browser.
    const adminContext = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo), extraHTTPHeaders: { "X-Forwarded-For": randomIp() } });
    const adminPage = await adminContext.newPage();
    await adminPage.goto("/connexion");
    await logIn(adminPage, ADMIN_LOGIN, ADMIN_PASSWORD);
    await expect(adminPage).toHaveURL(/\/admin\/utilisateurs$/);
    await adminPage.goto(`/admin/utilisateurs?onglet=en-attente&q=${a.identifiant}`);
    if (jsEnabled(testInfo)) await expect(adminPage.locator("body")).toHaveAttribute("data-hydrated", "true");
    await checkPage(adminPage, testInfo);
    const row = adminPage.getByRole("row", { name: new RegExp(a.identifiant) });
    await row.getByRole("button", { name: /^Activer/ }).click();
    await expect(adminPage.getByRole("status")).toHaveText("Le compte de Claire Dupont est activé.");
    await adminPage.goto(`/admin/utilisateurs?onglet=actifs&q=${a.identifiant}`);
    await expect(adminPage.getByRole("row", { name: new RegExp(a.identifiant) }).getByRole("button", { name: /^Désactiver/ })).toBeVisible();
    const admin = await adminRequest(playwright);
    const validations = (await outboxFor(admin, a.email)).filter((m) => m.subject === "Validation du compte");
    expect(validations).toHaveLength(1);
    const text = await emailText(admin, validations[0].id);
    expect(text).toContain("Votre compte e-MJPM a été validé.");
    expect(text).toContain(`Identifiant : ${a.identifiant}`);

    // Scenario 6: identifiant with capitals and spaces, then the e-mail in capitals.
    await open(page, testInfo, "/connexion");
    await logIn(page, `  ${a.identifiant.replace("prepose", "Prepose").replace("calais", "Calais")} `, a.password);
    await expect(page).toHaveURL(/\/mandataire\/mesures$/);
    await expect(page.locator("header")).toContainText("Claire Dupont – Mandataire préposé d'établissement");
    await page.getByRole("button", { name: "Se déconnecter" }).click();
    await expect(page).toHaveURL(/\/connexion$/);
    await expect(page.getByRole("status")).toHaveText("Vous êtes déconnecté.");
    await expect(page.locator("header").getByRole("link", { name: "Se connecter" })).toBeVisible();
    await logIn(page, a.email.toUpperCase(), a.password);
    await expect(page).toHaveURL(/\/mandataire\/mesures$/);

    // Scenario 5, second half: deactivation queues nothing, ends A's session, and A's login says so.
    await adminPage.getByRole("row", { name: new RegExp(a.identifiant) }).getByRole("button", { name: /^Désactiver/ }).click();
    await expect(adminPage.getByRole("status")).toHaveText("Le compte de Claire Dupont est désactivé.");
    expect((await outboxFor(admin, a.email)).filter((m) => m.subject === "Validation du compte")).toHaveLength(1);
    const response = await page.goto("/mandataire/mesures");
    await expect(page).toHaveURL(/\/connexion\?retour=%2Fmandataire%2Fmesures$/);
    expect(response?.status()).toBe(200);
    await logIn(page, a.identifiant, a.password);
    await expect(page.locator(".error-summary")).toContainText(DEACTIVATED);
    // An admin never deactivates himself.
    await adminPage.goto(`/admin/utilisateurs?onglet=actifs&q=${ADMIN_LOGIN}`);
    await expect(adminPage.getByRole("row", { name: new RegExp(`${ADMIN_LOGIN}@`) }).getByRole("button")).toHaveCount(0);
    const self = await postForm(admin, "/api/admin/utilisateurs/statut", [["id", await userId(admin, ADMIN_LOGIN)], ["activer", "false"], ["retour", "/admin/utilisateurs"]]);
    expect(self.status()).toBe(302);
    const afterSelf = (await (await admin.get("/admin/utilisateurs")).text()).replace(/<!>/g, "");
    expect(afterSelf).toContain("Vous ne pouvez pas désactiver votre propre compte.");
    await admin.dispose();
    await adminContext.close();
  });

  test("scenario 7: after 5 wrong passwords the 6th waits; after the delay the right one works", async ({ page, request, playwright }, testInfo) => {
    const a = await signUpPrepose(request, testInfo);
    const admin = await adminRequest(playwright);
    await setActive(admin, a.identifiant, true);
    await admin.dispose();
    await open(page, testInfo, "/connexion");
    for (let i = 0; i < 5; i++) {
      await logIn(page, a.identifiant, `Mauvais-${i}-Mot-De-Passe`);
      await expect(page.locator(".error-summary")).toContainText(INCORRECT);
    }
    await logIn(page, a.identifiant, a.password);
    await expect(page.locator(".error-summary")).toContainText(/Trop de tentatives de connexion\. Réessayez dans \d+ secondes\./);
    await page.waitForTimeout(1500);
    await logIn(page, a.identifiant, a.password);
    await expect(page).toHaveURL(/\/mandataire\/mesures$/);
  });

  test("per address: beyond 30 failed logins in 10 minutes, 429 and its message", async ({ request }) => {
    const ip = randomIp();
    for (let i = 0; i < 30; i++) {
      const r = await postForm(request, "/api/connexion", [["identifiant", `inconnu${i}`], ["mot_de_passe", "Mauvais-Mot-De-Passe-1"], ["retour", ""]], ip);
      expect(r.status()).toBe(302);
    }
    const blocked = await postForm(request, "/api/connexion", [["identifiant", "inconnu"], ["mot_de_passe", "Mauvais-Mot-De-Passe-1"], ["retour", ""]], ip);
    expect(blocked.status()).toBe(429);
    expect(await blocked.text()).toContain("Trop de tentatives depuis votre connexion. Réessayez dans quelques minutes.");
  });

  test("a throttled address reads « Trop de tentatives… » on the login form, with and without JavaScript", async ({ page, request }, testInfo) => {
    const ip = randomIp();
    for (let i = 0; i < 30; i++) {
      await postForm(request, "/api/connexion", [["identifiant", `inconnu${i}`], ["mot_de_passe", "Mauvais-Mot-De-Passe-1"], ["retour", ""]], ip);
    }
    await page.setExtraHTTPHeaders({ "X-Forwarded-For": ip });
    await open(page, testInfo, "/connexion");
    await logIn(page, "inconnu", "Mauvais-Mot-De-Passe-1");
    const message = "Trop de tentatives depuis votre connexion. Réessayez dans quelques minutes.";
    if (jsEnabled(testInfo)) {
      // The 429's own sentence, not the generic one, announced in place.
      await expect(page.getByRole("alert")).toContainText(message);
      await expect(page.getByRole("alert")).not.toContainText("Une erreur est survenue");
    } else {
      await expect(page.locator("main")).toContainText(message);
    }
  });

  test("scenario 24: other roles get 403, anonymous visitors go to the login page and back", async ({ page, request, playwright }, testInfo) => {
    const a = await signUpPrepose(request, testInfo);
    const admin = await adminRequest(playwright);
    await setActive(admin, a.identifiant, true);
    await admin.dispose();
    await page.goto("/mandataire/mesures");
    await expect(page).toHaveURL(/\/connexion\?retour=%2Fmandataire%2Fmesures$/);
    if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    await logIn(page, a.identifiant, a.password);
    await expect(page).toHaveURL(/\/mandataire\/mesures$/);
    for (const path of ["/admin/utilisateurs", "/magistrat/mandataires", "/admin/journal"]) {
      const response = await page.goto(path);
      expect(response?.status()).toBe(403);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accès refusé");
      await expect(page.locator("main")).toContainText("Vous n'avez pas accès à cette page.");
    }
    // A server function of another role answers 403 too, whatever the page.
    const forged = await page.request.post("/api/admin/utilisateurs/statut", {
      headers: { Origin: new URL(page.url()).origin, "Content-Type": "application/x-www-form-urlencoded" },
      data: "id=1&activer=false&retour=",
    });
    expect(forged.status()).toBe(403);
    // `retour` is followed for local paths only.
    await page.goto("/mandataire/mesures");
    await page.getByRole("button", { name: "Se déconnecter" }).click();
    await expect(page).toHaveURL(/\/connexion$/);
    await page.goto("/connexion?retour=https://evil.example/");
    await logIn(page, a.identifiant, a.password);
    await expect(page).toHaveURL(/\/mandataire\/mesures$/);
  });

  test("scenario 25: foreign, missing Origin or cross-site POSTs get 403 « Requête refusée »", async ({ request }) => {
    const body = "identifiant=admin&mot_de_passe=x&retour=";
    const type = { "Content-Type": "application/x-www-form-urlencoded" };
    for (const headers of [
      { ...type, Origin: "https://evil.example" },
      { ...type },
      { ...type, Origin: new URL(process.env.EMJPM_BASE_URL ?? "http://127.0.0.1:3000").origin, "Sec-Fetch-Site": "cross-site" },
    ]) {
      const r = await request.post("/api/connexion", { headers, data: body, maxRedirects: 0 });
      expect(r.status()).toBe(403);
      expect(await r.text()).toContain("Requête refusée");
    }
    const logout = await request.post("/deconnexion", { headers: { ...type, Origin: "https://evil.example" }, data: "" });
    expect(logout.status()).toBe(403);
  });
});

test.describe("passwords (SPEC §4.3, §4.4)", () => {
  test("scenario 26: same answer for known and unknown e-mails; the link works once", async ({ page, request, playwright }, testInfo) => {
    const a = await signUpPrepose(request, testInfo);
    const admin = await adminRequest(playwright);
    await setActive(admin, a.identifiant, true);
    const answer = "Si un compte correspond à cette adresse, un email contenant un lien de réinitialisation vient d'être envoyé. Ce lien est valable 2 heures.";
    for (const email of [a.email.toUpperCase(), `inconnu.${a.email}`]) {
      await open(page, testInfo, "/mot-de-passe-oublie");
      await page.getByLabel("Adresse email").fill(email);
      await page.getByRole("button", { name: "Recevoir un lien de réinitialisation" }).click();
      await expect(page.getByRole("status")).toHaveText(answer);
    }
    const mails = (await outboxFor(admin, a.email)).filter((m) => m.subject === "Nouveau mot de passe pour e-MJPM");
    expect(mails).toHaveLength(1);
    expect(await outboxFor(admin, `inconnu.${a.email}`)).toHaveLength(0);
    const text = await emailText(admin, mails[0].id);
    expect(text).toContain(`Identifiant : ${a.identifiant}`);
    expect(text).toContain("Ce lien est valable 2 heures et ne peut servir qu'une fois.");
    const link = new URL(text.match(/https?:\/\/\S+reinitialiser-mot-de-passe\?jeton=[A-Za-z0-9_-]+/)![0]);
    const resetPath = link.pathname + link.search;

    await open(page, testInfo, resetPath);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Choisir un nouveau mot de passe");
    await page.getByLabel("Nouveau mot de passe *", { exact: true }).fill(a.identifiant);
    await page.getByLabel("Confirmation du nouveau mot de passe *", { exact: true }).fill(a.identifiant);
    await page.getByRole("button", { name: "Enregistrer mon nouveau mot de passe" }).click();
    await expect(page.locator("#nouveau-erreur")).toContainText("Votre mot de passe ne doit pas être identique à votre identifiant ou à votre adresse email.");
    const fresh = "Nouveau-Mot-De-Passe-62";
    await page.getByLabel("Nouveau mot de passe *", { exact: true }).fill(fresh);
    await page.getByLabel("Confirmation du nouveau mot de passe *", { exact: true }).fill(fresh);
    await page.getByRole("button", { name: "Enregistrer mon nouveau mot de passe" }).click();
    await expect(page).toHaveURL(/\/connexion$/);
    await expect(page.getByRole("status")).toHaveText("Votre mot de passe a bien été changé. Vous pouvez vous connecter.");
    expect((await outboxFor(admin, a.email)).filter((m) => m.subject === "Confirmation du mot de passe")).toHaveLength(1);
    // Used once: the link is dead.
    await open(page, testInfo, resetPath);
    await expect(page.getByRole("alert")).toHaveText("Ce lien de réinitialisation n'est plus valable. Faites une nouvelle demande.");
    await page.goto("/connexion");
    await logIn(page, a.identifiant, fresh);
    await expect(page).toHaveURL(/\/mandataire\/mesures$/);
    await admin.dispose();
  });

  test("scenario 27: changing the password checks the current one and ends the other sessions", async ({ page, request, playwright, browser }, testInfo) => {
    const a = await signUpPrepose(request, testInfo);
    const admin = await adminRequest(playwright);
    await setActive(admin, a.identifiant, true);
    // Another session of A, elsewhere.
    const other = await playwright.request.newContext({ baseURL: new URL(process.env.EMJPM_BASE_URL ?? "http://127.0.0.1:3000").origin });
    expect((await postForm(other, "/api/connexion", [["identifiant", a.identifiant], ["mot_de_passe", a.password], ["retour", ""]], randomIp())).status()).toBe(302);
    expect((await other.get("/mandataire/mesures", { maxRedirects: 0 })).status()).toBe(200);

    await page.goto("/connexion");
    await logIn(page, a.identifiant, a.password);
    await expect(page).toHaveURL(/\/mandataire\/mesures$/);
    await open(page, testInfo, "/compte/mot-de-passe");
    await page.getByLabel("Mot de passe actuel *", { exact: true }).fill("Pas-Le-Bon-123");
    await page.getByLabel("Nouveau mot de passe *", { exact: true }).fill(a.identifiant);
    await page.getByLabel("Confirmation du nouveau mot de passe *", { exact: true }).fill(a.identifiant);
    await page.getByRole("button", { name: "Enregistrer" }).click();
    await expect(page.locator("#actuel-erreur")).toContainText("Le mot de passe actuel est incorrect.");
    await expect(page.locator("#nouveau-erreur")).toContainText("Votre mot de passe ne doit pas être identique à votre identifiant ou à votre adresse email.");
    const fresh = "Encore-Un-Mot-De-Passe-7";
    await page.getByLabel("Mot de passe actuel *", { exact: true }).fill(a.password);
    await page.getByLabel("Nouveau mot de passe *", { exact: true }).fill(fresh);
    await page.getByLabel("Confirmation du nouveau mot de passe *", { exact: true }).fill(fresh);
    await page.getByRole("button", { name: "Enregistrer" }).click();
    await expect(page.getByRole("status")).toHaveText("Votre mot de passe a été modifié.");
    // This session stays, the other one ended.
    expect((await page.request.get("/mandataire/mesures", { maxRedirects: 0 })).status()).toBe(200);
    expect((await other.get("/mandataire/mesures", { maxRedirects: 0 })).status()).toBe(303);
    expect((await outboxFor(admin, a.email)).filter((m) => m.subject === "Confirmation du mot de passe")).toHaveLength(1);
    await other.dispose();
    await admin.dispose();
  });
});

test.describe("administration (SPEC §7)", () => {
  test("scenario 31, outbox half: without SMTP the admin reads the e-mails under the banner; the journal lists the events", async ({ page, request }, testInfo) => {
    const a = await signUpPrepose(request, testInfo);
    await page.goto("/connexion");
    await logIn(page, ADMIN_LOGIN, ADMIN_PASSWORD);
    await expect(page).toHaveURL(/\/admin\/utilisateurs$/);
    await open(page, testInfo, "/admin/courriels");
    await expect(page.getByRole("note")).toHaveText("Aucun serveur SMTP n'est configuré : les courriels ne sont pas envoyés, ils sont consultables ici.");
    await expect(page.getByRole("link", { name: "Courriels envoyés" })).toHaveAttribute("aria-current", "page");
    const table = page.getByRole("table", { name: "Courriels des 90 derniers jours" });
    await expect(table.getByRole("columnheader")).toHaveText(["Date", "Destinataire", "Objet", "État", "Tentatives"]);
    await table.getByRole("row").filter({ hasText: "contact@exemple.fr" }).first().getByRole("link", { name: "Nouvelle inscription" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Nouvelle inscription");
    await expect(page.locator("main")).toContainText("En attente d'envoi");
    await open(page, testInfo, `/admin/journal?utilisateur=&action=Inscription`);
    const journal = page.getByRole("table", { name: "Journal des actions" });
    await expect(journal.getByRole("columnheader")).toHaveText(["Date", "Utilisateur", "Action", "Objet", "Adresse IP", "Résultat"]);
    await expect(journal.getByRole("row").nth(1)).toContainText("Inscription");
    await open(page, testInfo, `/admin/utilisateurs?onglet=en-attente&q=${a.identifiant}`);
    await expect(page.getByRole("link", { name: /En attente de validation \(\d+\)/ })).toHaveAttribute("aria-current", "page");
  });

  test("« Sauvegarde »: a download after the password, audited; refused to other roles", async ({ page, request, playwright }, testInfo) => {
    await page.goto("/connexion");
    await logIn(page, ADMIN_LOGIN, ADMIN_PASSWORD);
    await expect(page).toHaveURL(/\/admin\/utilisateurs$/);
    await open(page, testInfo, "/admin/sauvegarde");
    await expect(page.getByRole("link", { name: "Sauvegarde" })).toHaveAttribute("aria-current", "page");
    // A wrong password: told at the field, in the summary, which takes the focus.
    await page.getByLabel("Mot de passe *", { exact: true }).fill("Pas-Le-Bon-62");
    await page.getByRole("button", { name: "Télécharger une sauvegarde" }).click();
    await expect(page.locator("#mot_de_passe-erreur")).toHaveText("Le mot de passe actuel est incorrect.");
    await expect(page.getByRole("alert")).toBeFocused();
    // The right one: the file comes back.
    await page.getByLabel("Mot de passe *", { exact: true }).fill(ADMIN_PASSWORD);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Télécharger une sauvegarde" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^emjpm-sauvegarde-\d{4}-\d{2}-\d{2}-\d{4}\.redb$/);
    const saved = testInfo.outputPath("copie.redb");
    await download.saveAs(saved);
    expect(statSync(saved).size).toBeGreaterThan(4096);
    await open(page, testInfo, "/admin/journal?utilisateur=&action=T%C3%A9l%C3%A9chargement%20d%27une%20sauvegarde");
    await expect(page.getByRole("table", { name: "Journal des actions" }).getByRole("row").nth(1)).toContainText("Succès (");
    // Other roles never get it.
    const a = await signUpPrepose(request, testInfo);
    const admin = await adminRequest(playwright);
    await setActive(admin, a.identifiant, true);
    await admin.dispose();
    const other = await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL });
    await postForm(other, "/api/connexion", [["identifiant", a.identifiant], ["mot_de_passe", a.password], ["retour", ""]]);
    const refused = await postForm(other, "/admin/sauvegarde/telecharger", [["mot_de_passe", a.password]]);
    expect(refused.status()).toBe(403);
    await other.dispose();
  });
});
