// Detector latency per frame (SPEC D1): each built-in model at its default input size, on a real vtest.avi frame
// decoded at the worker's default 640x480, through the worker's own code path (createDetector → detect(): resize,
// onnxruntime session, decode, NMS), with intra-op threads 1 and 2. One session per model and thread count; rounds
// of one sequential detect() per configuration (interleaved, so a shared machine's load drift hits every
// configuration alike): `--warmup` rounds (default 5), then `--runs` timed rounds (default 30); prints median and p95
// ms and the 2-thread/1-thread ratio of the medians, with the load average.
//   npm run bench:detector -- [--runs=30] [--warmup=5] [--models=id,id] [--threads=1,2]
// Measured 2026-12-01 (2 cores shared with other agents' test runs): see docs/models.md.
import os from "node:os";
import { performance } from "node:perf_hooks";
import {
  builtinModelPath,
  readBuiltinManifest,
  toDescriptor,
  type BuiltinModel,
} from "../worker/detect/builtin-models";
import { createDetector } from "../worker/detect/create-detector";
import type { Detector } from "../worker/detect/detector";
import { decodeFrame, VTEST_AVI } from "../worker/detect/vtest-frames";

function arg(name: string): string | undefined {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit?.slice(name.length + 3);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

interface Config {
  model: BuiltinModel;
  threads: number;
  detector: Detector;
  times: number[];
  found: number;
}

async function main() {
  const runs = Number(arg("runs") ?? 30);
  const warmup = Number(arg("warmup") ?? 5);
  const threadCounts = (arg("threads") ?? "1,2").split(",").map(Number);
  const manifest = readBuiltinManifest();
  const wanted = arg("models")?.split(",");
  const models = manifest.models.filter((m) => !wanted || wanted.includes(m.id));
  const frame = decodeFrame(VTEST_AVI, 20, { width: 640, height: 480 });
  console.log(
    `detector latency: vtest.avi frame at 20 s, 640x480; ${warmup} warm-up + ${runs} runs each, interleaved ` +
      `(one run of every model/thread configuration per round, so load changes hit all alike); ${os.cpus().length} CPUs`,
  );
  const configs: Config[] = [];
  for (const model of models)
    for (const threads of threadCounts)
      configs.push({
        model,
        threads,
        detector: await createDetector(toDescriptor(model), builtinModelPath(model), { threads }),
        times: [],
        found: 0,
      });
  const loadBefore = os.loadavg()[0];
  try {
    for (let round = 0; round < warmup + runs; round++) {
      for (const c of configs) {
        const t0 = performance.now();
        c.found = (await c.detector.detect(frame)).length;
        if (round >= warmup) c.times.push(performance.now() - t0);
      }
    }
  } finally {
    for (const c of configs) await c.detector.close();
  }
  console.log(`load average (1 min) before ${loadBefore.toFixed(2)}, after ${os.loadavg()[0].toFixed(2)}`);
  for (const model of models) {
    const medians = new Map<number, number>();
    for (const c of configs.filter((c) => c.model === model)) {
      const median = percentile(c.times, 50);
      medians.set(c.threads, median);
      console.log(
        `${model.id.padEnd(20)} ${model.inputWidth}x${model.inputHeight} threads=${c.threads}: median ${median.toFixed(1)} ms, ` +
          `p95 ${percentile(c.times, 95).toFixed(1)} ms (${c.found} detections)`,
      );
    }
    const one = medians.get(1);
    const two = medians.get(2);
    if (one && two) console.log(`${model.id.padEnd(20)} ratio 2-thread/1-thread median: ${(two / one).toFixed(2)}`);
  }
}

main().catch((error) => {
  console.error(`bench:detector failed: ${(error as Error).message}`);
  process.exit(1);
});
