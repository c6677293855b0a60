// YOLO v8/v11 decoding end to end through createDetector (SPEC D1), on a tiny ONNX model this test writes with
// onnx-proto: its single output is a constant [1, 4+C, N] (plus 0 x the input, so the input is used) holding known
// boxes in letterboxed input pixels.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { OnnxGraphBuilder } from "../../scripts/models/onnx-writer";
import type { ModelDescriptor } from "../../protocol";
import { createDetector } from "./create-detector";
import { decodeYolo } from "./yolo";

const CLASSES = ["person", "car", "truck"];

/** anchors: [cx, cy, w, h, ...scores] in input pixels. */
function yoloModel(anchors: number[][], size = 64): string {
  const rows = 4 + CLASSES.length;
  const n = anchors.length;
  const data = new Float32Array(rows * n);
  anchors.forEach((a, i) => a.forEach((v, r) => (data[r * n + i] = v)));
  const b = new OnnxGraphBuilder();
  b.addInput("images", [1, 3, size, size]);
  const table = b.addFloat("table", [1, rows, n], data);
  b.addNode("ReduceSum", ["images"], ["sum"], { keepdims: 0 });
  b.addNode("Mul", ["sum", b.addFloat("zero", [], [0])], ["zeroed"]);
  b.addNode("Add", [table, "zeroed"], ["output0"]);
  b.addOutput("output0", [1, rows, n]);
  const dir = mkdtempSync(path.join(tmpdir(), "argus-yolo-"));
  const file = path.join(dir, "tiny-yolo.onnx");
  writeFileSync(file, b.encode("tiny-yolo", ""));
  return file;
}

const descriptor = (size = 64): ModelDescriptor => ({
  id: "tiny-yolo",
  version: "1",
  format: "yolo",
  sha256: "a".repeat(64),
  inputWidth: size,
  inputHeight: size,
  classes: CLASSES,
});

describe("YOLO detector", () => {
  // Frame 128x64 into a 64x64 input: scale 0.5, the image occupies rows 16..48 (padY 16), padX 0.
  const frame = { width: 128, height: 64, data: Buffer.alloc(128 * 64 * 3, 90) };

  it("un-letterboxes, applies the score floor and class-wise NMS, clips to the frame", async () => {
    const file = yoloModel([
      [32, 32, 16, 8, 0.9, 0.1, 0.0], // A person: input [24,28,40,36] → frame [48,24,80,40]
      [33, 32, 16, 8, 0.8, 0.0, 0.0], // B person overlapping A: suppressed
      [32, 32, 16, 8, 0.1, 0.0, 0.7], // C truck on A: another class, kept
      [10, 20, 6, 6, 0.2, 0.0, 0.0], // D below the 0.25 floor: dropped
      [60, 44, 16, 8, 0.0, 0.6, 0.0], // E car over the right edge: input [52,40,68,48] → [104,48,136,64] → clipped x2=128
      [32, 8, 8, 8, 0.5, 0.0, 0.0], // F person entirely in the top border: nothing left after clipping
    ]);
    const detector = await createDetector(descriptor(), file, { threads: 1 });
    const dets = await detector.detect(frame);
    expect(dets.map((d) => d.class)).toEqual(["person", "truck", "car"]);
    expect(dets[0].score).toBeCloseTo(0.9, 5);
    for (const [got, want] of [
      [dets[0].box, [48, 24, 80, 40]],
      [dets[1].box, [48, 24, 80, 40]],
      [dets[2].box, [104, 48, 128, 64]],
    ] as const)
      got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 4));

    expect((await detector.detect(frame, { minScore: 0.75 })).map((d) => d.class)).toEqual(["person"]);
    expect((await detector.detect(frame, { classes: new Set(["car"]) })).map((d) => d.class)).toEqual(["car"]);
    await detector.close();
    await detector.close();
    await expect(detector.detect(frame)).rejects.toThrow(/closed/);
  });

  it("rejects an output that does not hold 4 + C rows", () => {
    expect(() => decodeYolo(new Float32Array(10), [1, 5, 2], 3, { minScore: 0, classIds: null })).toThrow(/4 \+ 3/);
  });

  it("accepts the transposed [1, N, 4+C] layout", () => {
    const data = Float32Array.from([10, 10, 4, 4, 0.1, 0.9, 0.2]);
    const out = decodeYolo(data, [1, 1, 7], 3, { minScore: 0.5, classIds: null });
    expect(out).toEqual([{ classId: 1, score: expect.closeTo(0.9, 5), x1: 8, y1: 8, x2: 12, y2: 12 }]);
  });
});
