import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

// The demo suite (SPEC §18 scenario 32) and the guides' screenshots (`make screenshots`): against a server
// whose data directory was made by `emjpm demo` (scripts/e2e.sh, scripts/screenshots.sh).
export default defineConfig({
  ...base,
  testDir: "./demo",
  outputDir: "test-results-demo",
  timeout: 120_000,
  reporter: [["list"], ["json", { outputFile: "test-results-demo/results.json" }]],
});
