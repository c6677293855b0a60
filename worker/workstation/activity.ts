// Motion energy inside a person's box (issue 13): how much of the person moved between two analysed frames. The
// frames are the ones the pipeline already decoded for detection; no extra decoding, nothing stored (C6).
//
//   boxActivity(previous, current, box, pixelDelta, grid?): number   // 0..1
//
// The box (normalised, from the current frame) is sampled on a fixed grid of grid x grid points whatever its size, in
// both frames at the same positions; a point moved when its luma (BT.601) changed by more than `pixelDelta`. The
// result is the fraction of moved points. A fixed grid keeps the cost constant (576 points x 2 frames by default,
// a few microseconds) and makes a small far person and a large near one comparable. Whole-frame changes (a light
// switched on, camera shake) also read as activity; the scene-quality gate's warnings are the place to notice those.
import type { NormalisedBox } from "../../protocol/events";
import type { RgbImage } from "../detect/detector";

export const DEFAULT_ACTIVITY_GRID = 24;
/** Bumped whenever the measure (or its defaults) changes, so the productivity module's drift checks (P5) compare a
 * version's events with its own baseline. */
export const ACTIVITY_MEASURE_VERSION = "motion-1";

/** The model version on workstation events: the detector's version plus the activity measure's. */
export function workstationModelVersion(detectorVersion: string): string {
  return `${detectorVersion.slice(0, 50 - ACTIVITY_MEASURE_VERSION.length - 1)}+${ACTIVITY_MEASURE_VERSION}`;
}

export function boxActivity(
  previous: RgbImage,
  current: RgbImage,
  box: NormalisedBox,
  pixelDelta: number,
  grid = DEFAULT_ACTIVITY_GRID,
): number {
  if (previous.width !== current.width || previous.height !== current.height) return 0;
  const { width, height } = current;
  const x1 = Math.max(0, Math.min(width - 1, box[0] * width));
  const x2 = Math.max(0, Math.min(width - 1, box[2] * width));
  const y1 = Math.max(0, Math.min(height - 1, box[1] * height));
  const y2 = Math.max(0, Math.min(height - 1, box[3] * height));
  if (x2 <= x1 || y2 <= y1) return 0;
  const a = previous.data;
  const b = current.data;
  // Integer luma x 1000 (299 R + 587 G + 114 B): compared against the threshold scaled the same way.
  const limit = pixelDelta * 1000;
  let moved = 0;
  for (let gy = 0; gy < grid; gy++) {
    const y = Math.floor(y1 + ((gy + 0.5) / grid) * (y2 - y1));
    const row = y * width * 3;
    for (let gx = 0; gx < grid; gx++) {
      const i = row + Math.floor(x1 + ((gx + 0.5) / grid) * (x2 - x1)) * 3;
      const la = 299 * a[i]! + 587 * a[i + 1]! + 114 * a[i + 2]!;
      const lb = 299 * b[i]! + 587 * b[i + 1]! + 114 * b[i + 2]!;
      if (Math.abs(la - lb) > limit) moved++;
    }
  }
  return moved / (grid * grid);
}
