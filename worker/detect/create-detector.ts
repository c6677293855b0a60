// The one way the worker (and scripts/detect.ts, bench/detector.ts) turns a model into a Detector (SPEC D1):
//   createDetector(descriptor: ModelDescriptor, onnxPath: string, options: { threads: number }): Promise<Detector>
// The descriptor's format picks the pre/post-processing; the ONNX session is shared per file (onnx-session.ts);
// close() releases this detector's hold on it. Fails with a clear message when the file is not a model of that
// format (missing outputs).
import type { ModelDescriptor } from "../../protocol";
import { CenterNetDetector, CENTERNET_OUTPUTS } from "./centernet";
import type { Detector } from "./detector";
import { NanoDetDetector, NANODET_STRIDES, nanodetOutputs } from "./nanodet";
import type { DetectorTuning } from "./onnx-detector";
import { acquireSession } from "./onnx-session";
import type { InputSpec } from "./preprocess";
import { YoloDetector } from "./yolo";

/** Per format: input layout, scale and channel order, and the default score floor / NMS (measured on vtest.avi:
 * docs/models.md). NanoDet takes BGR: upstream trains on OpenCV (BGR) images, and on the vtest ground truth BGR
 * gives person recall 0.95 / precision 0.95 against 0.91 / 0.83 for RGB at the same floor. */
export const FORMAT_DEFAULTS: Record<
  ModelDescriptor["format"],
  { input: Omit<InputSpec, "width" | "height">; tuning: DetectorTuning }
> = {
  centernet: { input: { layout: "nhwc", scale: 1 }, tuning: { minScore: 0.35, iouThreshold: 0.6, maxDetections: 100 } },
  nanodet: {
    input: { layout: "nchw", scale: 1 / 255, channels: "bgr" },
    tuning: { minScore: 0.35, iouThreshold: 0.6, maxDetections: 100 },
  },
  yolo: {
    input: { layout: "nchw", scale: 1 / 255 },
    tuning: { minScore: 0.25, iouThreshold: 0.5, maxDetections: 300 },
  },
};

export interface CreateDetectorOptions {
  /** onnxruntime intra-op threads (detectorConfigSchema). */
  threads: number;
  /** Override the format's default score floor / NMS. */
  tuning?: Partial<DetectorTuning>;
}

export async function createDetector(
  descriptor: ModelDescriptor,
  onnxPath: string,
  options: CreateDetectorOptions,
): Promise<Detector> {
  const defaults = FORMAT_DEFAULTS[descriptor.format];
  if (!defaults) throw new Error(`unknown model format ${descriptor.format}`);
  const spec: InputSpec = { width: descriptor.inputWidth, height: descriptor.inputHeight, ...defaults.input };
  const tuning = { ...defaults.tuning, ...options.tuning };
  const shared = await acquireSession(onnxPath, { threads: options.threads });
  try {
    const have = new Set(shared.session.outputNames);
    const need =
      descriptor.format === "centernet"
        ? Object.values(CENTERNET_OUTPUTS)
        : descriptor.format === "nanodet"
          ? NANODET_STRIDES.flatMap((s) => Object.values(nanodetOutputs(s)))
          : [];
    const missing = need.filter((n) => !have.has(n));
    if (missing.length > 0)
      throw new Error(
        `${onnxPath} is not a ${descriptor.format} model as Argus converts it: missing outputs ${missing.join(", ")}`,
      );
    if (shared.session.inputNames.length !== 1)
      throw new Error(`${onnxPath}: expected one image input, found ${shared.session.inputNames.length}`);
    switch (descriptor.format) {
      case "centernet":
        return new CenterNetDetector(descriptor, shared, spec, tuning);
      case "nanodet":
        return new NanoDetDetector(descriptor, shared, spec, tuning);
      case "yolo":
        return new YoloDetector(descriptor, shared, spec, tuning);
    }
  } catch (error) {
    await shared.release();
    throw error;
  }
}
