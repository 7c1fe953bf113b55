import { expect, type Page } from "@playwright/test";

export type DemoAccount = { identifiant: string; role: string; password: string };

/** The "Comptes de démonstration" of /connexion, read as a visitor reads them. */
export async function demoAccounts(page: Page): Promise<DemoAccount[]> {
  await page.goto("/connexion");
  const table = page.getByRole("table", { name: "Comptes de démonstration" });
  await expect(table).toBeVisible();
  const rows = table.locator("tbody tr");
  const accounts: DemoAccount[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const cells = rows.nth(i).locator("th, td");
    accounts.push({
      identifiant: (await cells.nth(0).innerText()).trim(),
      role: (await cells.nth(1).innerText()).trim(),
      password: (await cells.nth(2).innerText()).trim(),
    });
  }
  return accounts;
}

export function account(accounts: DemoAccount[], identifiant: string): DemoAccount {
  const found = accounts.find((a) => a.identifiant === identifiant);
  if (!found) throw new Error(`${identifiant} absent des comptes de démonstration`);
  return found;
}
