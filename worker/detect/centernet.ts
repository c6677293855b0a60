// CenterNet (MobileNetV3, COCO; converted from @vladmandic/human's TF.js graph, SPEC D1). Input [1,512,512,3]
// RGB 0-255, plain resize. Outputs (cut before the graph's own post-processing): `heatmap` [1,G,G,80] class
// probabilities (sigmoid) and `boxes` [1,G,G,4] distances (left, top, right, bottom) in input pixels from the cell
// at (x*stride, y*stride), stride = input / G = 4. Decode = 3x3 peak picking per class, as the graph did
// (heatmap == maxpool3x3(heatmap)).
import type * as ort from "onnxruntime-node";
import type { RgbImage } from "./detector";
import { OnnxDetector, outputData, type Candidate, type DecodeContext } from "./onnx-detector";
import { resizeToInput, type InputMapping } from "./preprocess";

export const CENTERNET_OUTPUTS = { heatmap: "heatmap", boxes: "boxes" } as const;

export function decodeCenterNet(
  heatmap: ArrayLike<number>,
  boxes: ArrayLike<number>,
  gridH: number,
  gridW: number,
  classes: number,
  stride: number,
  context: DecodeContext,
): Candidate[] {
  const out: Candidate[] = [];
  const { minScore, classIds } = context;
  for (let y = 0; y < gridH; y++) {
    for (let x = 0; x < gridW; x++) {
      const cell = (y * gridW + x) * classes;
      for (let c = 0; c < classes; c++) {
        const v = heatmap[cell + c];
        if (v < minScore || (classIds && !classIds.has(c))) continue;
        let peak = true;
        for (let dy = -1; dy <= 1 && peak; dy++) {
          const ny = y + dy;
          if (ny < 0 || ny >= gridH) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const nx = x + dx;
            if (nx < 0 || nx >= gridW || (dx === 0 && dy === 0)) continue;
            if (heatmap[(ny * gridW + nx) * classes + c] > v) {
              peak = false;
              break;
            }
          }
        }
        if (!peak) continue;
        const b = (y * gridW + x) * 4;
        const cx = x * stride;
        const cy = y * stride;
        out.push({
          classId: c,
          score: v,
          x1: cx - boxes[b],
          y1: cy - boxes[b + 1],
          x2: cx + boxes[b + 2],
          y2: cy + boxes[b + 3],
        });
      }
    }
  }
  return out;
}

export class CenterNetDetector extends OnnxDetector {
  protected fill(frame: RgbImage, input: Float32Array): InputMapping {
    return resizeToInput(frame, this.spec, input);
  }

  protected decode(outputs: ort.InferenceSession.ReturnType, context: DecodeContext): Candidate[] {
    const heat = outputData(outputs, CENTERNET_OUTPUTS.heatmap);
    const boxes = outputData(outputs, CENTERNET_OUTPUTS.boxes);
    const [, gridH, gridW, classes] = heat.dims;
    return decodeCenterNet(heat.data, boxes.data, gridH, gridW, classes, this.spec.width / gridW, context);
  }
}
