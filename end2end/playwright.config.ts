import { defineConfig } from "@playwright/test";

// The server is started by scripts/e2e.sh: the release binary, copied alone into an empty folder.
const baseURL = process.env.EMJPM_BASE_URL ?? "http://127.0.0.1:3000";

// Debian's Chromium (Playwright cannot download its own browser here). Running as root needs --no-sandbox;
// the network flags keep Chromium from calling home on a closed network.
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: "test-results/results.json" }]],
  use: { baseURL, locale: "fr-FR", launchOptions, trace: "off" },
  projects: [
    { name: "javascript", use: { javaScriptEnabled: true } },
    { name: "sans-javascript", use: { javaScriptEnabled: false } },
  ],
});
