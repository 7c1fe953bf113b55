import { expect, test, type Browser, type TestInfo } from "@playwright/test";
import { writeFileSync } from "node:fs";
import { checkPage, jsEnabled, open } from "./helpers";
import { adminRequest, emailText, GOOD_PASSWORD, logIn, outboxFor, randomIp, setActive, signUpMagistrat, signUpPrepose, userId } from "./accounts";

// Issue 18, reservations that wait too long, JavaScript on and off, with a clock the test controls: scripts/e2e.sh
// starts the server a last time with `--horloge-de-test <file>` (and the default delay of 60 days) and runs this
// file alone with EMJPM_CLOCK_FILE; the main run skips it. Writing a number of seconds into the file moves the
// server's clock (read again every second); the periodic jobs look at that clock every second.

const CLOCK = process.env.EMJPM_CLOCK_FILE;
const CALAIS = "Tribunal de proximité de Calais";
const DAY = 86_400;
const REMINDER = "e-MJPM : une réservation attend toujours la réponse du mandataire";

test.skip(!CLOCK, "needs the server started with --horloge-de-test (scripts/e2e.sh, last phase)");

/** Moves the server's clock `days` ahead of the real time, and waits until the server has read it. */
async function clockAt(days: number) {
  writeFileSync(CLOCK!, `${days * DAY}\n`);
  await new Promise((resolve) => setTimeout(resolve, 2_500));
}

async function logged(browser: Browser, testInfo: TestInfo, identifiant: string, password: string) {
  const context = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo), extraHTTPHeaders: { "X-Forwarded-For": randomIp() } });
  const page = await context.newPage();
  await page.goto("/connexion");
  await logIn(page, identifiant, password);
  await expect(page).not.toHaveURL(/\/connexion/);
  return page;
}

test.afterEach(async () => {
  if (CLOCK) await clockAt(0);
});

test("a reservation waiting 60 days is « Ancienne » to both sides; at 120 days its magistrat gets one reminder", async ({ browser, request, playwright }, testInfo) => {
  test.setTimeout(90_000);
  await clockAt(0);
  const a = await signUpPrepose(request, testInfo, "ancienne");
  const admin = await adminRequest(playwright);
  await setActive(admin, a.identifiant, true);
  const aId = await userId(admin, a.identifiant);
  const juge = await signUpMagistrat(request, playwright, testInfo, CALAIS, "juge-ancienne");
  const jugeEmail = `${juge}@exemple.fr`;
  await admin.dispose();
  // A birth year of its own marks this run's reservation among the tribunal's.
  const year = jsEnabled(testInfo) ? "1917" : "1918";

  // Today: a reservation, not old.
  let magistrat = await logged(browser, testInfo, juge, GOOD_PASSWORD);
  await open(magistrat, testInfo, `/magistrat/mandataires/${aId}/reserver`);
  await magistrat.getByLabel("Type de mesure *").selectOption({ label: "Tutelle" });
  await magistrat.getByRole("group", { name: "Genre du majeur *" }).getByLabel("Homme").check();
  await magistrat.getByLabel("Année de naissance du majeur *").fill(year);
  await magistrat.getByRole("button", { name: "Valider" }).click();
  await expect(magistrat).toHaveURL(/\/magistrat\/mesures$/);
  const reserved = magistrat.locator("table tbody tr").filter({ hasText: year });
  await expect(reserved).toHaveCount(1);
  await expect(reserved).not.toContainText("Ancienne");
  await magistrat.context().close();

  // 61 days later (the sessions of today have expired): "Ancienne" on both sides, no reminder yet.
  await clockAt(61);
  magistrat = await logged(browser, testInfo, juge, GOOD_PASSWORD);
  await open(magistrat, testInfo, "/magistrat/mesures");
  await expect(magistrat.locator("table tbody tr").filter({ hasText: year })).toContainText("Ancienne");
  await checkPage(magistrat, testInfo);
  await magistrat.context().close();
  const mandataire = await logged(browser, testInfo, a.identifiant, a.password);
  await open(mandataire, testInfo, "/mandataire/mesures/en-attente");
  await expect(mandataire.locator("table tbody tr").filter({ hasText: year })).toContainText("Ancienne");
  await mandataire.context().close();
  let outbox = await adminRequest(playwright);
  expect((await outboxFor(outbox, jugeEmail)).map((m) => m.subject)).not.toContain(REMINDER);
  await outbox.dispose();

  // 121 days later: the hourly job (it looks every second under the test clock) sends the magistrat one e-mail.
  await clockAt(121);
  outbox = await adminRequest(playwright);
  await expect.poll(async () => (await outboxFor(outbox, jugeEmail)).filter((m) => m.subject === REMINDER).length, { timeout: 15_000 }).toBe(1);
  const reminder = (await outboxFor(outbox, jugeEmail)).find((m) => m.subject === REMINDER)!;
  const text = await emailText(outbox, reminder.id);
  expect(text).toContain("attend toujours la réponse du mandataire");
  expect(text).toContain("Mandataire : Claire Dupont");
  expect(text).toContain("/magistrat/mesures?etat=en_attente");
  await outbox.dispose();

  // A day and more later the job has run again: still one e-mail, and the reservation is still there.
  await clockAt(123);
  outbox = await adminRequest(playwright);
  expect((await outboxFor(outbox, jugeEmail)).filter((m) => m.subject === REMINDER)).toHaveLength(1);
  await outbox.dispose();
  magistrat = await logged(browser, testInfo, juge, GOOD_PASSWORD);
  await open(magistrat, testInfo, "/magistrat/mesures");
  await expect(magistrat.locator("table tbody tr").filter({ hasText: year })).toContainText("Ancienne");
  await magistrat.context().close();
});
