import { test, expect } from "@playwright/test";
import { checkPage, open } from "../tests/helpers";
import { logIn, ownAddress } from "../tests/accounts";
import { account, demoAccounts } from "./demo";

// SPEC §18 scenario 32: on a data directory made by `emjpm demo`, every demo account reaches its home,
// /connexion lists them, and the guides show their screenshots, all from the binary (offline).
test.skip(!!process.env.EMJPM_SCREENSHOTS, "screenshots only");

const HOMES: [string, string, RegExp, string][] = [
  ["demo-individuel", "Mandataire individuel", /\/mandataire\/mesures$/, "/documentation/individuel"],
  ["demo-prepose", "Mandataire préposé d'établissement", /\/mandataire\/mesures$/, "/documentation/prepose"],
  ["demo-service", "Service mandataire", /\/mandataire\/mesures$/, "/documentation/service"],
  ["demo-magistrat", "Magistrat", /\/magistrat\/mandataires$/, "/documentation/magistrat"],
  ["demo-greffier", "Greffier", /\/magistrat\/mandataires$/, "/documentation/magistrat"],
  ["demo-admin", "Administrateur", /\/admin\/utilisateurs$/, "/documentation/admin"],
];

test.beforeEach(async ({ page }) => {
  await ownAddress(page);
});

test("scenario 32: /connexion lists the demo accounts, each reaches its home and its guide", async ({ page }, testInfo) => {
  await open(page, testInfo, "/connexion");
  await expect(page.getByText("Version de démonstration", { exact: true })).toBeVisible();
  const accounts = await demoAccounts(page);
  expect(accounts.map((a) => [a.identifiant, a.role])).toEqual(HOMES.map(([id, role]) => [id, role]));
  for (const [identifiant, , home, guide] of HOMES) {
    await open(page, testInfo, "/connexion");
    await logIn(page, identifiant, account(accounts, identifiant).password);
    await expect(page).toHaveURL(home);
    await checkPage(page, testInfo);
    await expect(page.getByText("Version de démonstration", { exact: true })).toBeVisible();
    // The header's "Aide" opens the guide of the role.
    await expect(page.getByRole("link", { name: "Aide", exact: true })).toHaveAttribute("href", guide);
    await page.getByRole("link", { name: "Aide", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${guide}$`));
    await checkPage(page, testInfo);
    await page.getByRole("button", { name: "Se déconnecter" }).click();
    await expect(page.getByRole("navigation", { name: "Compte" }).getByRole("link", { name: "Se connecter" })).toBeVisible();
  }
});

test("scenario 32: the demo's spaces show its mesures, the stale and the over-capacity mandataire", async ({ page }, testInfo) => {
  const accounts = await demoAccounts(page);
  await open(page, testInfo, "/connexion");
  await logIn(page, "demo-magistrat", account(accounts, "demo-magistrat").password);
  await expect(page).toHaveURL(/\/magistrat\/mandataires$/);
  // Five mandataires and the demo service, listed once with its total (issue 16).
  await expect(page.getByRole("heading", { name: "6 professionnels" })).toBeVisible();
  const rows = page.locator("table tbody tr");
  await expect(rows).toHaveCount(6);
  await expect(page.getByRole("row", { name: /Association tutélaire du Littoral/ })).toContainText("Service");
  // Over capacity: a negative disponibilité; stale: the 30-day warning.
  await expect(page.getByRole("row", { name: /Lefebvre/ })).toContainText("-5");
  await expect(page.getByRole("row", { name: /Bernard/ })).toContainText("Dernière mise à jour des données datant de plus de 30 jours.");
  await expect(page.getByText("Dernière mise à jour des données datant de plus de 30 jours.")).toHaveCount(1);
  // The service's fiche lists its two antennes with their own figures.
  await page.getByRole("link", { name: "Association tutélaire du Littoral (démo)", exact: true }).click();
  await checkPage(page, testInfo);
  const antennes = page.getByRole("table", { name: "Antennes du service et leur disponibilité" });
  await expect(antennes.getByRole("row", { name: /Antenne Nord/ })).toBeVisible();
  await expect(antennes.getByRole("row", { name: /Antenne Sud/ })).toBeVisible();
  await open(page, testInfo, "/magistrat/mesures?etat=en_attente");
  await expect(page.locator("table tbody tr")).toHaveCount(7);
});

test("scenario 32: /documentation/prepose from « S'inscrire » to « Nous contacter », with its screenshots, offline", async ({ page }, testInfo) => {
  const outside: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).origin !== new URL(testInfo.project.use.baseURL!).origin) outside.push(request.url());
  });
  await open(page, testInfo, "/documentation");
  for (const title of [
    "Guide d'utilisation pour les MJPM Préposés",
    "Guide d'utilisation pour les MJPM Individuels",
    "Guide d'utilisation pour les services mandataires",
    "Guide d'utilisation pour les magistrats",
    "Guide d'utilisation pour les administrateurs",
  ]) {
    await expect(page.getByRole("link", { name: title })).toBeVisible();
  }
  await page.getByRole("link", { name: "Guide d'utilisation pour les MJPM Préposés" }).click();
  await expect(page).toHaveURL(/\/documentation\/prepose$/);
  await checkPage(page, testInfo);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Guide d'utilisation pour les MJPM Préposés");
  await expect(page.getByRole("link", { name: "< Revenir à l'accueil" })).toHaveAttribute("href", "/documentation");
  const sommaire = page.getByRole("navigation", { name: "Sommaire" });
  const sections = ["S'inscrire", "Se connecter", "Se deconnecter", "Première connexion", "Enregistrer vos mesures",
    "Modifier une mesure en cours", "Mettre fin à une mesure en cours", "Mesures en attente",
    "Voir la géolocalisation de mes mesures", "Mot de passe oublié", "Nous contacter"];
  for (const section of sections) {
    await expect(sommaire.getByRole("link", { name: section, exact: true })).toBeVisible();
    await expect(page.getByRole("heading", { name: section, exact: true })).toHaveCount(1);
  }
  // A link of the Sommaire leads to its section.
  await sommaire.getByRole("link", { name: "Nous contacter", exact: true }).click();
  await expect(page).toHaveURL(/#nous-contacter$/);
  // Every screenshot has a text alternative and is served by the binary.
  const images = page.locator(".guide-body img");
  expect(await images.count()).toBeGreaterThanOrEqual(10);
  for (let i = 0; i < (await images.count()); i++) {
    const image = images.nth(i);
    expect((await image.getAttribute("alt"))?.length ?? 0).toBeGreaterThan(10);
    const src = (await image.getAttribute("src"))!;
    expect(src).toMatch(/^\/documentation\/images\/[a-z0-9-]+\.png$/);
    const response = await page.request.get(src);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("image/png");
    await image.scrollIntoViewIfNeeded();
    expect(await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  }
  for (const guide of ["individuel", "service", "magistrat", "admin"]) {
    await open(page, testInfo, `/documentation/${guide}`);
    await expect(page.getByRole("navigation", { name: "Sommaire" })).toBeVisible();
  }
  expect(outside).toEqual([]);
  const missing = await page.request.get("/documentation/inconnu");
  expect(missing.status()).toBe(404);
});
