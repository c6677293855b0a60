// Live video end to end (SPEC C2, C3): a browser camera published from one page through the mediasoup SFU and
// watched from another, with Chromium's fake camera streaming a real clip (vtest.avi converted at test time).
import { expect, test } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from "../../playwright.config";
import { apiJson } from "./support/api";
import { signIn, uniqueName } from "./support/auth";
import { ensureFakeCameraClip, fakeCameraArgs } from "./support/fake-camera";
import { expectFramesFlowing, expectWorkerDecoding, startPublishing } from "./support/live";

const clip = ensureFakeCameraClip();
test.use({
  launchOptions: { executablePath: CHROMIUM_EXECUTABLE, args: [...CHROMIUM_ARGS, ...fakeCameraArgs(clip.file)] },
});

test.describe("live video (C2, C3)", () => {
  test.setTimeout(180_000);

  test("publish a browser camera from one page, watch it from another, recover after the publisher leaves", async ({
    page,
  }) => {
    test.info().annotations.push({ type: "fake camera", description: `${clip.source}: ${clip.file}` });
    await signIn(page);
    const name = uniqueName("Webcam");
    const { camera } = await apiJson<{ camera: { id: string } }>(page, "POST", "/api/v1/cameras", {
      name,
      kind: "browser",
    });

    const context = page.context();
    let publisher = await context.newPage();
    await startPublishing(publisher, camera.id);

    const viewer = page;
    await viewer.goto(`/cameras/${camera.id}/live`);
    await expectFramesFlowing(viewer);

    // The local worker (started with the server) was assigned the camera and decodes it from the SFU (C4).
    const workerPage = await context.newPage();
    await expectWorkerDecoding(workerPage, camera.id);
    await workerPage.close();

    // The cameras list shows it live, and follows live/offline without a reload.
    const list = await context.newPage();
    await list.goto("/cameras");
    const listStatus = list.getByTestId(`camera-row-${name}`).getByTestId("camera-live-status");
    await expect(listStatus).toHaveAttribute("data-status", "live");

    // The publishing page goes away: the viewer shows the camera offline...
    await publisher.close();
    await expect(viewer.getByTestId("live-status")).toHaveAttribute("data-status", "offline", { timeout: 30_000 });
    await expect(listStatus).toHaveAttribute("data-status", "offline");
    await list.close();

    // ...and recovers on its own when the camera publishes again.
    publisher = await context.newPage();
    await startPublishing(publisher, camera.id);
    await expectFramesFlowing(viewer);

    // The grid shows it too.
    await viewer.goto("/live");
    const tile = viewer.locator(`figure[data-camera-id="${camera.id}"]`);
    await expect(tile.getByTestId("live-status")).toHaveAttribute("data-status", "live", { timeout: 30_000 });
    await publisher.close();
  });
});

test.describe("kiosk publish links (C2)", () => {
  test.setTimeout(180_000);

  test("a kiosk publishes with a publish link and no account; revoking the link cuts it off", async ({
    page,
    browser,
  }) => {
    await signIn(page);
    const { camera } = await apiJson<{ camera: { id: string } }>(page, "POST", "/api/v1/cameras", {
      name: uniqueName("Kiosk"),
      kind: "browser",
    });
    await page.goto(`/cameras/${camera.id}`);
    await page.getByRole("button", { name: "New publish link" }).click();
    const link = page.getByTestId("publish-link");
    await expect(link).toBeVisible();
    const publishPath = (await link.getAttribute("href"))!;
    expect(publishPath).toMatch(/^\/publish\/apt_/);

    // A fresh browser context: no session cookie at all.
    const kioskContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    const kiosk = await kioskContext.newPage();
    await kiosk.goto(publishPath);
    await expect(kiosk.getByTestId("live-status")).toHaveAttribute("data-status", "live", { timeout: 30_000 });

    const viewer = await page.context().newPage();
    await viewer.goto(`/cameras/${camera.id}/live`);
    await expectFramesFlowing(viewer);

    // Revoke: the kiosk is disconnected and cannot come back; the camera goes offline.
    await page.reload();
    await page.getByRole("button", { name: /^Revoke apt_/ }).click();
    await expect(viewer.getByTestId("live-status")).toHaveAttribute("data-status", "offline", { timeout: 30_000 });
    await expect(kiosk.getByTestId("live-status")).not.toHaveAttribute("data-status", "live", { timeout: 15_000 });
    const reopened = await kioskContext.newPage();
    const response = await reopened.goto(publishPath);
    expect(response?.status()).toBe(404);
    await kioskContext.close();
  });
});
