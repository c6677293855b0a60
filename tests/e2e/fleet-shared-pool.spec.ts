// Shared worker pool and live worker pages in the browser (issue 12; SPEC A1-A4, O1): a NEW tenant's admin adds a
// camera and the built-in local worker (shared by every tenant) takes and runs it, while that admin sees the worker
// as shared and cannot change it; a worker put in maintenance shows on its open page within seconds, without a
// reload, and the page charts its heartbeat stats.
import { expect, test } from "@playwright/test";
import { addMember, apiJson, createTenant } from "./support/api";
import { signIn, uniqueName } from "./support/auth";

interface WorkerJson {
  id: string;
  name: string;
  shared: boolean;
  status: string;
}

async function localWorker(page: import("@playwright/test").Page): Promise<WorkerJson> {
  let local: WorkerJson | undefined;
  await expect
    .poll(
      async () => {
        const { workers } = await apiJson<{ workers: WorkerJson[] }>(page, "GET", "/api/v1/workers");
        local = workers.find((w) => w.name === "local" && w.status !== "OFFLINE");
        return Boolean(local);
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  return local!;
}

test("a new tenant's camera is taken and run by the shared local worker (A3, O1, U2)", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await signIn(page);
  const local = await localWorker(page);
  expect(local.shared).toBe(true);
  const tenant = await createTenant(page, uniqueName("Pool tenant"));
  const email = `pool-${Date.now().toString(36)}@e2e.argus.test`;
  await addMember(page, tenant.id, { email, name: "Pool admin", password: "pool-admin-password-123", role: "admin" });

  const context = await browser.newContext();
  const member = await context.newPage();
  try {
    await signIn(member, email, "pool-admin-password-123");
    await member.goto("/workers");
    const row = member.getByTestId("worker-row-local");
    await expect(row.getByTestId("worker-kind")).toHaveText("Shared");
    await expect(row.getByRole("button", { name: "Maintenance" })).toHaveCount(0);
    await expect(row).toContainText("Managed by a platform admin");

    await member.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Cameras" }).click();
    await expect(member.getByRole("heading", { name: "Cameras", exact: true })).toBeVisible();
    const name = uniqueName("Pool cam");
    await member.getByLabel("Name").fill(name);
    await member.getByRole("button", { name: "Add camera" }).click();
    const camera = member.getByTestId(`camera-row-${name}`);
    // Placed on the shared worker at once; active when it acks (slow on a loaded machine: acks are retried).
    await expect(camera.getByTestId("placement")).toContainText(/(Pending ack from|Active on) local/);
    await expect(camera.getByTestId("placement")).toContainText("Active on local", { timeout: 60_000 });

    // The worker page shows this tenant's camera on it, running (the worker acked it and reports on it).
    await member.goto(`/workers/${encodeURIComponent(local.id)}`);
    await expect(member.getByTestId("worker-shared-note")).toBeVisible();
    const cameras = member.getByRole("table", { name: "Current assignments" });
    await expect(cameras.getByRole("link", { name })).toBeVisible();
    await expect(cameras.getByRole("row")).toHaveCount(2); // header + this tenant's one camera, not others'
    await expect(cameras.getByTestId("camera-stream-state")).toContainText("active");
  } finally {
    // The specs share one server: leave no camera of this tenant waiting for the shared workers of later specs.
    const { cameras: list } = await apiJson<{ cameras: Array<{ id: string }> }>(
      page,
      "GET",
      "/api/v1/cameras",
      undefined,
      tenant.id,
    );
    for (const c of list)
      await page.request.delete(`/api/v1/cameras/${c.id}`, { headers: { "X-Argus-Tenant": tenant.id } });
    await context.close();
  }
});

test("maintenance shows on the open worker page without a reload; stats are charted (A1, A2, A4)", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page);
  const local = await localWorker(page);
  await page.goto(`/workers/${encodeURIComponent(local.id)}`);
  const status = page.getByTestId("worker-status");
  await expect(status).not.toHaveText("MAINTENANCE");
  let loads = 0;
  page.on("load", () => loads++);
  // Another client (the API, as a script or another person would) changes the worker; the open page hears it.
  try {
    await apiJson(page, "POST", `/api/v1/workers/${encodeURIComponent(local.id)}/maintenance`, { on: true });
    await expect(status).toHaveText("MAINTENANCE", { timeout: 3_000 });
    await expect(page.getByRole("button", { name: "End maintenance" })).toBeVisible();
  } finally {
    await apiJson(page, "POST", `/api/v1/workers/${encodeURIComponent(local.id)}/maintenance`, { on: false });
  }
  await expect(status).not.toHaveText("MAINTENANCE", { timeout: 3_000 });
  expect(loads).toBe(0);
  // Heartbeats (every 2 s here) become chart points: from the stored samples and live.
  await expect(page.getByTestId("worker-charts")).toHaveAttribute("data-samples", /^[1-9]\d*$/, { timeout: 20_000 });
  await expect(page.getByTestId("worker-chart-cpuPercent")).toBeVisible();
});
