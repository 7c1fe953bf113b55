import { expect, type Page, type TestInfo } from "@playwright/test";
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
  await checkPage(page);
  return response;
}

/** What every page must have (SPEC §2), and no serious or critical axe-core violation. */
export async function checkPage(page: Page) {
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.locator("h1")).toHaveCount(1);
  await expect(page).toHaveTitle(/ – e-MJPM$/);
  await expect(page.getByRole("link", { name: "Aller au contenu" })).toHaveAttribute("href", "#contenu");
  await expect(page.locator("main#contenu")).toHaveCount(1);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}
