// User-supplied YOLOv8 / YOLOv11 ONNX models (Ultralytics export, SPEC D1). Input [1,3,H,W] RGB 0-1, letterboxed
// (aspect kept, centred, grey 114 border). Output [1, 4+C, N]: per anchor cx, cy, w, h in letterboxed input pixels
// and C class scores (already sigmoid); a [1, N, 4+C] output is accepted too. Each anchor keeps its best class
// (Ultralytics' default), then class-wise NMS; boxes are un-letterboxed to the frame.
import type * as ort from "onnxruntime-node";
import type { RgbImage } from "./detector";
import { OnnxDetector, type Candidate, type DecodeContext } from "./onnx-detector";
import { letterboxToInput, type InputMapping } from "./preprocess";

export function decodeYolo(
  data: ArrayLike<number>,
  dims: readonly number[],
  classes: number,
  context: DecodeContext,
): Candidate[] {
  if (dims.length !== 3 || dims[0] !== 1) throw new Error(`YOLO output must be [1, 4+C, N], got [${dims.join(", ")}]`);
  const rows = 4 + classes;
  let channelsFirst: boolean;
  if (dims[1] === rows) channelsFirst = true;
  else if (dims[2] === rows) channelsFirst = false;
  else throw new Error(`YOLO output [${dims.join(", ")}] does not hold 4 + ${classes} values per anchor`);
  const n = channelsFirst ? dims[2] : dims[1];
  const at = channelsFirst
    ? (row: number, i: number) => data[row * n + i]
    : (row: number, i: number) => data[i * rows + row];
  const out: Candidate[] = [];
  for (let i = 0; i < n; i++) {
    let best = -1;
    let score = -Infinity;
    for (let c = 0; c < classes; c++) {
      if (context.classIds && !context.classIds.has(c)) continue;
      const s = at(4 + c, i);
      if (s > score) {
        score = s;
        best = c;
      }
    }
    if (best < 0 || score < context.minScore) continue;
    const cx = at(0, i);
    const cy = at(1, i);
    const w = at(2, i);
    const h = at(3, i);
    out.push({ classId: best, score, x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2 });
  }
  return out;
}

export class YoloDetector extends OnnxDetector {
  protected fill(frame: RgbImage, input: Float32Array): InputMapping {
    return letterboxToInput(frame, this.spec, input);
  }

  protected decode(outputs: ort.InferenceSession.ReturnType, context: DecodeContext): Candidate[] {
    const name = this.shared.session.outputNames[0];
    const t = outputs[name];
    if (t.type !== "float32") throw new Error(`YOLO output ${name} is ${t.type}, expected float32`);
    return decodeYolo(t.data as Float32Array, t.dims, this.model.classes.length, context);
  }
}
