// Run a detector on an image or a video from the command line (SPEC D1), with the same code the workers run
// (worker/detect/create-detector.ts):
//   npm run detect -- <image or video> [--model ID|file.onnx] [--json] [--fps N] [--threads N] [--min-score S]
//                     [--max-frames N] [--input-size N]
// Decodes with ffmpeg to rgb24 at the input's own size (an image: one frame; a video: frames at --fps, default 2)
// and prints per frame each detection's class, confidence and box [x1, y1, x2, y2] in frame pixels; --json prints
// one JSON object per frame instead. --model takes a built-in model id (default: DEFAULT_MODEL_ID) or a path to a
// YOLOv8/v11 ONNX file (COCO classes, square input of --input-size, default 640).
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { ModelDescriptor } from "../protocol";
import {
  builtinModelPath,
  DEFAULT_MODEL_ID,
  findBuiltinModel,
  readBuiltinManifest,
  toDescriptor,
} from "../worker/detect/builtin-models";
import { COCO_CLASSES } from "../worker/detect/coco";
import { createDetector } from "../worker/detect/create-detector";
import type { Detection, Detector } from "../worker/detect/detector";
import { probeSize } from "../worker/detect/vtest-frames";

const USAGE =
  "usage: npm run detect -- <image or video> [--model ID|file.onnx] [--json] [--fps N] [--threads N] [--min-score S] [--max-frames N] [--input-size N]";
const IMAGE = /\.(png|jpe?g|bmp|webp|gif|tiff?|ppm|pgm)$/i;

function resolveModel(model: string, inputSize: number): { descriptor: ModelDescriptor; file: string } {
  if (model.endsWith(".onnx")) {
    if (!existsSync(model)) throw new Error(`${model} does not exist`);
    return {
      file: model,
      descriptor: {
        id: path.basename(model, ".onnx").replace(/[^A-Za-z0-9._:-]/g, "-"),
        version: "local",
        format: "yolo",
        sha256: createHash("sha256").update(readFileSync(model)).digest("hex"),
        inputWidth: inputSize,
        inputHeight: inputSize,
        classes: [...COCO_CLASSES],
      },
    };
  }
  const entry = findBuiltinModel(readBuiltinManifest(), model);
  return { descriptor: toDescriptor(entry), file: builtinModelPath(entry) };
}

const fmt = (d: Detection) =>
  `  ${d.class.padEnd(14)} ${d.score.toFixed(2)}  [${d.box.map((v) => Math.round(v)).join(", ")}]`;

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      model: { type: "string", default: DEFAULT_MODEL_ID },
      json: { type: "boolean", default: false },
      fps: { type: "string", default: "2" },
      threads: { type: "string", default: "2" },
      "min-score": { type: "string" },
      "max-frames": { type: "string" },
      "input-size": { type: "string", default: "640" },
      help: { type: "boolean" },
    },
  });
  const input = positionals[0];
  if (values.help || !input) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  if (!existsSync(input)) throw new Error(`${input} does not exist`);
  const fps = Number(values.fps);
  const threads = Number(values.threads);
  const minScore = values["min-score"] === undefined ? undefined : Number(values["min-score"]);
  const maxFrames = values["max-frames"] === undefined ? Infinity : Number(values["max-frames"]);
  if (!(fps > 0) || !(threads >= 1 && threads <= 16)) throw new Error(`bad --fps or --threads\n${USAGE}`);

  const { descriptor, file } = resolveModel(values.model, Number(values["input-size"]));
  const detector: Detector = await createDetector(descriptor, file, { threads });
  const { width, height } = probeSize(input);
  const image = IMAGE.test(input);
  const ffmpeg = spawn(
    process.env.FFMPEG_PATH || "ffmpeg",
    [
      ...["-hide_banner", "-loglevel", "error", "-i", input],
      ...(image ? ["-frames:v", "1"] : ["-vf", `fps=${fps}`]),
      ...["-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  // ffmpeg's complaints after we stop reading early (EPIPE) are noise; shown only when no frame came out.
  let ffmpegErrors = "";
  ffmpeg.stderr.on("data", (c: Buffer) => (ffmpegErrors = (ffmpegErrors + c.toString()).slice(-4000)));
  const frameBytes = width * height * 3;
  let pending = Buffer.alloc(0);
  let index = 0;
  const started = Date.now();
  let busyMs = 0;
  try {
    for await (const chunk of ffmpeg.stdout) {
      pending = Buffer.concat([pending, chunk as Buffer]);
      while (pending.length >= frameBytes && index < maxFrames) {
        const data = pending.subarray(0, frameBytes);
        pending = pending.subarray(frameBytes);
        const t0 = performance.now();
        const detections = await detector.detect({ width, height, data }, { minScore });
        const ms = performance.now() - t0;
        busyMs += ms;
        const time = image ? 0 : index / fps;
        if (values.json) {
          console.log(
            JSON.stringify({
              frame: index,
              time,
              width,
              height,
              model: `${descriptor.id}@${descriptor.version}`,
              ms: Math.round(ms * 10) / 10,
              detections: detections.map((d) => ({
                class: d.class,
                classId: d.classId,
                score: Math.round(d.score * 1000) / 1000,
                box: d.box.map((v) => Math.round(v * 10) / 10),
              })),
            }),
          );
        } else {
          console.log(`frame ${index} t=${time.toFixed(2)}s: ${detections.length} detections (${ms.toFixed(0)} ms)`);
          for (const d of detections) console.log(fmt(d));
        }
        index++;
      }
      if (index >= maxFrames) break;
    }
  } finally {
    ffmpeg.kill("SIGKILL");
    await detector.close();
  }
  if (index === 0) throw new Error(`ffmpeg decoded no frame from ${input}: ${ffmpegErrors.trim()}`);
  if (!values.json)
    console.error(
      `${index} frame(s) ${width}x${height}, model ${descriptor.id}@${descriptor.version}, ${threads} thread(s): ` +
        `${(busyMs / index).toFixed(0)} ms/frame detection, ${((Date.now() - started) / 1000).toFixed(1)} s total`,
    );
}

main().catch((error) => {
  console.error(`detect: ${(error as Error).message}`);
  process.exit(1);
});
