// D1: the built-in models' manifest, read through worker/detect/builtin-models.ts (the setup cache that
// `npm run setup` fills). Server start only. A missing manifest is not an error: the server runs, detection stays
// off until the models exist (registerBuiltinModels warns).
import { builtinModelsDir, DEFAULT_MODEL_ID, readBuiltinManifest } from "../../../worker/detect/builtin-models";
import type { BuiltinModels } from "./models.server";

export function loadBuiltinModels(warn: (obj: object, msg: string) => void): BuiltinModels | null {
  const dir = builtinModelsDir();
  try {
    const manifest = readBuiltinManifest(dir);
    return { dir, defaultModelId: DEFAULT_MODEL_ID, entries: manifest.models };
  } catch (error) {
    warn({ err: error, dir }, "built-in detection model manifest not readable");
    return null;
  }
}

/** The default model id when neither DETECTION_DEFAULT_MODEL nor a manifest names one. */
export const BUILTIN_DEFAULT_MODEL_ID = DEFAULT_MODEL_ID;
