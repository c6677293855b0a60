// The e2e config on its own port and data directory, so one spec can run while someone else's run uses the default
// port and tests/.tmp/e2e-data. Run with E2E_KEEP_DATA=1 (the base config must not wipe the shared directory):
//   E2E_KEEP_DATA=1 E2E_PORT=3290 npx playwright test -c tests/e2e/support/isolated.config.ts tests/e2e/detection.spec.ts
// E2E_TEST_DIR points it at another folder of specs (e.g. throwaway screenshot scripts).
import { rmSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import base from "../../../playwright.config";

const root = path.resolve(import.meta.dirname, "../../..");
const port = Number(process.env.E2E_PORT ?? 3210);
const dataDir = path.join(root, `tests/.tmp/e2e-data-${port}`);
if (!process.env.E2E_ISOLATED_STARTED) {
  rmSync(dataDir, { recursive: true, force: true });
  process.env.E2E_ISOLATED_STARTED = "1";
}
const server = Array.isArray(base.webServer) ? base.webServer[0]! : base.webServer!;

export default defineConfig({
  ...base,
  testDir: process.env.E2E_TEST_DIR ?? path.join(root, "tests/e2e"),
  globalSetup: path.join(root, "tests/e2e/global-setup.ts"),
  webServer: { ...server, cwd: root, env: { ...server.env, DATA_DIR: dataDir } },
});
