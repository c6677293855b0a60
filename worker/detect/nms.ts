// Greedy non-maximum suppression over pixel boxes (SPEC D1), class-wise by default.
import type { Detection, PixelBox } from "./detector";

export function area(b: PixelBox): number {
  return Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);
}

export function iou(a: PixelBox, b: PixelBox): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (area(a) + area(b) - inter);
}

export interface NmsOptions {
  /** Suppress a box whose IoU with a kept, higher-scoring box exceeds this. */
  iouThreshold: number;
  /** Only boxes of the same class suppress each other (default true). */
  classWise?: boolean;
  /** Keep at most this many (highest scores first). */
  maxDetections?: number;
}

/** Returns the kept detections, highest score first. Does not mutate the input. */
export function nms<T extends Pick<Detection, "box" | "score" | "classId">>(
  detections: readonly T[],
  options: NmsOptions,
): T[] {
  const { iouThreshold, classWise = true, maxDetections = Infinity } = options;
  const sorted = [...detections].sort((a, b) => b.score - a.score);
  const kept: T[] = [];
  for (const d of sorted) {
    if (kept.length >= maxDetections) break;
    let suppressed = false;
    for (const k of kept) {
      if (classWise && k.classId !== d.classId) continue;
      if (iou(k.box, d.box) > iouThreshold) {
        suppressed = true;
        break;
      }
    }
    if (!suppressed) kept.push(d);
  }
  return kept;
}

/** Clip a box to a width x height frame. */
export function clipBox(b: PixelBox, width: number, height: number): PixelBox {
  return [
    Math.min(Math.max(b[0], 0), width),
    Math.min(Math.max(b[1], 0), height),
    Math.min(Math.max(b[2], 0), width),
    Math.min(Math.max(b[3], 0), height),
  ];
}
