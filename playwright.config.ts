import { rmSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "@playwright/test";

// E2E runs in Debian's Chromium (PLATFORM.md: Playwright's own browser download cannot work here)
// against the real server on a fresh embedded database.
const PORT = Number(process.env.E2E_PORT ?? 3210);
const dataDir = path.resolve(import.meta.dirname, "tests/.tmp/e2e-data");
if (!process.env.E2E_KEEP_DATA && !process.env.PLAYWRIGHT_WORKER) rmSync(dataDir, { recursive: true, force: true });
process.env.PLAYWRIGHT_WORKER = "1";

export const E2E_ADMIN = { email: "admin@e2e.argus.test", password: "e2e-admin-password-123" };

/** Debian Chromium and the flags every spec launches it with (live-video.spec.ts adds the fake camera). */
export const CHROMIUM_EXECUTABLE = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export default defineConfig({
  testDir: "tests/e2e",
  globalSetup: "./tests/e2e/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    launchOptions: { executablePath: CHROMIUM_EXECUTABLE, args: CHROMIUM_ARGS },
  },
  webServer: {
    command: "node --import tsx server.ts",
    url: `http://127.0.0.1:${PORT}/readyz`,
    timeout: 90_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      NODE_ENV: "production",
      PORT: String(PORT),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      ADMIN_EMAIL: E2E_ADMIN.email,
      ADMIN_PASSWORD: E2E_ADMIN.password,
      LOG_LEVEL: "warn",
      LOGIN_MAX_ATTEMPTS: "50",
      // The local worker's heartbeats carry what it decodes (C4): every 2 s, so specs see it soon.
      WORKER_HEARTBEAT_MS: "2000",
      DEMO_CAMERA: "false",
      // Earlier specs' cameras fail over to the local worker: room enough that the live-video spec's camera fits.
      LOCAL_WORKER_CAPACITY: "16",
    },
  },
});
