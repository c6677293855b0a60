import { describe, expect, it } from "vitest";
import { clipBox, iou, nms } from "./nms";

const d = (classId: number, score: number, box: [number, number, number, number]) => ({ classId, score, box });

describe("nms", () => {
  it("computes IoU", () => {
    expect(iou([0, 0, 10, 10], [0, 0, 10, 10])).toBe(1);
    expect(iou([0, 0, 10, 10], [5, 0, 15, 10])).toBeCloseTo(50 / 150);
    expect(iou([0, 0, 10, 10], [10, 0, 20, 10])).toBe(0);
  });

  it("keeps the best of overlapping boxes of a class, highest score first", () => {
    const kept = nms([d(0, 0.5, [1, 0, 11, 10]), d(0, 0.9, [0, 0, 10, 10]), d(0, 0.7, [50, 50, 60, 60])], {
      iouThreshold: 0.5,
    });
    expect(kept.map((k) => k.score)).toEqual([0.9, 0.7]);
  });

  it("is class-wise unless told otherwise, and honours maxDetections", () => {
    const input = [d(0, 0.9, [0, 0, 10, 10]), d(1, 0.8, [0, 0, 10, 10]), d(0, 0.1, [30, 30, 40, 40])];
    expect(nms(input, { iouThreshold: 0.5 })).toHaveLength(3);
    expect(nms(input, { iouThreshold: 0.5, classWise: false })).toHaveLength(2);
    expect(nms(input, { iouThreshold: 0.5, maxDetections: 1 })).toEqual([input[0]]);
  });

  it("does not suppress at exactly the threshold and clips boxes", () => {
    expect(nms([d(0, 0.9, [0, 0, 10, 10]), d(0, 0.8, [5, 0, 15, 10])], { iouThreshold: 1 / 3 })).toHaveLength(2);
    expect(clipBox([-5, 3, 700, 500], 640, 480)).toEqual([0, 3, 640, 480]);
  });
});
