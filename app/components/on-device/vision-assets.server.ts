// Where the on-device mode's MediaPipe files come from (issue 13 item 2): Argus's own origin only. The wasm runtime
// is the installed @mediapipe/tasks-vision package's wasm/ folder (pinned 0.10.35: later versions post usage metrics
// to Google), the pose model is the file setup fetched into the models cache (scripts/models/pose-landmarker.sh).
// URLs carry the package version and the model's checksum, so browsers may cache them for good.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { builtinModelsDir } from "../../../worker/detect/builtin-models";

export const POSE_MODEL_FILE = "pose_landmarker_full.task";
export const POSE_MODEL_ID = "mediapipe-pose-landmarker-full";
export const ASSET_ROUTE = "/vision-assets";

/** The files the route may serve from the package's wasm/ folder, and their types. */
export const WASM_FILES: Record<string, string> = {
  "vision_wasm_internal.js": "text/javascript; charset=utf-8",
  "vision_wasm_internal.wasm": "application/wasm",
  "vision_wasm_nosimd_internal.js": "text/javascript; charset=utf-8",
  "vision_wasm_nosimd_internal.wasm": "application/wasm",
};

let packageDir: string | undefined;

/** The installed @mediapipe/tasks-vision folder and version (read once). */
export function tasksVisionPackage(): { dir: string; version: string } {
  packageDir ??= path.dirname(createRequire(import.meta.url).resolve("@mediapipe/tasks-vision"));
  const { version } = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")) as { version: string };
  return { dir: packageDir, version };
}

/** The pose model on disk and its recorded SHA-256, or null when setup has not fetched it. */
export function poseModel(dir = builtinModelsDir()): { file: string; sha256: string } | null {
  const file = path.join(dir, POSE_MODEL_FILE);
  if (!existsSync(file) || !existsSync(`${file}.sha256`)) return null;
  const sha256 = readFileSync(`${file}.sha256`, "utf8").split(/\s+/)[0] ?? "";
  return /^[0-9a-f]{64}$/.test(sha256) ? { file, sha256 } : null;
}

export interface VisionAssets {
  /** Folder URL of the wasm files (FilesetResolver appends the file names). */
  wasmBase: string;
  modelUrl: string;
  /** Appended to every asset URL: the kiosk's publish token, since kiosks have no session cookie. */
  query: string;
  modelId: string;
  /** The model version events carry: the MediaPipe runtime version the model runs on. */
  modelVersion: string;
}

/** What the publish page needs to load PoseLandmarker, or null (with the reason logged by the caller) when absent. */
export function visionAssetsFor(publishToken?: string): VisionAssets | null {
  const model = poseModel();
  if (!model) return null;
  const { version } = tasksVisionPackage();
  return {
    wasmBase: `${ASSET_ROUTE}/wasm/${version}`,
    modelUrl: `${ASSET_ROUTE}/models/${model.sha256.slice(0, 16)}/${POSE_MODEL_FILE}`,
    query: publishToken ? `?token=${encodeURIComponent(publishToken)}` : "",
    modelId: POSE_MODEL_ID,
    modelVersion: version,
  };
}
