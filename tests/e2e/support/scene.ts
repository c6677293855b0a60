// Helpers for detection specs (C3, C5): click points on the live video in frame coordinates (0..1), handling the
// object-contain letterbox the same way the overlay does, and read the overlay's state.
import { expect, type Page } from "@playwright/test";

/** Page coordinates of a normalised frame point on the page's (first) live video. */
export async function framePoint(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const video = page.getByTestId("live-video").first();
  await expect.poll(() => video.evaluate((v) => (v as HTMLVideoElement).videoWidth)).toBeGreaterThan(0);
  const { box, vw, vh } = await video.evaluate((el) => {
    const v = el as HTMLVideoElement;
    const r = v.getBoundingClientRect();
    return { box: { left: r.left, top: r.top, width: r.width, height: r.height }, vw: v.videoWidth, vh: v.videoHeight };
  });
  const scale = Math.min(box.width / vw, box.height / vh);
  const width = vw * scale;
  const height = vh * scale;
  const left = box.left + (box.width - width) / 2;
  const top = box.top + (box.height - height) / 2;
  return { x: left + x * width, y: top + y * height };
}

/** Draws a counting line from a to b with the scene editor (Add line, two clicks). */
export async function drawLine(page: Page, a: { x: number; y: number }, b: { x: number; y: number }): Promise<void> {
  await page.getByRole("button", { name: "Add line" }).click();
  for (const p of [a, b]) {
    const at = await framePoint(page, p.x, p.y);
    await page.mouse.click(at.x, at.y);
  }
}

/** How many boxes the overlay draws now (data-objects, set from the latest detections:live). */
export async function overlayObjects(page: Page): Promise<number> {
  return Number((await page.getByTestId("detection-overlay").first().getAttribute("data-objects")) ?? 0);
}
