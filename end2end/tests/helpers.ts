import { expect, type BrowserContext, type Page, type TestInfo } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

export function jsEnabled(testInfo: TestInfo): boolean {
  return testInfo.project.name === "javascript";
}

/** Opens a page and, with JavaScript, waits until the wasm has hydrated it (clicks before are lost). */
export async function open(page: Page, testInfo: TestInfo, path: string) {
  const response = await page.goto(path);
  if (jsEnabled(testInfo)) {
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  } else {
    await expect(page.locator("body")).not.toHaveAttribute("data-hydrated", "true");
  }
  await checkPage(page, testInfo);
  return response;
}

/** What every page must have (SPEC §2), and no serious or critical axe-core violation. */
export async function checkPage(page: Page, testInfo: TestInfo) {
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.locator("h1")).toHaveCount(1);
  await expect(page).toHaveTitle(/ – e-MJPM$/);
  await expect(page.getByRole("link", { name: "Aller au contenu" })).toHaveAttribute("href", "#contenu");
  await expect(page.locator("main#contenu")).toHaveCount(1);
  await expectNoSeriousAxeViolation(page, testInfo);
}

/**
 * axe-core runs as JavaScript inside the page. Without JavaScript, the page as the user sees it is copied
 * into a JavaScript-enabled page of the same origin (so that its stylesheet applies) whose own scripts are
 * blocked (so that it is not hydrated), and analysed there.
 */
async function expectNoSeriousAxeViolation(page: Page, testInfo: TestInfo) {
  let target = page;
  let copyContext: BrowserContext | undefined;
  if (!jsEnabled(testInfo)) {
    const html = await page.content();
    copyContext = await page.context().browser()!.newContext({ baseURL: testInfo.project.use.baseURL, javaScriptEnabled: true });
    target = await copyContext.newPage();
    await target.route(/\/pkg\/.*\.(js|wasm)$/, (route) => route.abort());
    await target.goto("/sante");
    await target.setContent(html, { waitUntil: "load" });
  }
  try {
    const results = await new AxeBuilder({ page: target }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
  } finally {
    await copyContext?.close();
  }
}
