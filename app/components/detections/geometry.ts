// Pure geometry for the detection overlay and scene editor (C3, C5): where an object-contain video is drawn inside
// its element, normalised <-> element coordinates, a counting line's "in" side, point-in-polygon. No DOM access.
import type { Point } from "../../../protocol/scene";

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The rectangle an `object-fit: contain` video occupies inside its element (letterboxed or pillarboxed). Without a
 * known video size (no frame yet) the whole element.
 */
export function containRect(
  elementWidth: number,
  elementHeight: number,
  videoWidth: number,
  videoHeight: number,
): Rect {
  if (!videoWidth || !videoHeight || !elementWidth || !elementHeight)
    return { x: 0, y: 0, width: elementWidth, height: elementHeight };
  const scale = Math.min(elementWidth / videoWidth, elementHeight / videoHeight);
  const width = videoWidth * scale;
  const height = videoHeight * scale;
  return { x: (elementWidth - width) / 2, y: (elementHeight - height) / 2, width, height };
}

/** A normalised frame point (0..1) to element pixels. */
export function toElement(p: Point, rect: Rect): { x: number; y: number } {
  return { x: rect.x + p.x * rect.width, y: rect.y + p.y * rect.height };
}

/** Element pixels to a normalised frame point, clamped to the frame (a click in the letterbox lands on its edge). */
export function toNormalised(x: number, y: number, rect: Rect): Point {
  const clamp = (v: number) => Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0));
  return { x: round(clamp((x - rect.x) / rect.width)), y: round(clamp((y - rect.y) / rect.height)) };
}

const round = (v: number) => Math.round(v * 10_000) / 10_000;

/**
 * Unit normal of a line pointing to its "in" side (protocol/scene.ts: walking from a to b, the right-hand side on
 * screen, y down). For a→b = (dx, dy) that is (-dy, dx) in screen coordinates.
 */
export function inSideNormal(a: { x: number; y: number }, b: { x: number; y: number }): { x: number; y: number } {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length = Math.hypot(dx, dy) || 1;
  return { x: -dy / length, y: dx / length };
}

/** Which side of the line a→b a point is on: "in" (right-hand), "out" or "on". */
export function sideOf(a: Point, b: Point, p: Point): "in" | "out" | "on" {
  const cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
  return cross > 0 ? "in" : cross < 0 ? "out" : "on";
}

/** Ray casting; the polygon is closed implicitly. */
export function pointInPolygon(p: Point, polygon: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i]!;
    const b = polygon[j]!;
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/** The point an object is counted by: the bottom centre of its box (where it stands). */
export function boxAnchor(box: readonly [number, number, number, number]): Point {
  return { x: (box[0] + box[2]) / 2, y: box[3] };
}

/** Distance in pixels from p to the segment a-b. */
export function distanceToSegment(
  p: { x: number; y: number },
  a: { x: number; y: number },
  b: { x: number; y: number },
): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSq = dx * dx + dy * dy;
  const t = lengthSq ? Math.min(1, Math.max(0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSq)) : 0;
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** A short id for a new line or zone that matches protocol idSchema (letters, digits, . _ : -). */
export function newSceneId(prefix: "line" | "zone"): string {
  const random =
    typeof crypto !== "undefined" && "getRandomValues" in crypto
      ? Array.from(crypto.getRandomValues(new Uint8Array(5)), (b) => b.toString(36).padStart(2, "0")).join("")
      : Math.random().toString(36).slice(2, 12);
  return `${prefix}-${random}`;
}
