import { expect, type APIRequestContext, type Page, type TestInfo } from "@playwright/test";

export const ADMIN_LOGIN = process.env.EMJPM_ADMIN_LOGIN ?? "admin";
export const ADMIN_PASSWORD = process.env.EMJPM_ADMIN_PASSWORD ?? "Tribunal-62100";
export const GOOD_PASSWORD = "Calais-Mandataire-2026";
const baseURL = process.env.EMJPM_BASE_URL ?? "http://127.0.0.1:3000";

let counter = 0;
/** A name unique to this run, test and project (the suite runs twice on one database). */
export function unique(testInfo: TestInfo, stem: string): string {
  counter += 1;
  const project = testInfo.project.name === "javascript" ? "js" : "nojs";
  return `${stem}.${project}.${Date.now().toString(36)}${counter}`;
}

/**
 * Each test comes from its own address (the server trusts X-Forwarded-For in the suite), so that the per-address
 * limits of one test never spill over another.
 */
export async function ownAddress(page: Page) {
  const n = Math.floor(Math.random() * 250) + 1;
  const m = Math.floor(Math.random() * 250) + 1;
  await page.setExtraHTTPHeaders({ "X-Forwarded-For": `10.${n}.${m}.${(counter++ % 250) + 1}` });
}

/** Headers of a plain form post from the app's own pages. */
export function formHeaders(ip?: string): Record<string, string> {
  return {
    Origin: new URL(baseURL).origin,
    Accept: "text/html",
    "Content-Type": "application/x-www-form-urlencoded",
    ...(ip ? { "X-Forwarded-For": ip } : {}),
  };
}

/** Posts a form as a browser without JavaScript would; returns the response (redirects not followed). */
export async function postForm(request: APIRequestContext, path: string, fields: [string, string][], ip?: string) {
  const body = fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
  return request.post(path, { headers: formHeaders(ip), data: body, maxRedirects: 0 });
}

export interface Mandataire {
  identifiant: string;
  email: string;
  password: string;
}

/** Signs a préposé of the Tribunal de proximité de Calais up through the form's server function. */
export async function signUpPrepose(request: APIRequestContext, testInfo: TestInfo, stem = "prepose"): Promise<Mandataire> {
  const identifiant = unique(testInfo, stem);
  const email = `${identifiant}@exemple.fr`;
  const tribunal = await tribunalId(request, "Tribunal de proximité de Calais");
  const response = await postForm(
    request,
    "/api/inscription",
    [
      ["tribunaux[]", tribunal],
      ["type_mandataire", "prepose"],
      ["identifiant", identifiant],
      ["mot_de_passe", GOOD_PASSWORD],
      ["confirmation", GOOD_PASSWORD],
      ["nom", "Dupont"],
      ["prenom", "Claire"],
      ["genre", "F"],
      ["adresse", "1 rue Royale"],
      ["code_postal", "62100"],
      ["commune", "Calais"],
      ["telephone", "03 21 00 00 00"],
      ["email", email],
      ["mesures_souhaitees", "30"],
    ],
    randomIp(),
  );
  expect(response.status()).toBe(302);
  expect(response.headers()["location"]).toBe("/inscription/confirmation");
  return { identifiant, email, password: GOOD_PASSWORD };
}

export function randomIp(): string {
  return `10.200.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;
}

export async function tribunalId(request: APIRequestContext, name: string): Promise<string> {
  const found = await (await request.get(`/api/autocomplete/tribunaux?q=${encodeURIComponent(name)}`)).json();
  const match = found.find((t: { label: string }) => t.label === name);
  expect(match, name).toBeTruthy();
  return match.id;
}

/** Logs the admin in a fresh API context (its own cookie jar). */
export async function adminRequest(playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } }) {
  const admin = await playwright.request.newContext({ baseURL });
  const response = await postForm(admin, "/api/connexion", [
    ["identifiant", ADMIN_LOGIN],
    ["mot_de_passe", ADMIN_PASSWORD],
    ["retour", ""],
  ], randomIp());
  expect(response.status()).toBe(302);
  expect(response.headers()["location"]).toBe("/admin/utilisateurs");
  return admin;
}

/** The admin page id of an account, found by its identifiant. */
export async function userId(admin: APIRequestContext, identifiant: string): Promise<string> {
  for (const onglet of ["en-attente", "actifs"]) {
    const html = (await (await admin.get(`/admin/utilisateurs?onglet=${onglet}&q=${encodeURIComponent(identifiant)}`)).text()).replace(/<!>/g, "");
    // The row whose "Identifiant" cell is exactly this one: a search for "admin" also lists admin.2fa.js.
    const row = html.split("<tr").find((r) => r.includes(`<td>${identifiant}</td>`));
    const match = row?.match(/href="\/admin\/utilisateurs\/(\d+)"/);
    if (match) return match[1];
  }
  throw new Error(`compte ${identifiant} introuvable`);
}

export async function setActive(admin: APIRequestContext, identifiant: string, active: boolean) {
  const id = await userId(admin, identifiant);
  const response = await postForm(admin, "/api/admin/utilisateurs/statut", [
    ["id", id],
    ["activer", String(active)],
    ["retour", "/admin/utilisateurs"],
  ]);
  expect(response.status()).toBe(302);
}

/** The e-mails of the outbox for a recipient, newest first, as the admin's "Courriels envoyés" lists them. */
export async function outboxFor(admin: APIRequestContext, recipient: string): Promise<{ id: string; subject: string }[]> {
  // The list is paged (50 a page): the 10 newest pages, as far as the other tests' e-mails may push one.
  const found: { id: string; subject: string }[] = [];
  for (let page = 1; page <= 10; page++) {
    const html = (await (await admin.get(`/admin/courriels?page=${page}`)).text()).replace(/<!>/g, "");
    const rows = [...html.matchAll(/<tr><td>[^<]*<\/td><td>([^<]*)<\/td><th scope="row"><a href="\/admin\/courriels\/(\d+)">([^<]*)<\/a>/g)];
    found.push(...rows.filter((r) => r[1] === recipient).map((r) => ({ id: r[2], subject: decode(r[3]) })));
    if (!html.includes(`/admin/courriels?page=${page + 1}`)) break;
  }
  return found;
}

export async function emailText(admin: APIRequestContext, id: string): Promise<string> {
  const html = (await (await admin.get(`/admin/courriels/${id}`)).text()).replace(/<!>/g, "");
  const match = html.match(/<pre class="email-text">([\s\S]*?)<\/pre>/);
  return decode(match ? match[1] : "");
}

function decode(text: string): string {
  return text
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** Logs in through the page, as the user would. */
export async function logIn(page: Page, login: string, password: string) {
  await page.getByLabel("Identifiant ou adresse email").fill(login);
  await page.getByLabel("Mot de passe *", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Me connecter" }).click();
}

/** Signs a magistrat (or, with `fonction`, a greffier) of `tribunal` up through the form's server function and
 * activates the account; returns its identifiant (the password is GOOD_PASSWORD). */
export async function signUpMagistrat(
  request: APIRequestContext,
  playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } },
  testInfo: TestInfo,
  tribunal: string,
  stem = "magistrat",
  fonction = "magistrat",
): Promise<string> {
  const identifiant = unique(testInfo, stem);
  const response = await postForm(request, "/api/inscription/magistrat", [
    ["fonction", fonction], ["tribunal", tribunal], ["tribunal_id", await tribunalId(request, tribunal)], ["cabinet", "3"],
    ["identifiant", identifiant], ["mot_de_passe", GOOD_PASSWORD], ["confirmation", GOOD_PASSWORD],
    ["nom", "Martin"], ["prenom", "Marie"], ["genre", "F"], ["email", `${identifiant}@exemple.fr`],
  ], randomIp());
  expect(response.status()).toBe(302);
  const admin = await adminRequest(playwright);
  await setActive(admin, identifiant, true);
  await admin.dispose();
  return identifiant;
}
