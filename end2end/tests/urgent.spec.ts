import { expect, test, type Browser, type TestInfo } from "@playwright/test";
import { checkPage, jsEnabled, open } from "./helpers";
import { adminRequest, GOOD_PASSWORD, logIn, outboxFor, randomIp, setActive, signUpMagistrat, signUpPrepose, userId } from "./accounts";

// Issue 18, urgent reservations, JavaScript on and off: "Oui, c'est une demande urgente" and "Date
// prévisionnelle du jugement" (a past date refused, values kept), the urgent e-mail, the "Urgente" badge
// first in the mandataire's "Mesures en attente" and in the tribunal's "Mesures réservées".

const CALAIS = "Tribunal de proximité de Calais";

async function logged(browser: Browser, testInfo: TestInfo, identifiant: string, password: string) {
  const context = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo), extraHTTPHeaders: { "X-Forwarded-For": randomIp() } });
  const page = await context.newPage();
  await page.goto("/connexion");
  await logIn(page, identifiant, password);
  await expect(page).not.toHaveURL(/\/connexion/);
  return page;
}

test("an urgent reservation with its judgment date reaches the mandataire first and by an urgent e-mail", async ({ page, browser, request, playwright }, testInfo) => {
  const a = await signUpPrepose(request, testInfo, "urgence");
  const admin = await adminRequest(playwright);
  await setActive(admin, a.identifiant, true);
  const aId = await userId(admin, a.identifiant);
  const juge = await signUpMagistrat(request, playwright, testInfo, CALAIS, "juge-urgence");
  await open(page, testInfo, "/connexion");
  await logIn(page, juge, GOOD_PASSWORD);
  await expect(page).toHaveURL(/\/magistrat\/mandataires$/);
  // A first, ordinary reservation.
  const reserve = async (urgent: boolean, date: string) => {
    await open(page, testInfo, `/magistrat/mandataires/${aId}/reserver`);
    await page.getByLabel("Type de mesure *").selectOption({ label: urgent ? "Curatelle renforcée" : "Tutelle" });
    await page.getByRole("group", { name: "Genre du majeur *" }).getByLabel("Femme").check();
    await page.getByLabel("Année de naissance du majeur *").fill("1950");
    await page.getByLabel("Date prévisionnelle du jugement").fill(date);
    if (urgent) await page.getByLabel("Oui, c'est une demande urgente").check();
    await page.getByRole("button", { name: "Valider" }).click();
  };
  await reserve(false, "");
  await expect(page).toHaveURL(/\/magistrat\/mesures$/);
  // Urgent, with a judgment date in the past: refused, every value kept.
  await reserve(true, "01/01/2020");
  if (jsEnabled(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.locator("#date_jugement-erreur")).toHaveText("La date prévisionnelle du jugement ne peut pas être dans le passé.");
  await expect(page.getByLabel("Date prévisionnelle du jugement")).toHaveValue("01/01/2020");
  await expect(page.getByLabel("Oui, c'est une demande urgente")).toBeChecked();
  await checkPage(page, testInfo);
  await page.getByLabel("Date prévisionnelle du jugement").fill("15/03/2099");
  await page.getByRole("button", { name: "Valider" }).click();
  await expect(page).toHaveURL(/\/magistrat\/mesures$/);
  const first = page.locator("table tbody tr").first();
  await expect(first).toContainText("Urgente");
  await expect(first).toContainText("Jugement prévu le 15/03/2099");
  // The urgent e-mail.
  const mails = await outboxFor(admin, a.email);
  expect(mails.map((m) => m.subject)).toContain("e-MJPM : une nouvelle mesure urgente vous a été attribuée");
  expect(mails.map((m) => m.subject)).toContain("e-MJPM : une nouvelle mesure vous a été attribuée");
  await admin.dispose();
  // The mandataire: the urgent one first.
  const mandataire = await logged(browser, testInfo, a.identifiant, a.password);
  await mandataire.goto("/mandataire/mesures/en-attente");
  const rows = mandataire.locator("table tbody tr");
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText("Curatelle renforcée");
  await expect(rows.first()).toContainText("Urgente");
  await expect(rows.first()).toContainText("Jugement prévu le 15/03/2099");
  await expect(rows.nth(1)).toContainText("Non");
  await mandataire.context().close();
});
