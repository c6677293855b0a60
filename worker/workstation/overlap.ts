// How much of a person's box lies inside a workstation zone (issue 13): the share of a grid of points over the box
// that fall inside the polygon. A box overlap (not the feet anchor the counter uses) because a person at a bench is
// often cut off at the hips by the bench itself, and a zone is drawn around where they stand and work.
import type { NormalisedBox } from "../../protocol/events";
import type { Point } from "../../protocol/scene";
import { pointInPolygon } from "../count/geometry";

const GRID = 8;

export function boxOverlap(box: NormalisedBox, polygon: readonly Point[]): number {
  const [x1, y1, x2, y2] = box;
  if (x2 <= x1 || y2 <= y1) return 0;
  let inside = 0;
  for (let gy = 0; gy < GRID; gy++) {
    const y = y1 + ((gy + 0.5) / GRID) * (y2 - y1);
    for (let gx = 0; gx < GRID; gx++) {
      if (pointInPolygon({ x: x1 + ((gx + 0.5) / GRID) * (x2 - x1), y }, polygon)) inside++;
    }
  }
  return inside / (GRID * GRID);
}
