// What every ONNX detector shares (SPEC D1): one reusable input buffer, the shared session, mapping decoded boxes
// from model-input pixels back to the frame, clipping, class filtering and class-wise NMS. A format (centernet.ts,
// nanodet.ts, yolo.ts) only says how to fill the input and how to decode the outputs into candidates.
import * as ort from "onnxruntime-node";
import type { ModelDescriptor } from "../../protocol";
import type { DetectOptions, Detection, Detector, RgbImage } from "./detector";
import { clipBox, nms } from "./nms";
import type { SharedSession } from "./onnx-session";
import { tensorLength, toFrame, type InputMapping, type InputSpec } from "./preprocess";

/** A decoded box in model-input pixels, before NMS. */
export interface Candidate {
  classId: number;
  score: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface DecodeContext {
  minScore: number;
  /** Class ids to keep (null = all). */
  classIds: ReadonlySet<number> | null;
}

export interface DetectorTuning {
  /** Default score floor when DetectOptions.minScore is absent. */
  minScore: number;
  /** Class-wise NMS IoU threshold. */
  iouThreshold: number;
  maxDetections: number;
}

export abstract class OnnxDetector implements Detector {
  private spare: Float32Array | null = null;
  private closed = false;

  constructor(
    readonly model: ModelDescriptor,
    protected readonly shared: SharedSession,
    protected readonly spec: InputSpec,
    readonly tuning: DetectorTuning,
  ) {}

  protected abstract fill(frame: RgbImage, input: Float32Array): InputMapping;
  protected abstract decode(outputs: ort.InferenceSession.ReturnType, context: DecodeContext): Candidate[];

  protected inputDims(): number[] {
    const { width, height, layout } = this.spec;
    return layout === "nhwc" ? [1, height, width, 3] : [1, 3, height, width];
  }

  async detect(frame: RgbImage, options: DetectOptions = {}): Promise<Detection[]> {
    if (this.closed) throw new Error(`detector ${this.model.id} is closed`);
    const input = this.spare ?? new Float32Array(tensorLength(this.spec));
    this.spare = null;
    let outputs: ort.InferenceSession.ReturnType;
    let mapping: InputMapping;
    try {
      mapping = this.fill(frame, input);
      const session = this.shared.session;
      outputs = await session.run({ [session.inputNames[0]]: new ort.Tensor("float32", input, this.inputDims()) });
    } finally {
      this.spare = input;
    }
    const minScore = options.minScore ?? this.tuning.minScore;
    let classIds: Set<number> | null = null;
    if (options.classes) {
      classIds = new Set();
      this.model.classes.forEach((name, i) => options.classes?.has(name) && classIds?.add(i));
    }
    const candidates = this.decode(outputs, { minScore, classIds });
    for (const t of Object.values(outputs)) t.dispose?.();
    const detections: Detection[] = [];
    for (const c of candidates) {
      const [x1, y1] = toFrame(mapping, c.x1, c.y1);
      const [x2, y2] = toFrame(mapping, c.x2, c.y2);
      const box = clipBox([x1, y1, x2, y2], frame.width, frame.height);
      if (box[2] - box[0] < 1 || box[3] - box[1] < 1) continue;
      detections.push({
        classId: c.classId,
        class: this.model.classes[c.classId] ?? `class ${c.classId}`,
        score: c.score,
        box,
      });
    }
    return nms(detections, { iouThreshold: this.tuning.iouThreshold, maxDetections: this.tuning.maxDetections });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.shared.release();
  }
}

/** An output tensor's float data, or a clear error when the model lacks it. */
export function outputData(
  outputs: ort.InferenceSession.ReturnType,
  name: string,
): { data: Float32Array; dims: readonly number[] } {
  const t = outputs[name];
  if (!t) throw new Error(`the model has no output "${name}" (outputs: ${Object.keys(outputs).join(", ")})`);
  if (t.type !== "float32") throw new Error(`output "${name}" is ${t.type}, expected float32`);
  return { data: t.data as Float32Array, dims: t.dims };
}
