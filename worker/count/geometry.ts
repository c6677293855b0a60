// Plane geometry for counting (SPEC D3), in normalised frame coordinates (0..1, x right, y down).
import type { NormalisedBox, Point } from "../../protocol";

export type Anchor = "bottom-center" | "center";

/** The point of a box that counts: its bottom-centre (where an object touches the ground) or its centre. */
export function anchorOf(box: NormalisedBox, anchor: Anchor = "bottom-center"): Point {
  const x = (box[0] + box[2]) / 2;
  return { x, y: anchor === "center" ? (box[1] + box[3]) / 2 : box[3] };
}

/**
 * Signed perpendicular distance from p to the infinite line through a and b. Positive on the right-hand side when
 * walking from a to b on screen (y down): the "in" side of a counting line (protocol/scene.ts).
 */
export function signedDistance(a: Point, b: Point, p: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length = Math.hypot(dx, dy);
  if (length === 0) return 0;
  return (dx * (p.y - a.y) - dy * (p.x - a.x)) / length;
}

/**
 * Where the move p -> q meets the infinite line through a and b, as a fraction along a -> b (0 = a, 1 = b), or null
 * when the move does not reach the line. dp and dq are the signed distances of p and q.
 */
export function crossingFraction(a: Point, b: Point, p: Point, q: Point, dp: number, dq: number): number | null {
  if (dp === dq || (dp > 0 && dq > 0) || (dp < 0 && dq < 0)) return null;
  const k = dp / (dp - dq);
  const x = p.x + (q.x - p.x) * k;
  const y = p.y + (q.y - p.y) * k;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  return ((x - a.x) * dx + (y - a.y) * dy) / (dx * dx + dy * dy);
}

/** Even-odd point-in-polygon test. */
export function pointInPolygon(p: Point, polygon: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i];
    const b = polygon[j];
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/** Shortest distance from p to the polygon's outline. */
export function distanceToOutline(p: Point, polygon: readonly Point[]): number {
  let best = Infinity;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    best = Math.min(best, distanceToSegment(p, polygon[j], polygon[i]));
  }
  return best;
}

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}
