// D1: reads the built-in models' manifest through worker/detect/builtin-models.ts (the setup cache that
// `npm run setup` fills). Server start only. A missing module, directory or manifest is not an error: the server
// runs, detection stays off until the models exist.
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { BuiltinModelEntry, BuiltinModels } from "./models.server";

interface BuiltinModule {
  builtinModelsDir(): string;
  readBuiltinManifest(): unknown;
  DEFAULT_MODEL_ID: string;
}

// Resolved at run time: the worker side owns this module (and the cache layout).
const MODULE_PATH = path.resolve(import.meta.dirname, "../../../worker/detect/builtin-models.ts");

export async function loadBuiltinModels(warn: (obj: object, msg: string) => void): Promise<BuiltinModels | null> {
  let mod: BuiltinModule;
  try {
    mod = (await import(pathToFileURL(MODULE_PATH).href)) as BuiltinModule;
  } catch (error) {
    warn({ err: error }, "built-in model manifest reader not available");
    return null;
  }
  try {
    const manifest = await mod.readBuiltinManifest();
    const entries = (Array.isArray(manifest) ? manifest : (manifest as { models?: unknown } | null)?.models) as
      BuiltinModelEntry[] | undefined;
    if (!entries?.length) return null;
    return { dir: mod.builtinModelsDir(), defaultModelId: mod.DEFAULT_MODEL_ID, entries };
  } catch (error) {
    warn({ err: error }, "built-in model manifest not readable");
    return null;
  }
}
