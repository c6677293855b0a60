// BlazeFace anchors and decoding against hand-checked numbers (issue 14 "BlazeFace anchor decoding against
// hand-checked boxes"): raw score/regressor tensors are built by hand, decoded, and the pixel boxes and keypoints
// compared with values worked out on paper (comments show the arithmetic).
import type * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { BACK_ANCHORS, FRONT_ANCHORS, generateAnchors } from "./anchors";
import { BlazeFace, decodeBlazeFace, weightedNms, type RawFace } from "./blazeface";

const LOGIT_OFF = -10; // sigmoid ~ 0.00005
const logit = (p: number) => Math.log(p / (1 - p));

/** Hand-built outputs for the 896 anchors: everything off except the given anchors. */
function rawOutputs(set: Array<{ anchor: number; score: number; reg: number[] }>) {
  const scores = new Float32Array(896).fill(LOGIT_OFF);
  const regs = new Float32Array(896 * 16);
  for (const s of set) {
    scores[s.anchor] = logit(s.score);
    regs.set(s.reg, s.anchor * 16);
  }
  return { scores, regs };
}

describe("anchors", () => {
  it("front 128 and back 256 both have 896 anchors in the models' output order", () => {
    const back = generateAnchors(BACK_ANCHORS);
    const front = generateAnchors(FRONT_ANCHORS);
    expect(back.length / 2).toBe(896);
    expect(front.length / 2).toBe(896);
    // Back: 16x16 grid with 2 anchors a cell (stride 16), then 8x8 with 6 (three stride-32 layers x 2).
    expect([back[0], back[1]]).toEqual([0.5 / 16, 0.5 / 16]); // anchor 0: cell (0,0)
    expect([back[2], back[3]]).toEqual([0.5 / 16, 0.5 / 16]); // anchor 1: same cell
    expect([back[4], back[5]]).toEqual([1.5 / 16, 0.5 / 16]); // anchor 2: cell (1,0)
    expect([back[2 * 32], back[2 * 32 + 1]]).toEqual([0.5 / 16, 1.5 / 16]); // anchor 32: row 1
    expect([back[2 * 512], back[2 * 512 + 1]]).toEqual([0.5 / 8, 0.5 / 8]); // anchor 512: coarse grid starts
    expect([back[2 * 517], back[2 * 517 + 1]]).toEqual([0.5 / 8, 0.5 / 8]); // 512..517 share cell (0,0)
    expect([back[2 * 518], back[2 * 518 + 1]]).toEqual([1.5 / 8, 0.5 / 8]);
    expect([back[2 * 895], back[2 * 895 + 1]]).toEqual([7.5 / 8, 7.5 / 8]);
    // Front: the same layout (16x16 at stride 8 of 128, 8x8 at stride 16): identical normalised centres.
    expect(Array.from(front)).toEqual(Array.from(back));
  });
});

describe("decoding", () => {
  const anchors = generateAnchors(BACK_ANCHORS);

  it("turns regressors into input-relative boxes and keypoints", () => {
    // Anchor 106 = fine cell (x 5, y 3): centre (5.5/16, 3.5/16) * 256 = (88, 56) input px.
    // Box: dx +8, dy -4, w 40, h 48 -> centre (96, 52), box [76, 28, 116, 76] px.
    // Right eye dx -10, dy -8 -> (78, 48); left eye +10, -8 -> (98, 48); nose (88, 56) ...
    const reg = [8, -4, 40, 48, -10, -8, 10, -8, 0, 0, 0, 12, -20, -2, 20, -2];
    const { scores, regs } = rawOutputs([{ anchor: 106, score: 0.9, reg }]);
    const faces = decodeBlazeFace(scores, regs, anchors, 256, 0.5);
    expect(faces).toHaveLength(1);
    const f = faces[0]!;
    expect(f.score).toBeCloseTo(0.9, 6);
    expect(f.cx * 256).toBeCloseTo(96, 4);
    expect(f.cy * 256).toBeCloseTo(52, 4);
    expect(f.w * 256).toBeCloseTo(40, 4);
    expect(f.h * 256).toBeCloseTo(48, 4);
    const kp = f.keypoints.map((v) => v * 256);
    expect(kp.map((v) => Math.round(v * 1000) / 1000)).toEqual([78, 48, 98, 48, 88, 56, 88, 68, 68, 54, 108, 54]);
  });

  it("drops scores under the threshold and clips huge logits", () => {
    const { scores, regs } = rawOutputs([
      { anchor: 10, score: 0.49, reg: new Array(16).fill(0) },
      { anchor: 600, score: 0.51, reg: new Array(16).fill(0) },
    ]);
    scores[700] = 1e6; // would overflow exp() without the +-100 clip
    const faces = decodeBlazeFace(scores, regs, anchors, 256, 0.5);
    expect(faces.map((f) => Math.round(f.score * 100))).toEqual([51, 100]);
  });

  it("weighted NMS blends overlapping boxes by score and keeps separate faces apart", () => {
    const face = (score: number, cx: number): RawFace => ({
      score,
      cx,
      cy: 0.5,
      w: 0.2,
      h: 0.2,
      keypoints: new Array(12).fill(cx),
    });
    // 0.9 @ 0.50 and 0.6 @ 0.52 overlap (IoU 0.82); the blend is (0.9*0.5 + 0.6*0.52) / 1.5 = 0.508.
    const kept = weightedNms([face(0.6, 0.52), face(0.9, 0.5), face(0.8, 0.1)]);
    expect(kept).toHaveLength(2);
    expect(kept[0]!.score).toBe(0.9);
    expect(kept[0]!.cx).toBeCloseTo(0.508, 6);
    expect(kept[0]!.keypoints[0]).toBeCloseTo(0.508, 6);
    expect(kept[1]!.cx).toBeCloseTo(0.1, 6);
  });
});

describe("BlazeFace.detect maps model pixels back to image pixels", () => {
  /** An onnxruntime session stand-in that returns hand-built outputs (the decoding under test is ours). */
  function sessionReturning(scores: Float32Array, regs: Float32Array): ort.InferenceSession {
    const t = (data: Float32Array) => ({ data }) as unknown as ort.Tensor;
    return {
      inputNames: ["input:0"],
      outputNames: ["Identity:0", "Identity_1:0", "Identity_2:0", "Identity_3:0"],
      run: async () => ({
        "Identity:0": t(scores.subarray(0, 512)),
        "Identity_1:0": t(scores.subarray(512)),
        "Identity_2:0": t(regs.subarray(0, 512 * 16)),
        "Identity_3:0": t(regs.subarray(512 * 16)),
      }),
    } as unknown as ort.InferenceSession;
  }
  const ortStub = { Tensor: class {} } as unknown as typeof ort;
  const image = { width: 1000, height: 500, data: new Uint8Array(1000 * 500 * 3) };

  it("whole image: the 1000x500 frame is letterboxed into a 1000-px square starting at y = -250", async () => {
    // Anchor (x 5, y 9) fine = index (9*16+5)*2 = 298: centre (88, 152) input px; dy -2 -> centre (96, 150).
    // Scale 1000/256 = 3.90625: centre x 96*3.90625 = 375, y -250 + 150*3.90625 = 335.9375; w 40 -> 156.25.
    const { scores, regs } = rawOutputs([
      { anchor: 298, score: 0.9, reg: [8, -2, 40, 48, -10, -8, 10, -8, 0, 0, 0, 12, -20, -2, 20, -2] },
    ]);
    const bf = new BlazeFace(ortStub, sessionReturning(scores, regs), "back", 0.5);
    const [f] = await bf.detect(image);
    expect(f!.box.map((v) => Math.round(v * 10000) / 10000)).toEqual([296.875, 242.1875, 453.125, 429.6875]);
    // Right eye (78, 144) input px -> (304.6875, 312.5).
    expect(f!.keypoints[0]!.map((v) => Math.round(v * 10000) / 10000)).toEqual([304.6875, 312.5]);
  });

  it("region: a tall 100x300 person box is padded to a 300-px square; faces in the padding are dropped", async () => {
    // Region [600, 100, 700, 400] -> square x0 = 500, y0 = 100, side 300; scale 300/256.
    // Anchor 106 (centre (96, 52) after dx 8, dy -4) -> x 500 + 96*300/256 = 612.5, y 100 + 52*300/256 = 160.9375.
    // Anchor 2 (cell (1,0): (24, 8)) -> x 500 + 24*1.171875 = 528.125: in the padding left of the region.
    const { scores, regs } = rawOutputs([
      { anchor: 106, score: 0.9, reg: [8, -4, 40, 48, ...new Array(12).fill(0)] },
      { anchor: 2, score: 0.95, reg: new Array(16).fill(0) },
    ]);
    const bf = new BlazeFace(ortStub, sessionReturning(scores, regs), "back", 0.5);
    const faces = await bf.detect(image, [600, 100, 700, 400]);
    expect(faces).toHaveLength(1);
    const [x1, y1, x2, y2] = faces[0]!.box;
    expect((x1 + x2) / 2).toBeCloseTo(612.5, 4);
    expect((y1 + y2) / 2).toBeCloseTo(160.9375, 4);
    expect(x2 - x1).toBeCloseTo(40 * (300 / 256), 4);
  });
});
