// Issue 12 §1 in a real browser: the bugs a new user hit in the first hour, each checked as they met it.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { addMember, apiJson, defaultTenantId } from "./support/api";
import { appPagePaths, deleteCameras, duplicateIds, horizontalOverflow, pageIds } from "./support/app-pages";
import { signIn, uniqueName } from "./support/auth";

const PHONE = { width: 390, height: 844 };

let ids: { cameraId: string; workerId: string; cameraIds: string[] };
test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page);
  ids = await pageIds(page, {
    camera: uniqueName("UI bugs dock camera with a long name"),
    rtsp: uniqueName("UI gate"),
  });
  // Rows in the productivity tables and the models table (a fresh install may already have the sample factory).
  await apiJson(page, "POST", "/api/v1/data/seed", {});
  await apiJson(page, "POST", "/api/v1/data/generate-events", { num_days: 2 });
  await page.close();
});
test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page);
  await deleteCameras(page, ids.cameraIds);
  await page.close();
});

test("deleting a camera from its page lands on the list with a confirmation", async ({ page }) => {
  await signIn(page);
  const name = uniqueName("Doomed camera");
  const { camera } = await apiJson<{ camera: { id: string } }>(page, "POST", "/api/v1/cameras", {
    name,
    kind: "browser",
  });
  const failedData: string[] = [];
  page.on("response", (response) => {
    if (response.url().includes(".data") && response.status() >= 400)
      failedData.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(`/cameras/${camera.id}`);
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await page
    .getByRole("group", { name: `Delete ${name}?` })
    .getByRole("button", { name: "Delete" })
    .click();

  await expect(page).toHaveURL(/\/cameras$/);
  await expect(page.getByRole("heading", { name: "Cameras", level: 1 })).toBeVisible({ timeout: 5_000 });
  await expect(page.getByRole("status").filter({ hasText: `Camera "${name}" deleted` })).toBeVisible();
  await expect(page.getByTestId(`camera-row-${name}`)).toHaveCount(0);
  await expect(page.getByText("Working…")).toHaveCount(0);
  expect(failedData).toEqual([]);
  // Back does not return to the deleted camera's page: the deletion replaced it in history.
  await page.goBack();
  await expect(page).not.toHaveURL(new RegExp(camera.id));
});

test("every page fits a 390 px wide phone", async ({ page }) => {
  await page.setViewportSize(PHONE);
  await signIn(page);
  const wide: string[] = [];
  for (const path of appPagePaths(ids)) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    const { scrollWidth, viewport, offenders } = await horizontalOverflow(page);
    expect(viewport).toBe(PHONE.width);
    if (scrollWidth > viewport) wide.push(`${path}: ${scrollWidth} px (${offenders.join(", ")})`);
  }
  expect(wide).toEqual([]);

  // The custom range on /productivity: To and Apply are on screen, not cut off.
  await page.goto("/productivity");
  for (const control of [page.getByLabel("To"), page.getByRole("button", { name: "Apply" })]) {
    const box = (await control.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
  }
});

test("no page has duplicate ids or an input without an accessible name", async ({ page }) => {
  await signIn(page);
  const problems: string[] = [];
  for (const path of appPagePaths(ids)) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    const duplicates = await duplicateIds(page);
    if (duplicates.length) problems.push(`${path}: duplicate id ${duplicates.join(", ")}`);
    // axe computes accessible names as browsers do (label for/wrapping, aria-label, aria-labelledby, title).
    const { violations } = await new AxeBuilder({ page })
      .withRules(["label", "select-name", "aria-input-field-name", "button-name", "link-name"])
      .analyze();
    for (const v of violations) problems.push(`${path}: ${v.id} ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
  }
  expect(problems).toEqual([]);

  // The two "Name" fields of /productivity/people each have their own label.
  await page.goto("/productivity/people");
  await expect(page.getByRole("textbox", { name: "Name", exact: true })).toHaveCount(2);
  await page.getByRole("textbox", { name: "Name", exact: true }).nth(1).fill("Assembly 99");
  await expect(page.getByLabel("Station id")).toBeVisible();
});

/** Workers that can take a camera right now (connected, not in maintenance, healthy). */
async function eligibleWorkers(page: Page): Promise<string[]> {
  const { workers } = await apiJson<{
    workers: Array<{ id: string; connected: boolean; maintenance: boolean; status: string }>;
  }>(page, "GET", "/api/v1/workers");
  return workers
    .filter((w) => w.connected && !w.maintenance && w.status !== "OFFLINE" && w.status !== "ERROR")
    .map((w) => w.id);
}

test("assignment controls: Move off with one worker, Release only when assigned, confirmations", async ({ page }) => {
  await signIn(page);
  await page.goto("/cameras");
  const name = uniqueName("Assign cam");
  // Add camera confirms.
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Add camera" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Camera "${name}" added` })).toBeVisible();
  const row = page.getByTestId(`camera-row-${name}`);
  await expect(row).toBeVisible();
  const { cameras } = await apiJson<{ cameras: Array<{ id: string; name: string }> }>(page, "GET", "/api/v1/cameras");
  const cameraId = cameras.find((c) => c.name === name)!.id;

  try {
    // This spec's server runs one worker (the local one); the checks below are about exactly that case.
    expect(await eligibleWorkers(page)).toHaveLength(1);
    // Auto-assign (the default) places it on the local worker.
    await expect(row.getByTestId("placement")).toContainText(/Active on|Pending ack from/, { timeout: 15_000 });
    await expect(row.getByRole("button", { name: "Round-robin" })).toHaveCount(0);
    await expect(row.getByRole("button", { name: "Move" })).toBeDisabled();
    await expect(row.getByTestId("no-worker-reason")).toHaveText(/No other worker can take this camera/);
    await expect(row.getByRole("button", { name: "Move" })).toHaveAccessibleDescription(/No other worker/);

    await row.getByRole("button", { name: "Release" }).click();
    await expect(row.getByRole("status")).toHaveText(/Released/);
    await expect(row.getByTestId("placement")).toContainText("Unassigned");
    // Unassigned: no Release, Round-robin offered, the one worker can be picked.
    await expect(row.getByRole("button", { name: "Release" })).toHaveCount(0);
    await expect(row.getByRole("button", { name: "Round-robin" })).toBeEnabled();
    await expect(row.getByRole("button", { name: "Assign" })).toBeEnabled();
    await expect(row.getByTestId("no-worker-reason")).toHaveCount(0);

    await row.getByRole("button", { name: "Round-robin" }).click();
    await expect(row.getByRole("status")).toHaveText(/Assigned to|Sent to/);
    await expect(row.getByRole("button", { name: "Release" })).toBeVisible();
  } finally {
    await deleteCameras(page, [cameraId]);
  }
});

test("plurals, people and stations, the range error", async ({ page }) => {
  await signIn(page);
  await page.goto("/productivity");
  const main = page.getByRole("navigation", { name: "Main" });
  // "Workers" in the main navigation are the processes; the factory's people are "People" in Productivity.
  await expect(main.getByRole("link", { name: "Workers", exact: true })).toBeVisible();
  const tabs = page.getByRole("navigation", { name: "Productivity" });
  await expect(tabs.getByRole("link", { name: "People & stations" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "People", exact: true })).toBeVisible();
  await expect(page.getByText(/Workers & stations|Worker utilisation/)).toHaveCount(0);
  const hint = page.getByTestId("stat-people-utilisation").locator("p").nth(2);
  await expect(hint).toHaveText(/^\d+ active (person|people)$/);
  const [count, noun] = (await hint.textContent())!.split(" active ");
  expect(noun).toBe(Number(count) === 1 ? "person" : "people");

  await page.goto("/productivity?start_time=2026-01-02T00:00:00Z&end_time=2026-01-01T00:00:00Z");
  await expect(page.getByRole("alert").filter({ hasText: "Time range ignored" })).toHaveText(
    "Time range ignored: start_time must be before end_time",
  );
});

test("the Live dot is green when connected, on every page that has one", async ({ page }) => {
  await signIn(page);
  const colours = new Map<string, string>();
  for (const path of ["/", "/productivity", "/workers", "/analytics"]) {
    await page.goto(path);
    const live = page.locator('[data-testid="live-indicator"], [data-testid="vcc-live"]');
    await expect(live).toHaveAttribute("data-state", "live");
    colours.set(path, await live.evaluate((e) => getComputedStyle(e).color));
  }
  // emerald-700, the colour of "connected" wherever it is shown (the camera badges' "live" too).
  const emerald = await page.evaluate(() => {
    const probe = document.createElement("span");
    probe.className = "text-emerald-700";
    document.body.append(probe);
    return getComputedStyle(probe).color;
  });
  expect(new Set(colours.values())).toEqual(new Set([emerald]));
});

test("charts have axis values and a hover readout", async ({ page }) => {
  await signIn(page);
  await page.goto("/productivity?range=24h");
  const chart = page.getByTestId("utilisation-chart");
  await expect(chart.locator(".u-over")).toBeVisible();
  // uPlot draws tick values on the canvas and gives each axis a sized box for them.
  const axes = chart.locator(".u-axis");
  await expect(axes).toHaveCount(2);
  for (const axis of await axes.all()) expect((await axis.boundingBox())!.width).toBeGreaterThan(0);
  const readout = chart.locator(".u-legend .u-series").nth(1).locator(".u-value");
  const time = chart.locator(".u-legend .u-series").first().locator(".u-value");
  await expect(time).toHaveText("whole range");
  const box = (await chart.locator(".u-over").boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.75, box.y + box.height / 2);
  await expect(time).not.toHaveText("whole range");
  await expect(readout).toHaveText(/^(\d+%|–)$/);
});

test("a viewer's camera page does not tell them to assign cameras", async ({ browser, page }) => {
  await signIn(page);
  const viewer = { email: `${uniqueName("viewer").replace(/\W+/g, "-")}@e2e.argus.test`, password: "viewer-pass-123" };
  await addMember(page, await defaultTenantId(page), { ...viewer, name: "Vi Ewer", role: "viewer" });
  const context = await browser.newContext();
  const viewerPage = await context.newPage();
  await signIn(viewerPage, viewer.email, viewer.password);
  await viewerPage.goto(`/cameras/${ids.cameraId}`);
  await expect(viewerPage.getByRole("heading", { name: "Where it runs" })).toBeVisible();
  await expect(viewerPage.getByText(/Assign, move and release/)).toHaveCount(0);
  await expect(viewerPage.getByRole("button", { name: "Delete" })).toHaveCount(0);
  await context.close();
});
