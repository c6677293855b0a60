// First-run checklist (issue 12 §2): on a new tenant's overview, five steps that tick themselves off from real state
// as a user adds a camera, watches it live, draws a counting line (the scene API), starts a real worker with the
// command the checklist gives (credential issued where its link points), and opens analytics; then it can be
// dismissed, stays dismissed after a reload, and comes back on request.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { apiJson, createTenant } from "./support/api";
import { signIn, uniqueName } from "./support/auth";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const stateDir = mkdtempSync(path.join(tmpdir(), "argus-e2e-first-run-"));
let worker: ChildProcess | null = null;

test.afterAll(() => {
  if (worker && worker.exitCode === null) worker.kill("SIGKILL");
  rmSync(stateDir, { recursive: true, force: true });
});

const step = (page: Page, id: string) => page.getByTestId(`first-run-step-${id}`);

async function backToOverview(page: Page): Promise<void> {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" }).click();
  await expect(page.getByTestId("first-run-checklist")).toBeVisible();
}

/** Runs the checklist's worker command as the other machine would, with the credential filled in. */
function runWorkerCommand(command: string, credential: string): ChildProcess {
  const args = command.replace("<credential>", credential).split(/\s+/);
  // "npm run worker -- <flags>": npm runs worker/main.ts with node --import tsx (package.json "worker").
  expect(args.slice(0, 4)).toEqual(["npm", "run", "worker", "--"]);
  return spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "worker/main.ts",
      ...args.slice(4),
      "--heartbeat-ms",
      "1000",
      "--state-dir",
      stateDir,
      "--dotenv",
      "none",
    ],
    {
      cwd: repoRoot,
      env: { ...process.env, WORKER_ID: "", WORKER_TOKEN: "", LOG_LEVEL: "warn" },
      stdio: "ignore",
    },
  );
}

test("the first-run checklist ticks itself off from real state and can be dismissed (issue 12 §2)", async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page);
  const tenant = await createTenant(page, uniqueName("First run"));
  await page.goto("/");
  await page.getByLabel("Tenant", { exact: true }).first().selectOption({ label: tenant.name });
  await expect(page.getByRole("heading", { name: tenant.name, level: 1 })).toBeVisible();

  const checklist = page.getByTestId("first-run-checklist");
  await expect(checklist.getByRole("heading", { name: "Get started" })).toBeVisible();
  await expect(page.getByTestId("first-run-progress")).toHaveText("0 of 5 done");
  for (const id of ["watch", "camera", "worker", "line", "analytics"])
    await expect(step(page, id)).toHaveAttribute("data-done", "false");

  // Add a camera where the step's link leads.
  await step(page, "camera").getByRole("link").click();
  await expect(page).toHaveURL(/\/cameras$/);
  const cameraName = uniqueName("Lobby");
  await page.getByLabel("Name").fill(cameraName);
  await page.getByRole("button", { name: "Add camera" }).click();
  await expect(page.getByRole("status").filter({ hasText: /added|created/i })).toBeVisible();
  await backToOverview(page);
  await expect(step(page, "camera")).toHaveAttribute("data-done", "true");
  await expect(page.getByTestId("first-run-progress")).toHaveText("1 of 5 done");

  // Watch it live: with no demo camera the step opens the added camera's live view.
  const { cameras } = await apiJson<{ cameras: Array<{ id: string; name: string }> }>(
    page,
    "GET",
    "/api/v1/cameras",
    undefined,
    tenant.id,
  );
  const camera = cameras.find((c) => c.name === cameraName)!;
  await step(page, "watch").getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/cameras/${camera.id}/live$`));
  await backToOverview(page);
  await expect(step(page, "watch")).toHaveAttribute("data-done", "true");
  await expect(step(page, "line")).toHaveAttribute("data-done", "false");

  // Draw a counting line through the scene API.
  await apiJson(
    page,
    "PUT",
    `/api/v1/cameras/${camera.id}/analysis`,
    { scene: { lines: [{ id: "door", name: "Door", a: { x: 0.5, y: 0.1 }, b: { x: 0.5, y: 0.9 } }], zones: [] } },
    tenant.id,
  );
  await page.reload();
  await expect(step(page, "line")).toHaveAttribute("data-done", "true");
  await expect(page.getByTestId("first-run-progress")).toHaveText("3 of 5 done");

  // Start a worker on "another machine": copy the command, get a credential where the step links, run it.
  const command = (await page.getByTestId("first-run-worker-command").textContent())!;
  expect(command).toContain(`--server ${new URL(page.url()).origin}`);
  await step(page, "worker").getByRole("button", { name: "Copy command" }).click();
  await expect(step(page, "worker").getByRole("status")).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(command);
  await step(page, "worker")
    .getByRole("link", { name: /Worker credentials/ })
    .click();
  await expect(page).toHaveURL(/\/workers#worker-credentials$/);
  await page.getByLabel("Worker name").fill("first-run-remote");
  await page.getByRole("button", { name: "Issue credential" }).click();
  const credential = (await page.getByTestId("issued-credential").textContent())!.trim();
  worker = runWorkerCommand(command, credential);
  await backToOverview(page);
  await expect(async () => {
    await page.reload();
    await expect(step(page, "worker")).toHaveAttribute("data-done", "true", { timeout: 1000 });
  }).toPass({ timeout: 45_000 });

  // Open analytics from the checklist.
  await step(page, "analytics").getByRole("link").click();
  await expect(page).toHaveURL(/\/analytics/);
  await backToOverview(page);
  await expect(page.getByTestId("first-run-progress")).toHaveText("5 of 5 done");
  await expect(checklist.getByRole("heading", { name: "You are set up" })).toBeVisible();

  // Dismissed for good (a reload keeps it away), and it can be brought back.
  await checklist.getByRole("button", { name: "Hide this list" }).click();
  await expect(page.getByTestId("first-run-checklist")).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("heading", { name: tenant.name, level: 1 })).toBeVisible();
  await expect(page.getByTestId("first-run-checklist")).toHaveCount(0);
  await page.getByRole("button", { name: "Show the getting-started checklist" }).click();
  await expect(page.getByTestId("first-run-progress")).toHaveText("5 of 5 done");

  worker.kill("SIGTERM");
  const removed = await page.request.delete(`/api/v1/cameras/${camera.id}`, {
    headers: { "X-Argus-Tenant": tenant.id },
  });
  expect(removed.ok()).toBe(true);
});

test("a viewer's checklist holds only what a viewer can do, and the dismiss action refuses nonsense", async ({
  page,
}) => {
  await signIn(page);
  const tenant = await createTenant(page, uniqueName("First run viewer"));
  const viewer = {
    email: `${uniqueName("v").replace(/\s/g, "")}@e2e.argus.test`,
    name: "Vee",
    password: "viewer-pass-123",
  };
  await apiJson(page, "POST", "/api/v1/members", { ...viewer, role: "viewer" }, tenant.id);
  const bad = await page.request.post("/?index", { form: { intent: "drop-tables" } });
  expect(bad.status()).toBe(400);
  await page.context().clearCookies();
  await signIn(page, viewer.email, viewer.password);
  await page.goto("/");
  await expect(page.getByTestId("first-run-progress")).toHaveText("0 of 2 done");
  await expect(step(page, "watch")).toBeVisible();
  await expect(step(page, "analytics")).toBeVisible();
  await expect(step(page, "camera")).toHaveCount(0);
  await expect(step(page, "worker")).toHaveCount(0);
});
