// Face quality measures and the resampling they use (issue 14: enrolment feedback and gating read them).
import { describe, expect, it } from "vitest";
import { alignAffine, applyAffine, cropAffine, warpToTensor } from "./align";
import { frontalness, laplacianVariance } from "./quality";
import type { RgbImage } from "./types";

function image(w: number, h: number, f: (x: number, y: number) => number): RgbImage {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.fill(f(x, y), (y * w + x) * 3, (y * w + x) * 3 + 3);
  return { width: w, height: h, data };
}

describe("laplacianVariance", () => {
  it("is 0 on a flat patch and 16 on a 0/1 checkerboard (every interior Laplacian is +-4)", () => {
    const flat = new Float32Array(16 * 16).fill(100);
    expect(laplacianVariance(flat, 16, 16)).toBe(0);
    // Checkerboard 0/1: an interior pixel of value v has four neighbours 1-v: L = 4(1-v) - 4v = +-4 -> variance 16.
    const board = new Float32Array(16 * 16).map((_, i) => ((i % 16) + Math.floor(i / 16)) % 2);
    expect(laplacianVariance(board, 16, 16)).toBeCloseTo(16, 6);
  });
});

describe("frontalness", () => {
  it("is 1 for a symmetric face and falls as the nose moves towards one eye and one ear", () => {
    // Right eye, left eye, nose, mouth, right ear, left ear (image coordinates).
    const frontal: Array<[number, number]> = [
      [40, 50],
      [60, 50],
      [50, 60],
      [50, 70],
      [25, 55],
      [75, 55],
    ];
    expect(frontalness(frontal)).toBeCloseTo(1, 6);
    const turned: Array<[number, number]> = [
      [40, 50],
      [60, 50],
      [57, 60],
      [57, 70],
      [25, 55],
      [68, 55],
    ];
    const t = frontalness(turned);
    expect(t).toBeLessThan(0.6);
    expect(t).toBeGreaterThan(0);
    // Tilting the whole face in the image plane (30 degrees) does not count.
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    const tilted = frontal.map(
      ([x, y]) => [50 + (x - 50) * c - (y - 50) * s, 50 + (x - 50) * s + (y - 50) * c] as [number, number],
    );
    expect(frontalness(tilted)).toBeCloseTo(1, 6);
  });
});

describe("warpToTensor", () => {
  it("an identity crop reproduces the pixels; the letterbox outside the image is the fill value", () => {
    const img = image(8, 4, (x, y) => x * 10 + y);
    const out = warpToTensor(img, cropAffine(0, -2, 8, 8), 8, 8, { fill: 7 });
    // Row 0-1 of the output are above the image (padding): fill. Row 2 is image row 0.
    expect(out[(0 * 8 + 3) * 3]).toBe(7);
    expect(out[(2 * 8 + 3) * 3]).toBeCloseTo(30, 5);
    expect(out[(5 * 8 + 6) * 3]).toBeCloseTo(63, 5);
  });

  it("shrinking averages the footprint instead of sampling one pixel (no aliasing)", () => {
    const stripes = image(64, 64, (x) => (x % 2 ? 255 : 0));
    const out = warpToTensor(stripes, cropAffine(0, 0, 64, 8), 8, 8);
    for (let i = 0; i < out.length; i++) expect(Math.abs(out[i]! - 127.5)).toBeLessThan(20);
  });

  it("alignAffine puts the eyes level, at the requested distance and height", () => {
    const spec = { size: 100, eyeDistance: 0.4, eyeY: 0.4 };
    const m = alignAffine([300, 220], [340, 250], spec); // eyes 50 px apart, tilted
    const [rx, ry] = applyAffine(m, 30, 40); // where the right eye should land in the output
    const [lx, ly] = applyAffine(m, 70, 40);
    expect(rx).toBeCloseTo(300, 6);
    expect(ry).toBeCloseTo(220, 6);
    expect(lx).toBeCloseTo(340, 6);
    expect(ly).toBeCloseTo(250, 6);
  });
});
