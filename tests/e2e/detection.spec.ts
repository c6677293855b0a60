// Detection on the live view end to end (SPEC C3, C5, D3, D5): a browser camera publishes vtest.avi (people walking
// across a walkway), the local worker detects and tracks them, the live page draws their boxes, an operator draws a
// counting line across the walkway with the scene editor, and the line's totals rise as people cross it.
import { expect, test } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from "../../playwright.config";
import { addMember, apiJson, defaultTenantId } from "./support/api";
import { signIn, uniqueName } from "./support/auth";
import { ensureFakeCameraClip, fakeCameraArgs } from "./support/fake-camera";
import { expectFramesFlowing, startPublishing } from "./support/live";
import { recordExternalRequests } from "./support/network";
import { drawLine, framePoint, overlayObjects } from "./support/scene";

const clip = ensureFakeCameraClip();
test.use({
  launchOptions: { executablePath: CHROMIUM_EXECUTABLE, args: [...CHROMIUM_ARGS, ...fakeCameraArgs(clip.file)] },
});

// Specs share one server: cameras made here are deleted afterwards, or later specs' new workers would be handed them
// (fleet.spec.ts starts a worker that must begin without cameras).
const created: string[] = [];
test.afterEach(async ({ page }) => {
  for (const id of created.splice(0))
    expect([204, 404]).toContain((await page.request.delete(`/api/v1/cameras/${id}`)).status());
});

test.describe("detection on the live view (C3, C5, D3)", () => {
  test.setTimeout(240_000);

  test("boxes are drawn over the video; a counting line drawn in the editor counts people crossing it", async ({
    page,
  }) => {
    test.skip(clip.source !== "vtest.avi", "needs vtest.avi (people walking) to detect anything");
    const external = recordExternalRequests(page.context());
    await signIn(page);
    const { camera } = await apiJson<{ camera: { id: string } }>(page, "POST", "/api/v1/cameras", {
      name: uniqueName("Walkway"),
      kind: "browser",
    });
    created.push(camera.id);
    const publisher = await page.context().newPage();
    await startPublishing(publisher, camera.id);

    await page.goto(`/cameras/${camera.id}/live`);
    await expectFramesFlowing(page);

    // The worker's detections arrive and are drawn (C3): the overlay reports how many boxes it draws.
    await expect(page.getByTestId("detector-status")).toHaveAttribute("data-state", "receiving", { timeout: 90_000 });
    await expect.poll(() => overlayObjects(page), { timeout: 60_000 }).toBeGreaterThan(0);

    // C5: a vertical line across the middle of the walkway, drawn with two clicks, then saved.
    await drawLine(page, { x: 0.5, y: 0.2 }, { x: 0.5, y: 0.95 });
    await expect(page.getByTestId("scene-line")).toHaveCount(1);
    await page.getByRole("button", { name: "Save scene" }).click();
    await expect(page.getByTestId("scene-save-state")).toContainText("Saved", { timeout: 15_000 });
    const { analysis: saved } = await apiJson<{
      analysis: { scene: { lines: Array<{ a: { x: number }; b: { y: number } }> } };
    }>(page, "GET", `/api/v1/cameras/${camera.id}/analysis`);
    expect(saved.scene.lines).toHaveLength(1);
    expect(saved.scene.lines[0]!.a.x).toBeCloseTo(0.5, 1);
    expect(saved.scene.lines[0]!.b.y).toBeCloseTo(0.95, 1);

    // D3: people cross it; detections:stored moves the totals without a reload.
    const total = page.getByTestId("line-total").first();
    await expect
      .poll(async () => Number(await total.getAttribute("data-in")) + Number(await total.getAttribute("data-out")), {
        timeout: 120_000,
        intervals: [2000],
      })
      .toBeGreaterThan(0);
    // ...and a reload shows the stored totals too.
    await page.reload();
    const reloaded = page.getByTestId("line-total").first();
    expect(
      Number(await reloaded.getAttribute("data-in")) + Number(await reloaded.getAttribute("data-out")),
    ).toBeGreaterThan(0);

    // D3: per class too (vtest.avi's walkers are people).
    await expect(page.getByTestId("line-class-total").first()).toBeVisible();

    // The grid draws the same camera's boxes, read-only (no editor layer).
    await page.goto("/live");
    const tile = page.locator(`figure[data-camera-id="${camera.id}"]`);
    await expect
      .poll(async () => Number(await tile.getByTestId("detection-overlay").getAttribute("data-objects")), {
        timeout: 60_000,
      })
      .toBeGreaterThan(0);
    await expect(tile.getByTestId("scene-editor-layer")).toHaveCount(0);

    // The camera stops: its boxes fade out and the strip says the detector is not reporting.
    await publisher.close();
    await expect
      .poll(async () => Number(await tile.getByTestId("detection-overlay").getAttribute("data-objects")), {
        timeout: 20_000,
      })
      .toBe(0);
    await expect(tile.getByTestId("detector-status")).toHaveAttribute("data-state", "stale", { timeout: 20_000 });
    expect(external(), "no request leaves 127.0.0.1").toEqual([]);
  });

  test("viewers see the scene but cannot edit it; the detection settings form is for operators", async ({
    page,
    browser,
  }) => {
    const external = recordExternalRequests(page.context());
    await signIn(page);
    const tenantId = await defaultTenantId(page);
    const { camera } = await apiJson<{ camera: { id: string } }>(page, "POST", "/api/v1/cameras", {
      name: uniqueName("Scene"),
      kind: "browser",
    });
    created.push(camera.id);
    await apiJson(page, "PUT", `/api/v1/cameras/${camera.id}/analysis`, {
      scene: {
        lines: [{ id: "door", name: "Door", a: { x: 0.5, y: 0.1 }, b: { x: 0.5, y: 0.9 } }],
        zones: [
          {
            id: "desk",
            name: "Desk",
            polygon: [
              { x: 0.1, y: 0.1 },
              { x: 0.3, y: 0.1 },
              { x: 0.2, y: 0.3 },
            ],
          },
        ],
      },
    });

    // The operator's settings form validates inline and saves.
    await page.goto(`/cameras/${camera.id}`);
    const form = page.getByRole("form", { name: "Detection settings" });
    await form.getByLabel("Go idle after (seconds)").fill("2");
    await form.getByRole("button", { name: "Save detection settings" }).click();
    await expect(form.getByText("Idle after must be between 5 and 3600")).toBeVisible();
    await form.getByLabel("Go idle after (seconds)").fill("45");
    await form.getByLabel("bus").uncheck();
    await form.getByRole("button", { name: "Save detection settings" }).click();
    await expect(form.getByTestId("detection-saved")).toHaveText("Saved.");
    const { analysis } = await apiJson<{ analysis: { detection: { idleAfterSeconds: number; classes: string[] } } }>(
      page,
      "GET",
      `/api/v1/cameras/${camera.id}/analysis`,
    );
    expect(analysis.detection.idleAfterSeconds).toBe(45);
    expect(analysis.detection.classes).not.toContain("bus");

    const email = `viewer-${Date.now()}@e2e.argus.test`;
    await addMember(page, tenantId, { email, name: "Viewer", password: "viewer-password-123", role: "viewer" });
    const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    const viewer = await context.newPage();
    const viewerExternal = recordExternalRequests(context);
    await signIn(viewer, email, "viewer-password-123");
    await viewer.goto(`/cameras/${camera.id}/live`);
    await expect(viewer.getByTestId("line-total")).toHaveCount(1);
    await expect(viewer.getByTestId("zone-total")).toHaveCount(1);
    await expect(viewer.getByRole("button", { name: "Add line" })).toHaveCount(0);
    await expect(viewer.getByTestId("scene-editor-layer")).toHaveCount(0);
    await viewer.goto(`/cameras/${camera.id}`);
    await expect(viewer.getByRole("form", { name: "Detection settings" })).toHaveCount(0);
    await context.close();
    expect([...external(), ...viewerExternal()], "no request leaves 127.0.0.1").toEqual([]);
  });
});

test.describe("scene editor (C5)", () => {
  test("zones by clicks and double-click, dragged ends, flipped direction, keyboard: Escape, Delete, Enter", async ({
    page,
  }) => {
    await signIn(page);
    const { camera } = await apiJson<{ camera: { id: string } }>(page, "POST", "/api/v1/cameras", {
      name: uniqueName("Editor"),
      kind: "browser",
    });
    created.push(camera.id);
    // No one publishes: the editor works on the empty video area (the whole element stands for the frame).
    await page.goto(`/cameras/${camera.id}/live`);
    await page.waitForLoadState("networkidle");
    const offline = { offline: true };
    const click = async (x: number, y: number) => {
      const p = await framePoint(page, x, y, offline);
      await page.mouse.click(p.x, p.y);
    };

    // A zone: three corners, closed with a double-click on the fourth.
    await page.getByRole("button", { name: "Add zone" }).click();
    await click(0.1, 0.1);
    await click(0.4, 0.1);
    await click(0.4, 0.4);
    const last = await framePoint(page, 0.1, 0.4, offline);
    await page.mouse.dblclick(last.x, last.y);
    await expect(page.getByTestId("scene-zone")).toHaveCount(1);

    // Escape cancels a line half drawn.
    await page.getByRole("button", { name: "Add line" }).click();
    await click(0.6, 0.2);
    await page.keyboard.press("Escape");
    await expect(page.getByTestId("scene-editor-layer")).toHaveAttribute("data-mode", "view");
    await expect(page.getByTestId("scene-line")).toHaveCount(0);

    // A line, its end dragged, its direction flipped.
    await drawLine(page, { x: 0.6, y: 0.2 }, { x: 0.6, y: 0.8 }, offline);
    await expect(page.getByTestId("scene-line")).toHaveCount(1);
    const from = await framePoint(page, 0.6, 0.8, offline);
    const to = await framePoint(page, 0.8, 0.8, offline);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 5 });
    await page.mouse.up();
    await page.getByRole("button", { name: /^Flip direction of Line 1/ }).click();

    // Keyboard only: Enter in "Add line" mode places a default line; Delete removes the selection.
    await page.getByRole("button", { name: "Add line" }).click();
    await page.getByTestId("scene-editor-layer").focus();
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("scene-line")).toHaveCount(2);
    await page.keyboard.press("Delete");
    await expect(page.getByTestId("scene-line")).toHaveCount(1);

    await page.getByRole("button", { name: "Save scene" }).click();
    await expect(page.getByTestId("scene-save-state")).toContainText("Saved");
    const { analysis } = await apiJson<{
      analysis: {
        scene: {
          lines: Array<{ id: string; a: { x: number; y: number }; b: { x: number; y: number } }>;
          zones: Array<{ polygon: unknown[] }>;
        };
      };
    }>(page, "GET", `/api/v1/cameras/${camera.id}/analysis`);
    expect(analysis.scene.zones[0]!.polygon).toHaveLength(4);
    const [line] = analysis.scene.lines;
    expect(line!.id).toMatch(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/);
    // Flipped: a is the dragged end now.
    expect(line!.a.x).toBeCloseTo(0.8, 1);
    expect(line!.a.y).toBeCloseTo(0.8, 1);
    expect(line!.b.x).toBeCloseTo(0.6, 1);
    expect(line!.b.y).toBeCloseTo(0.2, 1);

    // A reload draws the saved scene with nothing left unsaved.
    await page.reload();
    await expect(page.getByTestId("scene-line")).toHaveCount(1);
    await expect(page.getByTestId("scene-zone")).toHaveCount(1);
    await expect(page.getByRole("button", { name: "Save scene" })).toBeDisabled();
  });
});
