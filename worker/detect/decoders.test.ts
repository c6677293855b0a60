// CenterNet peak picking and NanoDet distribution decoding on synthetic outputs (SPEC D1).
import { describe, expect, it } from "vitest";
import { decodeCenterNet } from "./centernet";
import { decodeNanoDetLevel } from "./nanodet";

const all = { minScore: 0.3, classIds: null };

describe("CenterNet decode", () => {
  it("keeps only 3x3 peaks above the floor and decodes distances from the cell", () => {
    const g = 4;
    const classes = 2;
    const heat = new Float32Array(g * g * classes);
    const boxes = new Float32Array(g * g * 4);
    const set = (x: number, y: number, c: number, v: number) => (heat[(y * g + x) * classes + c] = v);
    set(1, 1, 0, 0.9); // peak
    set(2, 1, 0, 0.5); // neighbour of the peak: not a peak
    set(3, 3, 0, 0.4); // separate peak
    set(2, 1, 1, 0.6); // other class at the same place: its own peak
    set(0, 3, 1, 0.2); // below the floor
    boxes.set([2, 3, 4, 5], (1 * g + 1) * 4);
    const out = decodeCenterNet(heat, boxes, g, g, classes, 4, all);
    const found = out.map((c) => [c.classId, Math.round(c.score * 100) / 100]).sort((a, b) => a[1] - b[1]);
    expect(found).toEqual([
      [0, 0.4],
      [1, 0.6],
      [0, 0.9],
    ]);
    expect(out.find((c) => c.score > 0.8)).toMatchObject({ x1: 2, y1: 1, x2: 8, y2: 9 });
    expect(decodeCenterNet(heat, boxes, g, g, classes, 4, { minScore: 0.3, classIds: new Set([1]) })).toHaveLength(1);
  });
});

describe("NanoDet decode", () => {
  it("uses softmax-weighted bins times the stride from the cell centre", () => {
    const gridW = 2;
    const classes = 1;
    const bins = 11;
    const scores = Float32Array.from([0.1, 0.8, 0.1, 0.1]); // cell 1 = (x 1, y 0)
    const dist = new Float32Array(4 * 4 * bins).fill(-100);
    const base = 1 * 4 * bins;
    dist[base + 2] = 5; // left: bin 2
    dist[base + bins + 0] = 5; // top: bin 0
    dist[base + 2 * bins + 1] = 0; // right: bins 1 and 3 equally likely → 2
    dist[base + 2 * bins + 3] = 0;
    dist[base + 3 * bins + 10] = 5; // bottom: bin 10
    const out = decodeNanoDetLevel(scores, dist, gridW, classes, 8, all);
    expect(out).toHaveLength(1);
    const c = out[0];
    // Centre (1.5 * 8, 0.5 * 8) = (12, 4).
    expect(c.x1).toBeCloseTo(12 - 16, 4);
    expect(c.y1).toBeCloseTo(4, 4);
    expect(c.x2).toBeCloseTo(12 + 16, 4);
    expect(c.y2).toBeCloseTo(4 + 80, 4);
  });
});
