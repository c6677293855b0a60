// Issue 12: an axe-core scan of every page of the signed-in app, as an admin and as a viewer (who sees read-only
// variants), with no serious or critical violation. Pages come from the route files (support/app-pages.ts).
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { addMember, apiJson, defaultTenantId } from "./support/api";
import { appPagePaths, deleteCameras, pageIds } from "./support/app-pages";
import { signIn, uniqueName } from "./support/auth";

let ids: { cameraId: string; workerId: string; cameraIds: string[] };
const viewer = { email: `a11y-viewer-${Date.now().toString(36)}@e2e.argus.test`, password: "viewer-pass-123" };

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page);
  ids = await pageIds(page, { camera: uniqueName("A11y camera"), rtsp: uniqueName("A11y gate") });
  await addMember(page, await defaultTenantId(page), { ...viewer, name: "A11y Viewer", role: "viewer" });
  // Filled tables and charts are scanned too, not only empty states.
  await apiJson(page, "POST", "/api/v1/data/seed", {});
  await page.close();
});
test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page);
  await deleteCameras(page, ids.cameraIds);
  await page.close();
});

/** Serious and critical violations on every page, as "path: rule (impact) targets". */
async function scanEveryPage(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const path of appPagePaths(ids)) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    const { violations } = await new AxeBuilder({ page }).analyze();
    for (const v of violations.filter((x) => x.impact === "serious" || x.impact === "critical")) {
      const targets = v.nodes.slice(0, 3).map((n) => n.target.join(" "));
      found.push(`${path}: ${v.id} (${v.impact}) ${targets.join(" | ")}`);
    }
  }
  return found;
}

test("no serious or critical axe violation on any page, as an admin", async ({ page }) => {
  test.setTimeout(300_000);
  await signIn(page);
  expect(await scanEveryPage(page)).toEqual([]);
});

test("no serious or critical axe violation on any page, as a viewer", async ({ page }) => {
  test.setTimeout(300_000);
  await signIn(page, viewer.email, viewer.password);
  expect(await scanEveryPage(page)).toEqual([]);
});

test("no serious or critical axe violation at phone width, with the menu open", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page);
  await page.goto("/cameras");
  await page.getByRole("button", { name: "Menu" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
});
