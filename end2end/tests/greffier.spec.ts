import { expect, test } from "@playwright/test";
import { checkPage, jsEnabled, open } from "./helpers";
import { adminRequest, GOOD_PASSWORD, logIn, ownAddress, setActive, signUpPrepose, unique } from "./accounts";

// Issue 18, greffiers, JavaScript on and off: the sign-up as "Greffier" through the form, the admin's
// validation, then the magistrat's screens with the greffier labelled, and a reservation "Réservée par" him.

const CALAIS = "Tribunal de proximité de Calais";

test.beforeEach(async ({ page }) => ownAddress(page));

test("a greffier signs up, is validated, and reserves a mesure labelled as greffier", async ({ page, request, playwright }, testInfo) => {
  const mandataire = await signUpPrepose(request, testInfo, "greffe-mjpm");
  const admin = await adminRequest(playwright);
  await setActive(admin, mandataire.identifiant, true);
  await open(page, testInfo, "/inscription/magistrat");
  const identifiant = unique(testInfo, "greffier");
  await page.getByRole("radio", { name: "Greffier", exact: true }).check();
  const tribunal = page.getByLabel("Tribunal *");
  if (jsEnabled(testInfo)) {
    await tribunal.fill("proximité de calais");
    await page.getByRole("option", { name: CALAIS }).click();
  } else {
    await tribunal.fill(CALAIS);
  }
  await page.getByLabel("Identifiant désiré").fill(identifiant);
  await page.getByLabel("Mot de passe désiré").fill(GOOD_PASSWORD);
  await page.getByLabel("Confirmation du mot de passe").fill(GOOD_PASSWORD);
  await page.getByLabel("Nom *", { exact: true }).fill("Lefort");
  await page.getByLabel("Prénom").fill("Thomas");
  await page.getByRole("radio", { name: "Homme" }).check();
  await page.getByLabel("Adresse email").fill(`${identifiant}@justice.fr`);
  await page.getByRole("button", { name: "Créer mon compte" }).click();
  await expect(page).toHaveURL(/\/inscription\/confirmation$/);
  // The admin finds him under "Greffiers", then validates him.
  const list = (await (await admin.get(`/admin/utilisateurs?onglet=en-attente&type_compte=greffier&q=${identifiant}`)).text()).replace(/<!>/g, "");
  expect(list).toContain(identifiant);
  expect(list).toContain("Greffier");
  await setActive(admin, identifiant, true);
  await admin.dispose();
  await open(page, testInfo, "/connexion");
  await logIn(page, identifiant, GOOD_PASSWORD);
  await expect(page).toHaveURL(/\/magistrat\/mandataires$/);
  if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await checkPage(page, testInfo);
  await expect(page.getByText(`Thomas Lefort (Greffier) – ${CALAIS}`)).toBeVisible();
  // A reservation for the préposé, from the list's link.
  await open(page, testInfo, `/magistrat/mandataires?nom=${encodeURIComponent("Claire")}&type_mandataire=prepose`);
  await page.getByRole("link", { name: new RegExp(`^Réserver une mesure pour Claire Dupont`) }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Réserver une mesure");
  if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByLabel("Type de mesure *").selectOption({ label: "Tutelle" });
  await page.getByRole("group", { name: "Genre du majeur *" }).getByLabel("Femme").check();
  await page.getByLabel("Année de naissance du majeur *").fill("1944");
  await page.getByRole("button", { name: "Valider" }).click();
  await expect(page).toHaveURL(/\/magistrat\/mesures$/);
  await expect(page.locator('div.notice[role="status"]')).toHaveText("L'attribution de mesure a bien été envoyée.");
  await expect(page.locator("table tbody tr").first()).toContainText("Thomas Lefort (Greffier)");
  // The mandataire pages stay closed to him.
  const response = await page.goto("/mandataire/mesures");
  expect(response?.status()).toBe(403);
});
