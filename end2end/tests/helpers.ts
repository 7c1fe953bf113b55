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
  await expectReflowAt320(page);
}

/**
 * RGAA 10.11 (WCAG 1.4.10, issue 18): at 320 CSS pixels wide the document never scrolls sideways; a wide
 * table scrolls inside its own region. The viewport is narrowed, measured, then put back.
 */
async function expectReflowAt320(page: Page) {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 320, height: before?.height ?? 800 });
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.scrollWidth;
    if (width <= window.innerWidth + 1) return null;
    const widest = Array.from(document.querySelectorAll("body *"))
      .map((el) => ({ el, right: el.getBoundingClientRect().right }))
      .sort((a, b) => b.right - a.right)[0];
    return `${location.pathname} is ${width} px wide at 320 px (widest: <${widest?.el.tagName.toLowerCase()} class="${(widest?.el as HTMLElement)?.className}">)`;
  });
  if (before) await page.setViewportSize(before);
  expect(overflow, "the page reflows at 320 px").toBeNull();
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
