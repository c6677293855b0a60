// The detection stage's seam (SPEC D1): every model format (CenterNet, NanoDet, YOLO v8/v11) implements Detector; the
// pipeline never knows which one runs. One onnxruntime session per model per worker, shared by its cameras.
import type { ModelDescriptor } from "../../protocol";

/** A box in the pixels of the frame that was passed in: [x1, y1, x2, y2], x right, y down. */
export type PixelBox = [number, number, number, number];

export interface Detection {
  /** Index into the model's class list. */
  classId: number;
  /** COCO-style name ("person", "car", ...). */
  class: string;
  score: number;
  box: PixelBox;
}

/** A decoded frame: row-major RGB, 3 bytes a pixel (worker/ingest/frame-source.ts Frame satisfies it). */
export interface RgbImage {
  width: number;
  height: number;
  data: Buffer | Uint8Array;
}

export interface DetectOptions {
  /** Drop detections below this score (after decoding, before NMS). Default: the detector's own floor. */
  minScore?: number;
  /** Keep only these class names (absent = all). */
  classes?: ReadonlySet<string>;
}

export interface Detector {
  readonly model: ModelDescriptor;
  /** Resizes once to the model input, runs the session, decodes and applies NMS. Never mutates the frame. */
  detect(frame: RgbImage, options?: DetectOptions): Promise<Detection[]>;
  /** Idempotent. */
  close(): Promise<void>;
}
