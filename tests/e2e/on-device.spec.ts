// On-device workstation mode (issue 13 item 2): the publish page runs MediaPipe PoseLandmarker in Chromium on the
// fake camera's clip (a person near the camera: one walker of vtest.avi, cropped and scaled up at test time),
// loads the runtime and model from Argus's own origin only, draws the skeleton, and posts working/idle/absent events
// for the chosen workstation with a scoped key: no video is sent in "events only" mode, and no request leaves Argus.
import { expect, test, type Page } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from "../../playwright.config";
import { apiJson } from "./support/api";
import { signIn, uniqueName } from "./support/auth";
import { fakeCameraArgs } from "./support/fake-camera";
import { recordExternalRequests } from "./support/network";
import { ensurePersonClip } from "./support/person-clip";

const clip = ensurePersonClip();
test.use({
  launchOptions: { executablePath: CHROMIUM_EXECUTABLE, args: [...CHROMIUM_ARGS, ...fakeCameraArgs(clip)] },
});

interface ModelVersion {
  model_id: string | null;
  model_version: string | null;
  event_count: number;
}

/** Counts the overlay's drawn (non-transparent) pixels. */
function drawnPixels(page: Page): Promise<number> {
  return page.getByTestId("pose-overlay").evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n += 1;
    return n;
  });
}

test.describe("on-device workstation mode (issue 13 item 2)", () => {
  test.setTimeout(180_000);

  test("PoseLandmarker from Argus's origin draws the pose and events arrive for the workstation", async ({ page }) => {
    const external = recordExternalRequests(page.context());
    const assetResponses: Array<{ url: string; status: number; type: string }> = [];
    page.on("response", (r) => {
      if (new URL(r.url()).pathname.startsWith("/vision-assets/"))
        assetResponses.push({ url: r.url(), status: r.status(), type: r.headers()["content-type"] ?? "" });
    });

    await signIn(page);
    const suffix = Date.now().toString(36).toUpperCase();
    const workerId = `WD${suffix}`;
    const workstationId = `SD${suffix}`;
    await apiJson(page, "POST", "/api/v1/factory/workers", { worker_id: workerId, name: "Tablet worker" });
    await apiJson(page, "POST", "/api/v1/factory/workstations", { workstation_id: workstationId, name: "Bench 1" });
    const { camera } = await apiJson<{ camera: { id: string } }>(page, "POST", "/api/v1/cameras", {
      name: uniqueName("Tablet"),
      kind: "browser",
    });

    // The operator picks the worker and workstation on the page (the loader mints the scoped key).
    await page.goto(`/cameras/${camera.id}/publish`);
    await page.getByLabel("Mode").selectOption("events-only");
    await page.getByLabel("Worker").selectOption(workerId);
    await page.getByLabel("Workstation").selectOption(workstationId);
    await page.getByRole("button", { name: "Use this worker and workstation" }).click();
    await expect(page).toHaveURL(new RegExp(`workstation=${workstationId}`));
    await expect(page.getByTestId("kiosk-query")).toContainText("binding=");
    await page.getByRole("button", { name: "Start analysis" }).click();

    const status = page.getByTestId("on-device-status");
    await expect(status).toHaveAttribute("data-phase", "running", { timeout: 60_000 });
    // BlazePose's 33 landmarks on the person, drawn over the preview.
    await expect(status).toHaveAttribute("data-landmarks", "33", { timeout: 30_000 });
    await expect.poll(() => drawnPixels(page), { timeout: 10_000 }).toBeGreaterThan(500);
    const frames = Number(await status.getAttribute("data-frames"));
    expect(frames).toBeGreaterThan(0);

    // The wasm runtime and the model came from /vision-assets, typed and cacheable.
    const wasm = assetResponses.find((r) => r.url.includes(".wasm"));
    expect(wasm, JSON.stringify(assetResponses)).toMatchObject({ status: 200, type: "application/wasm" });
    expect(assetResponses.some((r) => r.url.includes("pose_landmarker_full.task") && r.status === 200)).toBe(true);

    // The first state is emitted after its debounce, then delivered through the ingestion API.
    await expect(status).toHaveAttribute("data-state", /^(working|idle|absent)$/, { timeout: 30_000 });
    await expect
      .poll(async () => Number(await status.getAttribute("data-sent")), { timeout: 30_000 })
      .toBeGreaterThan(0);
    const state = await status.getAttribute("data-state");
    test.info().annotations.push({
      type: "measures",
      description: `presence ${await status.getAttribute("data-presence")}, motion ${await status.getAttribute("data-motion")}/s, ${frames} frames`,
    });

    const { models } = await apiJson<{ models: ModelVersion[] }>(page, "GET", "/api/v1/models");
    const pose = models.find((m) => m.model_id === "mediapipe-pose-landmarker-full");
    expect(pose?.model_version).toBe("0.10.35");
    expect(pose!.event_count).toBeGreaterThan(0);
    const { workstation } = await apiJson<{ workstation: { event_count: number; occupancy_seconds: number } }>(
      page,
      "GET",
      `/api/v1/metrics/workstations/${workstationId}`,
    );
    expect(workstation.event_count).toBeGreaterThan(0);
    // A person is in view: the state is working or idle, which P2 counts as occupancy (absent would not).
    expect(["working", "idle"]).toContain(state);
    expect(workstation.occupancy_seconds).toBeGreaterThan(0);

    // Events only: nothing was published (the SFU link never left idle).
    await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "idle");
    expect(external()).toEqual([]);
  });

  test("a kiosk posts only for the pair an operator bound to its link, and only while the link lives", async ({
    page,
    browser,
  }) => {
    await signIn(page);
    const suffix = Date.now().toString(36).toUpperCase();
    const [workerId, otherWorker, workstationId] = [`WK${suffix}`, `WX${suffix}`, `SK${suffix}`];
    await apiJson(page, "POST", "/api/v1/factory/workers", { worker_id: workerId, name: "Kiosk worker" });
    await apiJson(page, "POST", "/api/v1/factory/workers", { worker_id: otherWorker, name: "Someone else" });
    await apiJson(page, "POST", "/api/v1/factory/workstations", { workstation_id: workstationId, name: "Kiosk bench" });
    const { camera } = await apiJson<{ camera: { id: string } }>(page, "POST", "/api/v1/cameras", {
      name: uniqueName("Kiosk tablet"),
      kind: "browser",
    });
    await page.goto(`/cameras/${camera.id}`);
    await page.getByRole("button", { name: "New publish link" }).click();
    const publishPath = (await page.getByTestId("publish-link").getAttribute("href"))!;
    await page.goto(`/cameras/${camera.id}/publish?mode=events-only&worker=${workerId}&workstation=${workstationId}`);
    const kioskQuery = (await page.getByTestId("kiosk-query").textContent())!.trim();
    expect(kioskQuery).toMatch(/^\?mode=events-only&worker=.+&binding=/);

    // A fresh context: no session. Without the operator's binding, or with a forged one, no key is minted.
    const kioskContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    const external = recordExternalRequests(kioskContext);
    const kiosk = await kioskContext.newPage();
    await kiosk.goto(`${publishPath}?mode=events-only&worker=${otherWorker}&workstation=${workstationId}&binding=x`);
    await expect(kiosk.getByTestId("on-device").getByRole("alert")).toContainText("not valid");
    const unauthenticated = await kioskContext.request.get(`/vision-assets/wasm/0.10.35/vision_wasm_internal.wasm`);
    expect(unauthenticated.status()).toBe(401);

    await kiosk.goto(publishPath + kioskQuery);
    // A kiosk's tab is the one on screen: hidden tabs get no animation frames, so no analysis (docs/workstations.md).
    await kiosk.bringToFront();
    const status = kiosk.getByTestId("on-device-status");
    await expect(status).toHaveAttribute("data-phase", "running", { timeout: 60_000 });
    await expect
      .poll(async () => Number(await status.getAttribute("data-sent")), {
        timeout: 45_000,
        message: `kiosk status: ${await status.evaluate((e) => e.outerHTML).catch(() => "?")}`,
      })
      .toBeGreaterThan(0);

    // The page's key: only its own worker and workstation, only state events, never other APIs.
    const post = (events: unknown[], path = "/api/v1/events/batch") =>
      kiosk.evaluate(
        async ([events, path]) => {
          const ctx = (window as unknown as { __remixContext: { state: { loaderData: Record<string, unknown> } } })
            .__remixContext.state.loaderData;
          const data = Object.values(ctx).find((d) => (d as { onDevice?: unknown })?.onDevice) as {
            onDevice: { deviceKey: string };
          };
          const response = await fetch(path as string, {
            method: path === "/api/v1/models" ? "GET" : "POST",
            credentials: "omit",
            headers: { Authorization: `Bearer ${data.onDevice.deviceKey}`, "Content-Type": "application/json" },
            body: path === "/api/v1/models" ? undefined : JSON.stringify({ events }),
          });
          return response.status;
        },
        [events, path] as const,
      );
    const event = (over: Record<string, unknown>) => ({
      timestamp: new Date().toISOString(),
      worker_id: workerId,
      workstation_id: workstationId,
      event_type: "idle",
      confidence: 0.5,
      ...over,
    });
    expect(await post([event({ worker_id: otherWorker })])).toBe(403);
    expect(await post([event({ event_type: "product_count", count: 5 })])).toBe(403);
    expect(await post([], "/api/v1/models")).toBe(403);
    expect(await post([event({ timestamp: "2020-01-01T00:00:00Z" })])).toBe(201);

    // Revoking the publish link revokes the key minted from it.
    await page.goto(`/cameras/${camera.id}`);
    await page.getByRole("button", { name: /^Revoke apt_/ }).click();
    await expect.poll(() => post([event({ timestamp: "2020-01-01T00:01:00Z" })])).toBe(401);
    expect(external()).toEqual([]);
    await kioskContext.close();
  });
});
