import { describe, expect, it } from "vitest";
import { anchorOf, crossingFraction, distanceToOutline, pointInPolygon, signedDistance } from "./geometry";

const p = (x: number, y: number) => ({ x, y });

describe("counting geometry (D3)", () => {
  it("anchors a box at its bottom-centre or centre", () => {
    expect(anchorOf([0.2, 0.2, 0.4, 0.6])).toEqual({ x: 0.30000000000000004, y: 0.6 });
    expect(anchorOf([0.2, 0.2, 0.4, 0.6], "center").y).toBeCloseTo(0.4);
  });

  it("is positive on the right-hand side walking from a to b, y down", () => {
    // Walking right along the screen, the right hand points down the screen.
    expect(signedDistance(p(0, 0.5), p(1, 0.5), p(0.5, 0.6))).toBeCloseTo(0.1);
    expect(signedDistance(p(0, 0.5), p(1, 0.5), p(0.5, 0.4))).toBeCloseTo(-0.1);
    // Walking down the screen, the right hand points left.
    expect(signedDistance(p(0.5, 0), p(0.5, 1), p(0.4, 0.5))).toBeCloseTo(0.1);
  });

  it("locates where a move meets the line along a..b", () => {
    const a = p(0.2, 0.5);
    const b = p(0.6, 0.5);
    const f = (from: { x: number; y: number }, to: { x: number; y: number }) =>
      crossingFraction(a, b, from, to, signedDistance(a, b, from), signedDistance(a, b, to));
    expect(f(p(0.4, 0.4), p(0.4, 0.6))).toBeCloseTo(0.5);
    expect(f(p(0.8, 0.4), p(0.8, 0.6))).toBeCloseTo(1.5);
    expect(f(p(0.4, 0.4), p(0.5, 0.45))).toBeNull();
    expect(f(p(0.3, 0.5), p(0.3, 0.6))).toBeCloseTo(0.25);
  });

  it("tests points against a polygon and measures the distance to its outline", () => {
    const square = [p(0.2, 0.2), p(0.6, 0.2), p(0.6, 0.6), p(0.2, 0.6)];
    expect(pointInPolygon(p(0.4, 0.4), square)).toBe(true);
    expect(pointInPolygon(p(0.7, 0.4), square)).toBe(false);
    const concave = [p(0, 0), p(1, 0), p(1, 1), p(0.5, 0.3), p(0, 1)];
    expect(pointInPolygon(p(0.5, 0.6), concave)).toBe(false);
    expect(pointInPolygon(p(0.5, 0.2), concave)).toBe(true);
    expect(distanceToOutline(p(0.4, 0.4), square)).toBeCloseTo(0.2);
    expect(distanceToOutline(p(0.7, 0.7), square)).toBeCloseTo(Math.hypot(0.1, 0.1));
  });
});
