import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkPage, jsEnabled, open } from "./helpers";
import {
  adminRequest, ADMIN_LOGIN, ADMIN_PASSWORD, GOOD_PASSWORD, logIn, outboxFor, ownAddress, postForm, randomIp,
  setActive, signUpMagistrat, signUpPrepose, userId,
} from "./accounts";
import { totp } from "./totp";

// Issue 19, JavaScript on and off: an admin edits an account (a bad value refused and kept), sends a reset
// link (shown once without SMTP, never in "Courriels envoyés"), exports the list, deletes a magistrat and a
// mandataire (refused while a mesure is open); a user downloads their data; an admin enrols in two-factor login
// and logs in with a code, then with a recovery code.

const CALAIS = "Tribunal de proximité de Calais";

async function asAdmin(page: Page) {
  await ownAddress(page);
  await page.goto("/connexion");
  await logIn(page, ADMIN_LOGIN, ADMIN_PASSWORD);
  await expect(page).toHaveURL(/\/admin\/utilisateurs$/);
}

async function hydrated(page: Page, testInfo: TestInfo) {
  if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

test("an admin edits an account, sends it a reset link and exports the list", async ({ page, request, browser }, testInfo) => {
  const a = await signUpPrepose(request, testInfo, "modifie");
  await asAdmin(page);
  await setActive(page.request, a.identifiant, true);
  const id = await userId(page.request, a.identifiant);
  await open(page, testInfo, `/admin/utilisateurs/${id}`);
  await expect(page.getByRole("link", { name: "Modifier", exact: true })).toBeVisible();
  // The pending-accounts badge is on every tab, this one included.
  await expect(page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: /Utilisateurs/ })).toBeVisible();
  await page.getByRole("link", { name: "Modifier", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/utilisateurs/${id}/modifier$`));
  await hydrated(page, testInfo);
  await expect(page.getByLabel("Adresse email *")).toHaveValue(a.email);
  // A bad e-mail: its message, every value kept, nothing saved.
  await page.getByLabel("Nom *", { exact: true }).fill("Lefebvre");
  await page.getByLabel("Adresse email *").fill("pas-une-adresse");
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await hydrated(page, testInfo);
  await expect(page.locator("#email-erreur")).toBeVisible();
  await expect(page.getByLabel("Nom *", { exact: true })).toHaveValue("Lefebvre");
  await expect(page.getByLabel("Adresse email *")).toHaveValue("pas-une-adresse");
  await checkPage(page, testInfo);
  const email = `lefebvre.${a.identifiant}@exemple.fr`;
  await page.getByLabel("Adresse email *").fill(email);
  await page.getByLabel("Téléphone *", { exact: true }).fill("03 21 11 22 33");
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/utilisateurs/${id}$`));
  await expect(page.getByText("Les informations du compte sont enregistrées.")).toBeVisible();
  await expect(page.locator("dl.facts")).toContainText(email);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Compte de Claire Lefebvre");

  // "Envoyer un lien de réinitialisation": without SMTP the link is shown once, and works.
  await hydrated(page, testInfo);
  await page.getByRole("button", { name: "Envoyer un lien de réinitialisation" }).click();
  const notice = page.getByText(/transmettez vous-même ce lien/);
  await expect(notice).toBeVisible();
  const link = ((await notice.textContent()) ?? "").match(/https?:\/\/\S+jeton=[A-Za-z0-9_-]+/)?.[0];
  expect(link).toBeTruthy();
  const other = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo), extraHTTPHeaders: { "X-Forwarded-For": randomIp() } });
  const visitor = await other.newPage();
  await visitor.goto(new URL(link!).pathname + new URL(link!).search);
  await expect(visitor.getByRole("heading", { name: "Choisir un nouveau mot de passe" })).toBeVisible();
  await other.close();
  await page.reload();
  await expect(page.getByText(/transmettez vous-même ce lien/)).toHaveCount(0);
  expect((await outboxFor(page.request, email)).map((m) => m.subject)).not.toContain("Nouveau mot de passe pour e-MJPM");

  // "Exporter les utilisateurs": the filtered list as CSV.
  await open(page, testInfo, `/admin/utilisateurs?onglet=actifs&q=${encodeURIComponent(a.identifiant)}`);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Exporter les utilisateurs (CSV)" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^emjpm-\d{4}-\d{2}-\d{2}-utilisateurs\.csv$/);
  const csv = fs.readFileSync(await download.path(), "utf8");
  expect(csv.startsWith("\ufeffNom;Prénom;Identifiant")).toBe(true);
  expect(csv.trim().split("\n")).toHaveLength(2);
  expect(csv).toContain(`Lefebvre;Claire;${a.identifiant};${email}`);
});

test("an admin deletes a magistrat and a mandataire, and not one holding mesures", async ({ page, request, playwright }, testInfo) => {
  const holder = await signUpPrepose(request, testInfo, "detenteur");
  const empty = await signUpPrepose(request, testInfo, "sans-mesure");
  const admin = await adminRequest(playwright);
  await setActive(admin, holder.identifiant, true);
  await setActive(admin, empty.identifiant, true);
  const holderId = await userId(admin, holder.identifiant);
  const emptyId = await userId(admin, empty.identifiant);
  const juge = await signUpMagistrat(request, playwright, testInfo, CALAIS, "juge-supprime");
  const jugeId = await userId(admin, juge);
  const temoin = await signUpMagistrat(request, playwright, testInfo, CALAIS, "juge-temoin");
  await admin.dispose();
  // The magistrat reserves a mesure for the préposé: it is en attente.
  const jugeContext = await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL });
  let response = await postForm(jugeContext, "/api/connexion", [["identifiant", juge], ["mot_de_passe", GOOD_PASSWORD], ["retour", ""]], randomIp());
  expect(response.status()).toBe(302);
  response = await postForm(jugeContext, "/api/magistrat/reserver", [
    ["mandataire", holderId], ["reservation", ""], ["nature", "tutelle"], ["champ", ""], ["genre", "F"], ["annee_naissance", jsEnabled(testInfo) ? "1931" : "1932"],
    ["numero_rg", ""], ["cabinet", ""], ["antenne", ""], ["date_jugement", ""], ["urgente", ""],
  ]);
  expect(response.status()).toBe(302);
  await jugeContext.dispose();
  const year = jsEnabled(testInfo) ? "1931" : "1932";

  await asAdmin(page);
  // The préposé holds a mesure en attente: refused, with how many.
  await open(page, testInfo, `/admin/utilisateurs/${holderId}`);
  await page.getByRole("link", { name: "Supprimer le compte" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/utilisateurs/${holderId}/supprimer$`));
  await expect(page.getByRole("alert")).toContainText("0 mesure(s) en cours et 1 mesure(s) en attente");
  await expect(page.getByRole("button", { name: "Supprimer le compte" })).toHaveCount(0);
  await checkPage(page, testInfo);
  // The magistrat goes; his reservation stays, "compte supprimé".
  await open(page, testInfo, `/admin/utilisateurs/${jugeId}/supprimer`);
  await expect(page.getByText("Les mesures réservées restent")).toBeVisible();
  await page.getByRole("button", { name: "Supprimer le compte" }).click();
  await expect(page).toHaveURL(/\/admin\/utilisateurs$/);
  await expect(page.getByText(`Le compte « ${juge} » est supprimé.`)).toBeVisible();
  // The préposé without mesures goes too.
  await open(page, testInfo, `/admin/utilisateurs/${emptyId}/supprimer`);
  await expect(page.getByText("Cette action est définitive.")).toBeVisible();
  await page.getByRole("button", { name: "Supprimer le compte" }).click();
  await expect(page.getByText(`Le compte « ${empty.identifiant} » est supprimé.`)).toBeVisible();
  await page.goto(`/admin/utilisateurs/${emptyId}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Page introuvable");
  // His login no longer works; the other magistrat of the tribunal reads "compte supprimé".
  await page.context().clearCookies();
  await page.goto("/connexion");
  await logIn(page, empty.identifiant, empty.password);
  await expect(page.locator("#identifiant-erreur")).toBeVisible();
  await logIn(page, temoin, GOOD_PASSWORD);
  await expect(page).toHaveURL(/\/magistrat\/mandataires$/);
  await open(page, testInfo, "/magistrat/mesures");
  await expect(page.locator("table tbody tr").filter({ hasText: year })).toContainText("compte supprimé");
});

test("a mandataire downloads their data as a ZIP", async ({ page, request, playwright }, testInfo) => {
  const a = await signUpPrepose(request, testInfo, "mes-donnees");
  const admin = await adminRequest(playwright);
  await setActive(admin, a.identifiant, true);
  await admin.dispose();
  await ownAddress(page);
  await page.goto("/connexion");
  await logIn(page, a.identifiant, a.password);
  await expect(page).toHaveURL(/\/mandataire\/mesures$/);
  await open(page, testInfo, "/mandataire/informations");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Télécharger mes données" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^emjpm-mes-donnees-\d{4}-\d{2}-\d{2}\.zip$/);
  const file = path.join(os.tmpdir(), `${a.identifiant}.zip`);
  await download.saveAs(file);
  const listing = execFileSync("python3", ["-c", `import sys, zipfile, json
z = zipfile.ZipFile(sys.argv[1])
print(" ".join(z.namelist()))
account = json.loads(z.read("compte.json"))
print(account["identifiant"], account["adresse_email"], "password_hash" in json.dumps(account))
print(z.read("journal.csv").decode("utf-8"))`, file]).toString();
  fs.unlinkSync(file);
  expect(listing).toContain("LISEZMOI.txt compte.json mesures-en-cours.csv mesures-en-attente.csv mesures-eteintes.csv journal.csv");
  expect(listing).toContain(`${a.identifiant} ${a.email} False`);
  expect(listing).toContain("Téléchargement de mes données");
});

test("an admin enrols in two-factor login, then logs in with a code and with a recovery code", async ({ page }, testInfo) => {
  const login = jsEnabled(testInfo) ? "admin.2fa.js" : "admin.2fa.nojs";
  await ownAddress(page);
  await page.goto("/connexion");
  await logIn(page, login, ADMIN_PASSWORD);
  await expect(page).toHaveURL(/\/admin\/utilisateurs$/);
  await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Mon compte" }).click();
  await expect(page).toHaveURL(/\/compte\/double-authentification$/);
  await hydrated(page, testInfo);
  await page.getByRole("button", { name: "Activer la double authentification" }).click();
  await expect(page.getByRole("img", { name: "Code QR à scanner avec votre application d'authentification" })).toBeVisible();
  await hydrated(page, testInfo);
  await checkPage(page, testInfo);
  const secret = ((await page.locator("code.secret").textContent()) ?? "").replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  // A wrong code: its message, announced, the field kept.
  await page.getByLabel("Code de vérification *").fill("000000");
  await page.getByRole("button", { name: "Confirmer" }).click();
  await hydrated(page, testInfo);
  await expect(page.locator("#code-erreur")).toContainText("Code incorrect.");
  await page.getByLabel("Code de vérification *").fill(totp(secret));
  await page.getByRole("button", { name: "Confirmer" }).click();
  const activated = page.getByText(/La double authentification est activée\./);
  await expect(activated).toBeVisible();
  const recovery = ((await activated.textContent()) ?? "").match(/[A-Z2-7]{5}-[A-Z2-7]{5}/g) ?? [];
  expect(recovery).toHaveLength(10);

  // The password alone now leads to the code.
  await page.context().clearCookies();
  await page.goto("/connexion");
  await logIn(page, login, ADMIN_PASSWORD);
  await expect(page).toHaveURL(/\/connexion\/code$/);
  await hydrated(page, testInfo);
  await checkPage(page, testInfo);
  await page.getByLabel("Code de vérification *").fill("123456");
  await page.getByRole("button", { name: "Valider" }).click();
  await hydrated(page, testInfo);
  await expect(page.locator("#code-erreur")).toContainText("Code incorrect.");
  await expect(page.getByLabel("Code de vérification *")).toHaveValue("123456");
  // The next step's code (the enrolment spent this one).
  await page.getByLabel("Code de vérification *").fill(totp(secret, Date.now() / 1000 + 30));
  await page.getByRole("button", { name: "Valider" }).click();
  await expect(page).toHaveURL(/\/admin\/utilisateurs$/);

  // A recovery code, once.
  await page.context().clearCookies();
  await page.goto("/connexion");
  await logIn(page, login, ADMIN_PASSWORD);
  await expect(page).toHaveURL(/\/connexion\/code$/);
  await hydrated(page, testInfo);
  await page.getByLabel("Code de vérification *").fill(recovery[0].toLowerCase());
  await page.getByRole("button", { name: "Valider" }).click();
  await expect(page).toHaveURL(/\/admin\/utilisateurs$/);
  await open(page, testInfo, "/compte/double-authentification");
  await expect(page.getByText(/Codes de secours restants : 9\./)).toBeVisible();
});
