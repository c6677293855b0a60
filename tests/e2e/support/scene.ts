// Helpers for detection specs (C3, C5): click points on the live video in frame coordinates (0..1), handling the
// object-contain letterbox the same way the overlay does, and read the overlay's state.
import { expect, type Page } from "@playwright/test";

/**
 * Page coordinates of a normalised frame point on the page's (first) live video. Waits for a frame unless
 * `offline` (then, like the overlay, the whole element stands for the frame).
 */
export async function framePoint(
  page: Page,
  x: number,
  y: number,
  { offline = false }: { offline?: boolean } = {},
): Promise<{ x: number; y: number }> {
  const video = page.getByTestId("live-video").first();
  if (!offline) await expect.poll(() => video.evaluate((v) => (v as HTMLVideoElement).videoWidth)).toBeGreaterThan(0);
  const { box, ...size } = await video.evaluate((el) => {
    const v = el as HTMLVideoElement;
    const r = v.getBoundingClientRect();
    return { box: { left: r.left, top: r.top, width: r.width, height: r.height }, vw: v.videoWidth, vh: v.videoHeight };
  });
  const vw = size.vw || box.width;
  const vh = size.vh || box.height;
  const scale = Math.min(box.width / vw, box.height / vh);
  const width = vw * scale;
  const height = vh * scale;
  const left = box.left + (box.width - width) / 2;
  const top = box.top + (box.height - height) / 2;
  return { x: left + x * width, y: top + y * height };
}

/** Draws a counting line from a to b with the scene editor (Add line, two clicks). */
export async function drawLine(
  page: Page,
  a: { x: number; y: number },
  b: { x: number; y: number },
  options: { offline?: boolean } = {},
): Promise<void> {
  await page.getByRole("button", { name: "Add line" }).click();
  for (const p of [a, b]) {
    const at = await framePoint(page, p.x, p.y, options);
    await page.mouse.click(at.x, at.y);
  }
}

/** How many boxes the overlay draws now (data-objects, set from the latest detections:live). */
export async function overlayObjects(page: Page): Promise<number> {
  return Number((await page.getByTestId("detection-overlay").first().getAttribute("data-objects")) ?? 0);
}
