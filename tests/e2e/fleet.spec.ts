// Worker fleet in the browser (SPEC A1-A4, W8, W11): issue a credential in the UI, start a real worker
// with it and watch it appear live; assign a camera round-robin and to a chosen worker (pending, then
// active); SIGKILL the worker and watch it go OFFLINE and the camera move. Pending is made observable
// by pausing the worker process (SIGSTOP) while the assignment waits for its ack.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./support/auth";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const stateDir = mkdtempSync(path.join(tmpdir(), "argus-e2e-workers-"));
const processes: ChildProcess[] = [];

function startWorker(baseURL: string, credential: string, name: string): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "worker/main.ts",
      "--server",
      baseURL,
      "--name",
      name,
      "--capacity",
      "2",
      "--heartbeat-ms",
      "1000",
      "--state-dir",
      path.join(stateDir, name),
      "--dotenv",
      "none",
    ],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        WORKER_TOKEN: credential,
        WORKER_ID: "",
        WORKER_RECONNECT_MAX_MS: "1000",
        LOG_LEVEL: "warn",
      },
      stdio: "ignore",
    },
  );
  processes.push(child);
  return child;
}

test.afterAll(() => {
  for (const p of processes) if (p.exitCode === null) p.kill("SIGKILL");
  rmSync(stateDir, { recursive: true, force: true });
});

async function issueCredential(page: Page, name: string): Promise<string> {
  await page.getByLabel("Worker name").fill(name);
  await page.getByRole("button", { name: "Issue credential" }).click();
  const secret = page.getByTestId("issued-credential");
  await expect(secret).toContainText(/^argw_/);
  await expect(page.getByRole("status")).toContainText(`Credential for “${name}”`);
  return (await secret.textContent())!.trim();
}

const row = (page: Page, kind: "worker" | "camera", name: string) => page.getByTestId(`${kind}-row-${name}`);

test("credential, live worker, round-robin and manual assignment, failover (A1-A4, W8, W11)", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(120_000);
  await signIn(page);
  await page.goto("/workers");
  await expect(page.getByRole("heading", { name: "Workers", exact: true })).toBeVisible();
  await expect(page.getByTestId("live-indicator")).toHaveText(/Live/);

  // The built-in local worker is there; put it in maintenance so the test's workers take the camera.
  await expect(row(page, "worker", "local")).toBeVisible({ timeout: 20_000 });
  await row(page, "worker", "local").getByRole("button", { name: "Maintenance" }).click();
  await expect(row(page, "worker", "local").getByTestId("worker-status")).toHaveText("MAINTENANCE");

  // Issue two credentials in the UI; each worker appears live, without a reload.
  const one = startWorker(baseURL!, await issueCredential(page, "e2e-one"), "e2e-one");
  await expect(row(page, "worker", "e2e-one").getByTestId("worker-status")).toHaveText(/IDLE|ONLINE/, {
    timeout: 15_000,
  });
  const two = startWorker(baseURL!, await issueCredential(page, "e2e-two"), "e2e-two");
  await expect(row(page, "worker", "e2e-two").getByTestId("worker-status")).toHaveText(/IDLE|ONLINE/, {
    timeout: 15_000,
  });
  const byName: Record<string, ChildProcess> = { "e2e-one": one, "e2e-two": two };

  // A new camera is assigned automatically; release it to assign by hand.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Cameras" }).click();
  await expect(page.getByRole("heading", { name: "Cameras", exact: true })).toBeVisible();
  await page.getByLabel("Name").fill("Dock door");
  await page.getByRole("button", { name: "Add camera" }).click();
  const camera = row(page, "camera", "Dock door");
  await expect(camera.getByTestId("placement")).toContainText("Active on e2e-", { timeout: 15_000 });
  await camera.getByRole("button", { name: "Release" }).click();
  await expect(camera.getByTestId("placement")).toHaveText("Unassigned");

  // Round-robin while both workers are paused: pending until the chosen one acks.
  one.kill("SIGSTOP");
  two.kill("SIGSTOP");
  await camera.getByRole("button", { name: "Round-robin" }).click();
  await expect(camera.getByTestId("placement")).toContainText("Pending ack from e2e-");
  one.kill("SIGCONT");
  two.kill("SIGCONT");
  await expect(camera.getByTestId("placement")).toContainText("Active on e2e-", { timeout: 15_000 });
  const first = (await camera.getByTestId("placement").textContent())!.includes("e2e-one") ? "e2e-one" : "e2e-two";
  const target = first === "e2e-one" ? "e2e-two" : "e2e-one";

  // Move it to a chosen worker: pending, then active there.
  byName[target].kill("SIGSTOP");
  await camera.getByLabel("Worker for Dock door").selectOption({ label: `${target} (0/2)` });
  await camera.getByRole("button", { name: "Move" }).click();
  await expect(camera.getByTestId("placement")).toContainText(`Pending ack from ${target}`);
  byName[target].kill("SIGCONT");
  await expect(camera.getByTestId("placement")).toContainText(`Active on ${target}`, { timeout: 15_000 });

  // Kill that worker: the camera moves back to the survivor, live.
  byName[target].kill("SIGKILL");
  await expect(camera.getByTestId("placement")).toContainText(`Active on ${first}`, { timeout: 20_000 });
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Workers" }).click();
  await expect(row(page, "worker", target).getByTestId("worker-status")).toHaveText("OFFLINE");
  await expect(row(page, "worker", first).getByTestId("worker-status")).toHaveText("PROCESSING", { timeout: 10_000 });

  // Leave the shared server as found: the local worker takes work again (the live-video specs rely on it).
  await row(page, "worker", "local").getByRole("button", { name: "End maintenance" }).click();
  await expect(row(page, "worker", "local").getByTestId("worker-status")).not.toHaveText("MAINTENANCE");
});
