import { test, expect, type Locator, type Page } from "@playwright/test";
import { logIn } from "../tests/accounts";
import { account, demoAccounts, type DemoAccount } from "./demo";

// `make screenshots`: the screens the guides show, captured from the real product on the demo data
// (scripts/screenshots.sh starts `emjpm demo` and the server, and sets EMJPM_SCREENSHOTS to guides/images).
const folder = process.env.EMJPM_SCREENSHOTS;
test.skip(!folder, "make screenshots only");
test.use({ viewport: { width: 1100, height: 860 }, javaScriptEnabled: true });
test.describe.configure({ mode: "serial" });

let accounts: DemoAccount[] = [];

/** One PNG of guides/images: the viewport, or one part of the page. */
async function shot(page: Page, name: string, part?: Locator) {
  const path = `${folder}/${name}.png`;
  // No focus ring nor caret of the last field typed in.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.evaluate(() => document.fonts.ready);
  if (part) await part.screenshot({ path, animations: "disabled", caret: "hide" });
  else await page.screenshot({ path, animations: "disabled", caret: "hide" });
}

async function hydrated(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

async function signIn(page: Page, identifiant: string) {
  await hydrated(page, "/connexion");
  await logIn(page, identifiant, account(accounts, identifiant).password);
  await expect(page).not.toHaveURL(/\/connexion/);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  accounts = await demoAccounts(page);
  await page.close();
});

test("visitor: sign-up, log-in, forgotten password", async ({ page }) => {
  await hydrated(page, "/inscription");
  await page.locator("summary", { hasText: "Hauts-de-France" }).click();
  await page.getByRole("checkbox", { name: /Tribunal de proximité de Calais/ }).check();
  await page.getByRole("radio", { name: "Préposé" }).check();
  await page.getByLabel("Identifiant désiré").fill("c.martin");
  await page.getByLabel("Nom *", { exact: true }).fill("Martin");
  await page.getByLabel("Prénom").fill("Claire");
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, "inscription");
  await page.getByLabel("Identifiant désiré").scrollIntoViewIfNeeded();
  await page.getByRole("button", { name: "Créer mon compte" }).scrollIntoViewIfNeeded();
  await shot(page, "inscription-bas");
  await hydrated(page, "/inscription/magistrat");
  await shot(page, "inscription-magistrat");
  await hydrated(page, "/");
  await shot(page, "accueil");
  await hydrated(page, "/connexion");
  await page.getByLabel("Identifiant ou adresse email").fill("c.martin");
  await shot(page, "connexion", page.locator("main form"));
  await hydrated(page, "/mot-de-passe-oublie");
  await shot(page, "mot-de-passe-oublie", page.locator("main"));
});

test("préposé: mesures, informations, map", async ({ page }) => {
  await signIn(page, "demo-prepose");
  await shot(page, "prepose-mesures-en-cours");
  await shot(page, "en-tete", page.locator("header.site-header"));
  await hydrated(page, "/mandataire/informations");
  await shot(page, "prepose-informations");
  await page.getByRole("heading", { name: "Tribunaux d'Instance où je suis agréé" }).evaluate((h) => h.scrollIntoView({ block: "start" }));
  await shot(page, "prepose-tribunaux");
  await page.getByRole("link", { name: "Modifier mon profil" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Modifier mes informations");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await shot(page, "prepose-modifier-profil");
  await hydrated(page, "/mandataire/informations/etablissements/ajouter");
  const etablissement = page.getByRole("combobox", { name: "Établissement *", exact: true });
  await etablissement.pressSequentially("calais");
  await expect(page.getByRole("option").first()).toBeVisible();
  await shot(page, "prepose-ajouter-etablissement");

  await hydrated(page, "/mandataire/mesures");
  await page.getByRole("link", { name: "Enregistrer une nouvelle mesure" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Enregistrer une nouvelle mesure");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByLabel("Type de mesure *").selectOption({ label: "Curatelle renforcée" });
  await page.getByLabel("Champ de la mesure").selectOption({ label: "Aux biens et à la personne" });
  await page.getByLabel("Code postal *").fill("62100");
  const commune = page.getByRole("combobox", { name: "Commune *", exact: true });
  await commune.fill("Calais");
  await commune.press("Escape");
  await page.getByRole("group", { name: "Genre du majeur *" }).getByLabel("Femme").check();
  await page.getByLabel("Année de naissance du majeur *").fill("1951");
  await page.getByRole("group", { name: "Lieu de vie du majeur *" }).getByLabel("À domicile", { exact: true }).check();
  await page.getByLabel("Numéro de dossier").fill("D-2026-101");
  await shot(page, "mesure-nouvelle", page.locator("main form.form"));
  await page.getByRole("button", { name: "Valider" }).click();
  await expect(page).toHaveURL(/\/mandataire\/mesures$/);
  await expect(page.locator(".notice[role=status]")).toBeVisible();
  await shot(page, "mesure-enregistree");

  await page.getByRole("link", { name: /^Modifier la mesure/ }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Modifier la mesure");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await shot(page, "mesure-modifier");
  await hydrated(page, "/mandataire/mesures");
  await page.getByRole("link", { name: /^Mettre fin au mandat/ }).nth(2).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mettre fin au mandat");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await shot(page, "mesure-fin", page.locator("main"));
  await hydrated(page, "/mandataire/mesures/eteintes");
  await shot(page, "mesures-eteintes");
  await hydrated(page, "/mandataire/mesures/en-attente");
  await shot(page, "mesures-en-attente");
  await page.getByRole("link", { name: /^Accepter la mesure/ }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accepter la mesure");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await shot(page, "mesure-accepter");
  await hydrated(page, "/mandataire/carte");
  await expect(page.locator(".leaflet-marker-icon").first()).toBeVisible();
  await shot(page, "mandataire-carte");
  await hydrated(page, "/compte/mot-de-passe");
  await shot(page, "changer-mot-de-passe", page.locator("main"));

  // Issue 17: search, delete, "Mes données sont à jour", suspension, refusal.
  await hydrated(page, "/mandataire/mesures");
  await page.getByRole("searchbox", { name: "Rechercher une mesure" }).fill("calais");
  await page.getByRole("button", { name: "Rechercher" }).click();
  await expect(page).toHaveURL(/recherche=calais/);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await shot(page, "mesures-recherche");
  await page.getByRole("link", { name: /^Supprimer la mesure/ }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Supprimer la mesure");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await shot(page, "mesure-supprimer", page.locator("main"));
  await shot(page, "donnees-a-jour", page.locator(".space-summary"));
  await hydrated(page, "/mandataire/activite/suspendre");
  await page.getByLabel("Motif", { exact: true }).fill("Congé jusqu'au 15 mars");
  await shot(page, "activite-suspendre", page.locator("main"));
  await hydrated(page, "/mandataire/mesures/en-attente");
  await page.getByRole("link", { name: /^Refuser la mesure/ }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Refuser la mesure");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByLabel("Motif du refus *", { exact: true }).fill("Capacité atteinte ce mois-ci");
  await shot(page, "mesure-refuser", page.locator("main"));

  // Issue 17: "Importer", a file with errors, then a good one's preview (abandoned: the demo stays as it is).
  await hydrated(page, "/mandataire/import");
  await shot(page, "import-fichier");
  const header = "Date décision;Type;Champ;Code postal;Commune;Genre;Année naissance;Lieu de vie;FINESS;Numéro dossier;Numéro RG;Tribunal";
  const choose = async (rows: string[]) => {
    await page.getByLabel("Fichier (CSV ou Excel .xlsx) *", { exact: true }).setInputFiles({
      name: "mes-mesures.csv", mimeType: "text/csv", buffer: Buffer.from([header, ...rows, ""].join("\r\n")),
    });
    await page.getByRole("button", { name: "Vérifier le fichier" }).click();
    await expect(page).toHaveURL(/\/mandataire\/import$/);
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  };
  await choose([
    "12/01/2025;Tutelle;Aux biens;62100;Calais;Femme;1950;À domicile;;IMP-2025-01;;",
    "31/02/2025;Curatelle renforcée;;62100;Calais;Homme;1962;À domicile;;IMP-2025-02;;",
    "03/03/2025;Tutelle des biens;;62100;Calais;X;1944;À domicile;;IMP-2025-03;;",
  ]);
  await expect(page.getByRole("alert")).toBeVisible();
  await shot(page, "import-erreurs", page.locator("main"));
  await choose([
    "12/01/2025;Tutelle;Aux biens;62100;Calais;Femme;1950;À domicile;;IMP-2025-01;25/00101;",
    "28/02/2025;Curatelle renforcée aux biens et à la personne;;62200;Boulogne-sur-Mer;Homme;1962;SDF;;IMP-2025-02;;",
    "03/03/2025;Sauvegarde de justice;;62100;Calais;Femme;1944;À domicile;;IMP-2025-03;25/00103;",
  ]);
  await expect(page.getByRole("button", { name: "Importer", exact: true })).toBeVisible();
  await shot(page, "import-apercu", page.locator("main"));
  await page.getByRole("button", { name: "Abandonner" }).click();
  await expect(page.locator(".notice[role=status]")).toBeVisible();
});

test("individuel: mesures and informations", async ({ page }) => {
  await signIn(page, "demo-individuel");
  await shot(page, "individuel-mesures-en-cours");
  await hydrated(page, "/mandataire/informations");
  await shot(page, "individuel-informations");
});

test("service: sign-up, mesures, antennes, members, informations, the magistrat's fiche", async ({ page }) => {
  await hydrated(page, "/inscription");
  await page.getByRole("radio", { name: "Service mandataire" }).check();
  await page.getByLabel("Nom du service", { exact: true }).fill("Association tutélaire de la Côte d'Opale");
  await page.getByLabel("SIRET", { exact: true }).fill("732 829 320 00074");
  const fieldset = page.getByRole("group", { name: "Service mandataire (services uniquement)" });
  await shot(page, "service-inscription", fieldset);

  await signIn(page, "demo-service");
  await shot(page, "service-mesures-en-cours");
  await hydrated(page, "/mandataire/antennes");
  await shot(page, "service-antennes");
  await page.getByRole("link", { name: "Ajouter une antenne" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ajouter une antenne");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByLabel("Nom de l'antenne *", { exact: true }).fill("Antenne Ouest");
  await page.getByLabel("Adresse *", { exact: true }).fill("8 rue de la Tour");
  await page.getByLabel("Code postal *", { exact: true }).fill("62200");
  const commune = page.getByRole("combobox", { name: "Commune *", exact: true });
  await commune.fill("Boulogne-sur-Mer");
  await commune.press("Escape");
  await page.getByLabel("Contact", { exact: true }).fill("Mme Lefort");
  await page.getByLabel("Téléphone *", { exact: true }).fill("03 21 00 00 30");
  await page.getByLabel("Adresse email", { exact: true }).fill("ouest@exemple.fr");
  await page.getByLabel("Nombre de mesures souhaitées *", { exact: true }).fill("12");
  await shot(page, "service-antenne-nouvelle", page.locator("main form.form"));
  await hydrated(page, "/mandataire/membres");
  await page.getByRole("textbox", { name: "Adresse email *", exact: true }).fill("l.durand@exemple.fr");
  await page.getByRole("button", { name: "Inviter un membre" }).click();
  await expect(page.locator(".notice[role=status]")).toBeVisible();
  await shot(page, "service-membres");
  await hydrated(page, "/mandataire/mesures/nouvelle");
  await page.getByLabel("Type de mesure *").selectOption({ label: "Tutelle" });
  await page.getByLabel("Code postal *").fill("62100");
  const communeMesure = page.getByRole("combobox", { name: "Commune *", exact: true });
  await communeMesure.fill("Calais");
  await communeMesure.press("Escape");
  await page.getByRole("group", { name: "Genre du majeur *" }).getByLabel("Homme").check();
  await page.getByLabel("Année de naissance du majeur *").fill("1946");
  await page.getByRole("group", { name: "Lieu de vie du majeur *" }).getByLabel("À domicile", { exact: true }).check();
  await page.getByLabel("Antenne", { exact: true }).selectOption({ label: "Antenne Nord" });
  await shot(page, "service-mesure-nouvelle", page.locator("main form.form"));
  await hydrated(page, "/mandataire/informations");
  await shot(page, "service-informations");

  await page.context().clearCookies();
  await signIn(page, "demo-magistrat");
  await page.getByLabel("Type").selectOption({ label: "Services" });
  await page.getByRole("button", { name: "Rechercher" }).click();
  await page.getByRole("link", { name: /Association tutélaire du Littoral/ }).first().click();
  await expect(page.getByRole("table", { name: "Antennes du service et leur disponibilité" })).toBeVisible();
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByRole("heading", { name: "Antennes", exact: true }).evaluate((h) => h.scrollIntoView({ block: "center" }));
  await shot(page, "service-fiche-magistrat");
});

test("magistrat: mandataires, fiche, reservation, map, informations", async ({ page }) => {
  await signIn(page, "demo-magistrat");
  await shot(page, "magistrat-mandataires");
  await page.getByLabel("Type").selectOption({ label: "Préposés" });
  await page.getByRole("button", { name: "Rechercher" }).click();
  await expect(page.getByRole("heading", { name: "2 professionnels" })).toBeVisible();
  await shot(page, "magistrat-filtres", page.locator("main form").first());
  await hydrated(page, "/magistrat/mandataires");
  await page.getByRole("link", { name: "Marchand Julien", exact: true }).or(page.getByRole("link", { name: "Julien Marchand", exact: true })).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Marchand");
  await shot(page, "magistrat-fiche");
  await page.getByRole("link", { name: "Réserver une mesure" }).first().click();
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  const reserveAddress = new URL(page.url()).pathname;
  await page.getByLabel("Type de mesure *").selectOption({ label: "Tutelle" });
  await page.getByRole("group", { name: "Genre du majeur *" }).getByLabel("Homme").check();
  await page.getByLabel("Année de naissance du majeur *").fill("1944");
  await page.getByLabel("Numéro RG").fill("26/00417");
  await shot(page, "magistrat-reserver", page.locator("main"));
  await page.getByRole("button", { name: "Valider" }).click();
  await expect(page).toHaveURL(/\/magistrat\/mesures/);
  await shot(page, "magistrat-mesures-reservees");
  await page.getByRole("link", { name: /^Annuler la réservation/ }).first().click();
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await shot(page, "magistrat-annuler", page.locator("main"));
  // Issue 18: an urgent reservation with its judgment date, then its badge in "Mesures réservées".
  await hydrated(page, reserveAddress);
  await page.getByLabel("Type de mesure *").selectOption({ label: "Curatelle renforcée" });
  await page.getByRole("group", { name: "Genre du majeur *" }).getByLabel("Femme").check();
  await page.getByLabel("Année de naissance du majeur *").fill("1938");
  await page.getByLabel("Date prévisionnelle du jugement").fill("15/03/2027");
  await page.getByLabel("Oui, c'est une demande urgente").check();
  await shot(page, "magistrat-reserver-urgente", page.locator("main"));
  await page.getByRole("button", { name: "Valider" }).click();
  await expect(page).toHaveURL(/\/magistrat\/mesures/);
  await expect(page.locator("table tbody tr").first()).toContainText("Urgente");
  // Issue 18: the list sorted by distance, the notes of a fiche, an urgent reservation.
  await hydrated(page, "/magistrat/mandataires?tri=distance&lieu=62200");
  await expect(page.getByText("Distances à vol d'oiseau depuis 62200.")).toBeVisible();
  await shot(page, "magistrat-tri-distance");
  await page.locator("table tbody th a").first().click();
  await expect(page.getByRole("heading", { name: "Notes", exact: true })).toBeVisible();
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByLabel("Ajoutez vos notes :").fill("Joignable le mardi matin ; préfère les mesures proches de Calais.");
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await expect(page.locator(".notice[role=status]")).toBeVisible();
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await shot(page, "magistrat-notes", page.getByRole("region", { name: "Notes" }));
  await hydrated(page, "/magistrat/carte");
  await expect(page.locator(".leaflet-marker-icon").first()).toBeVisible();
  await shot(page, "magistrat-carte");
  await hydrated(page, "/magistrat/informations");
  await shot(page, "magistrat-informations");
});

test("admin: users, tribunaux, établissements, imports, e-mails, journal, backup", async ({ page }) => {
  await signIn(page, "demo-admin");
  await shot(page, "admin-utilisateurs");
  await hydrated(page, "/admin/utilisateurs?onglet=en-attente");
  await expect(page.getByRole("button", { name: /^Activer/ })).toBeVisible();
  await shot(page, "admin-en-attente");
  await hydrated(page, "/admin/utilisateurs");
  await page.getByRole("link", { name: /Marchand/ }).first().click();
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await shot(page, "admin-utilisateur");
  // Issue 19: "Modifier", and "Supprimer le compte" refused while the préposé holds mesures.
  const account = new URL(page.url()).pathname;
  await hydrated(page, `${account}/modifier`);
  await shot(page, "admin-modifier", page.locator("main"));
  await hydrated(page, `${account}/supprimer`);
  await expect(page.getByRole("alert")).toBeVisible();
  await shot(page, "admin-supprimer", page.locator("main"));
  await hydrated(page, "/admin/tribunaux");
  await shot(page, "admin-tribunaux");
  await hydrated(page, "/admin/tribunaux/import");
  await shot(page, "admin-import-tribunaux", page.locator("main"));
  await hydrated(page, "/admin/etablissements");
  await shot(page, "admin-etablissements");
  await hydrated(page, "/admin/courriels");
  await shot(page, "admin-courriels");
  await hydrated(page, "/admin/journal");
  await shot(page, "admin-journal");
  await hydrated(page, "/admin/sauvegarde");
  await shot(page, "admin-sauvegarde");
  // Issue 19: "Mon compte", the enrolment in two-factor login (left unconfirmed).
  await hydrated(page, "/compte/double-authentification");
  await page.getByRole("button", { name: "Activer la double authentification" }).click();
  await expect(page.locator(".qr-code svg")).toBeVisible();
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await shot(page, "admin-double-authentification", page.locator("main"));
});
