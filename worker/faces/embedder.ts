// Face embedder (issue 14, D6; ADR 0017): the face crop the embedding model sees, and running it.
// Crop modes (measured in docs/models.md, bench/faces.ts --crop):
//   "box"    - the detector's box, squared and grown, axis-aligned (what @vladmandic/human feeds without its mesh)
//   "rotate" - the same square turned about its centre so the eyes are level (in-plane tilt removed)
//   "eyes"   - a similarity transform from the two eye keypoints to fixed positions (tilt and scale from the eyes)
import type * as ort from "onnxruntime-node";
import { alignAffine, warpToTensor, type Affine } from "./align";
import type { EmbedderSource } from "./face-models";
import type { FoundFace, RgbImage } from "./types";

export type CropMode = "box" | "rotate" | "eyes";

export interface CropSpec {
  mode: CropMode;
  /** box/rotate: side of the square crop as a multiple of the box's longer side. */
  grow: number;
  /** eyes: eye distance as a fraction of the crop side, and the eyes' height (fraction from the top). */
  eyeDistance: number;
  eyeY: number;
}

/** The chosen crop (ADR 0017): faceres on the offline photos + augmentations, d' (genuine vs impostor separation)
 * box 1.0/1.4/1.7/2.0/2.4 = 1.85/2.90/3.40/3.36/3.17, rotate 1.7 = 3.36, eye similarity 2.74-2.78: levelling the
 * eyes did not help and a fixed eye geometry hurt (faceres was trained on loose, unaligned crops). */
export const DEFAULT_CROP: CropSpec = { mode: "box", grow: 1.7, eyeDistance: 0.3, eyeY: 0.42 };

/** Output pixel → source pixel for the embedder's size x size input. */
export function cropAffineFor(face: Pick<FoundFace, "box" | "keypoints">, size: number, spec: CropSpec): Affine {
  const [x1, y1, x2, y2] = face.box;
  const re = face.keypoints[0]!;
  const le = face.keypoints[1]!;
  if (spec.mode === "eyes") return alignAffine(re, le, { size, eyeDistance: spec.eyeDistance, eyeY: spec.eyeY });
  const side = Math.max(x2 - x1, y2 - y1) * spec.grow;
  const s = side / size;
  const angle = spec.mode === "rotate" ? Math.atan2(le[1] - re[1], le[0] - re[0]) : 0;
  const cos = Math.cos(angle) * s;
  const sin = Math.sin(angle) * s;
  const cx = (x1 + x2) / 2;
  const cy = (y1 + y2) / 2;
  const h = size / 2;
  return [cos, -sin, cx - cos * h + sin * h, sin, cos, cy - sin * h - cos * h];
}

const RANGES: Record<EmbedderSource["inputRange"], [number, number]> = {
  "0-255": [1, 0],
  "0-1": [1 / 255, 0],
  "-1-1": [1 / 127.5, -1],
};

/** e.g. "box1.7", "rotate1.4", "eyes0.3@0.42". */
export function cropTag(c: CropSpec): string {
  return c.mode === "eyes" ? `eyes${c.eyeDistance}@${c.eyeY}` : `${c.mode}${c.grow}`;
}

export function l2normalise(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i]! * v[i]!;
  n = Math.sqrt(n) || 1;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! / n;
  return out;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export class Embedder {
  readonly id: string;
  readonly version: string;
  readonly dimensions: number;

  constructor(
    private readonly ortModule: typeof ort,
    private readonly session: ort.InferenceSession,
    readonly source: EmbedderSource,
    readonly crop: CropSpec = DEFAULT_CROP,
  ) {
    this.id = source.id;
    // The crop is part of the version: embeddings of the same model from another crop are not comparable, so a
    // gallery enrolled under another crop is not matched against (the worker compares modelId + modelVersion).
    this.version = `${source.version}/${cropTag(crop)}`;
    this.dimensions = source.dimensions;
  }

  /** The model input for one face: NHWC float32 in the model's value range. */
  input(img: RgbImage, face: Pick<FoundFace, "box" | "keypoints">): Float32Array {
    const S = this.source.inputSize;
    const [scale, offset] = RANGES[this.source.inputRange];
    // Outside the image: mid-grey, so a face at the frame's edge does not get a hard black border it never saw.
    return warpToTensor(img, cropAffineFor(face, S, this.crop), S, S, { scale, offset, fill: 128 });
  }

  /** Raw model output for a prepared input (parity tests compare this with TF.js). */
  async run(input: Float32Array): Promise<Float32Array> {
    const S = this.source.inputSize;
    const feeds = { [this.session.inputNames[0]!]: new this.ortModule.Tensor("float32", input, [1, S, S, 3]) };
    const out = await this.session.run(feeds);
    return Float32Array.from(out[this.session.outputNames[0]!]!.data as Float32Array);
  }

  async embed(img: RgbImage, face: Pick<FoundFace, "box" | "keypoints">): Promise<Float32Array> {
    return l2normalise(await this.run(this.input(img, face)));
  }
}
