// Workstation zones in the browser (issue 13, C5, P3): an operator binds a zone drawn on a camera's live view to a
// productivity workstation and its person, the scene is saved with the binding, and the productivity dashboard shows
// that camera zone as the workstation's source next to the live state of its latest event. No request leaves Argus.
import { expect, test } from "@playwright/test";
import { apiJson } from "./support/api";
import { signIn, uniqueName } from "./support/auth";
import { recordExternalRequests } from "./support/network";

const created: string[] = [];
test.afterEach(async ({ page }) => {
  for (const id of created.splice(0))
    expect([204, 404]).toContain((await page.request.delete(`/api/v1/cameras/${id}`)).status());
});

test("a zone bound to a workstation in the scene editor becomes the workstation's camera source on the dashboard", async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  const external = recordExternalRequests(context);
  await signIn(page);
  const suffix = Date.now().toString(36).toUpperCase();
  const station = `WS-${suffix}`;
  const person = `P-${suffix}`;
  await apiJson(page, "POST", "/api/v1/factory/workstations", { workstation_id: station, name: "Press" });
  await apiJson(page, "POST", "/api/v1/factory/workers", { worker_id: person, name: "Pat" });
  const cameraName = uniqueName("Bench cam");
  const { camera } = await apiJson<{ camera: { id: string } }>(page, "POST", "/api/v1/cameras", {
    name: cameraName,
    kind: "browser",
  });
  created.push(camera.id);

  await page.goto(`/cameras/${camera.id}/live`);
  await page.waitForLoadState("networkidle");
  await page.getByRole("button", { name: "Add zone" }).click();
  await page.getByRole("button", { name: "Add default zone" }).click();
  await expect(page.getByTestId("scene-zone")).toHaveCount(1);
  const fields = page.getByTestId("zone-workstation");
  await fields.getByRole("combobox", { name: "Workstation", exact: true }).selectOption(station);
  await fields.getByRole("combobox", { name: "Worker", exact: true }).selectOption(person);
  // The zone's own activity threshold (the default suits people walking; benches often need less).
  await fields.getByRole("spinbutton", { name: /Working at activity/ }).fill("0.15");
  await page.getByRole("button", { name: "Save scene" }).click();
  await expect(page.getByTestId("scene-save-state")).toContainText("Saved");
  const { analysis } = await apiJson<{
    analysis: { scene: { zones: Array<{ name: string; workstation?: unknown }> } };
  }>(page, "GET", `/api/v1/cameras/${camera.id}/analysis`);
  expect(analysis.scene.zones[0]!.workstation).toEqual({
    workstationId: station,
    workerId: person,
    thresholds: { activeThreshold: 0.15 },
  });
  const zoneName = analysis.scene.zones[0]!.name;

  // An event from the API: the dashboard lists both sources and the live state of the latest event.
  await apiJson(page, "POST", "/api/v1/events", {
    timestamp: new Date().toISOString(),
    worker_id: person,
    workstation_id: station,
    event_type: "working",
    confidence: 0.9,
  });
  await page.goto("/productivity?range=24h");
  const row = page.getByTestId("workstations-table").locator("tr", { hasText: station });
  const cell = row.getByTestId("workstation-source");
  await expect(cell.locator('[data-kind="camera"]')).toHaveText(`Camera: ${cameraName} · ${zoneName}`);
  await expect(cell.locator('[data-kind="api"]')).toHaveText("API");
  await expect(cell.locator("[data-state]")).toHaveAttribute("data-state", "working");
  await expect(cell.locator("[data-state]")).toHaveAttribute("data-current", "true");
  expect(external()).toEqual([]);
});
