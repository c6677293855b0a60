// Helpers for live-video specs: publish from a page, and check that a viewer page shows moving, non-blank video.
import { expect, type Page } from "@playwright/test";

/** currentTime of the live video, and how varied a canvas sample of it is (a blank frame has one luma value). */
export async function sampleVideo(
  page: Page,
): Promise<{ time: number; width: number; distinct: number; spread: number }> {
  return page.getByTestId("live-video").evaluate((el) => {
    const video = el as HTMLVideoElement;
    const canvas = document.createElement("canvas");
    canvas.width = 64;
    canvas.height = 48;
    const ctx = canvas.getContext("2d", { willReadFrequently: true })!;
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const lumas = new Set<number>();
    let min = 255;
    let max = 0;
    for (let i = 0; i < data.length; i += 4) {
      const luma = Math.round((data[i]! * 299 + data[i + 1]! * 587 + data[i + 2]! * 114) / 1000);
      lumas.add(luma);
      min = Math.min(min, luma);
      max = Math.max(max, luma);
    }
    return { time: video.currentTime, width: video.videoWidth, distinct: lumas.size, spread: max - min };
  });
}

export async function expectFramesFlowing(viewer: Page): Promise<void> {
  await expect(viewer.getByTestId("live-status")).toHaveAttribute("data-status", "live", { timeout: 30_000 });
  await expect.poll(async () => (await sampleVideo(viewer)).width, { timeout: 30_000 }).toBeGreaterThan(0);
  const first = await sampleVideo(viewer);
  await expect
    .poll(async () => (await sampleVideo(viewer)).time - first.time, { timeout: 20_000 })
    .toBeGreaterThan(0.5);
  const sample = await sampleVideo(viewer);
  expect(sample.distinct, "a real picture, not a uniform frame").toBeGreaterThan(20);
  expect(sample.spread).toBeGreaterThan(40);
  await expect(viewer.getByTestId("live-stats")).toContainText(/\d+×\d+ · [\d.]+ fps/, { timeout: 10_000 });
}

export async function startPublishing(page: Page, cameraId: string): Promise<void> {
  await page.goto(`/cameras/${cameraId}/publish`);
  await page.waitForLoadState("networkidle");
  await page.getByRole("button", { name: "Start publishing" }).click();
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live", { timeout: 30_000 });
}

/** Records every status the page's (first) live-status badge goes through, from now on. */
export async function recordStatuses(page: Page): Promise<() => Promise<string[]>> {
  await page
    .getByTestId("live-status")
    .first()
    .evaluate((el) => {
      const w = window as unknown as { __statuses: string[] };
      w.__statuses = [el.getAttribute("data-status") ?? ""];
      new MutationObserver(() => w.__statuses.push(el.getAttribute("data-status") ?? "")).observe(el, {
        attributes: true,
        attributeFilter: ["data-status"],
      });
    });
  return () => page.evaluate(() => (window as unknown as { __statuses: string[] }).__statuses);
}

/**
 * C4: the worker the camera is assigned to pulls it from the SFU and decodes it; its heartbeats say so, and its
 * page shows the stream state, fps and frame size. Returns the worker's id.
 */
export async function expectWorkerDecoding(page: Page, cameraId: string): Promise<string> {
  type Health = { cameraId: string; state: string; fps: number; width?: number; frames?: number; change?: number };
  const find = async () => {
    const res = await page.request.get("/api/v1/workers");
    const { workers } = (await res.json()) as { workers: Array<{ id: string; cameras: Health[] }> };
    for (const w of workers) {
      const health = w.cameras.find((c) => c.cameraId === cameraId);
      if (health) return { workerId: w.id, health };
    }
    return null;
  };
  await expect.poll(async () => (await find())?.health.state, { timeout: 45_000 }).toBe("streaming");
  const first = (await find())!;
  await expect
    .poll(async () => (await find())?.health.frames ?? 0, { timeout: 20_000 })
    .toBeGreaterThan((first.health.frames ?? 0) + 5);
  const later = (await find())!;
  expect(later.health.fps).toBeGreaterThan(0);
  expect(later.health.change, "decoded frames differ over time").toBeGreaterThan(0);
  await page.goto(`/workers/${later.workerId}`);
  await expect(page.getByTestId("camera-stream-state").first()).toHaveAttribute("data-state", "streaming", {
    timeout: 15_000,
  });
  await expect(page.getByTestId("camera-frame-size").first()).toHaveText(/\d+×\d+/);
  return later.workerId;
}
