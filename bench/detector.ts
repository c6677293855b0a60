// Detector latency per frame (SPEC D1): each built-in model at its default input size, on a real vtest.avi frame
// decoded at the worker's default 640x480, through the worker's own code path (createDetector → detect(): resize,
// onnxruntime session, decode, NMS), with intra-op threads 1 and 2. Per model and thread count: a fresh session,
// `--warmup` runs (default 5), then `--runs` timed runs (default 30, sequential); prints median and p95 ms and the
// 2-thread/1-thread ratio of the medians. The machine may be shared: the load average is printed with the result.
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
import { decodeFrame, VTEST_AVI } from "../worker/detect/vtest-frames";

function arg(name: string): string | undefined {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit?.slice(name.length + 3);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function measure(
  model: BuiltinModel,
  threads: number,
  frame: ReturnType<typeof decodeFrame>,
  warmup: number,
  runs: number,
) {
  const detector = await createDetector(toDescriptor(model), builtinModelPath(model), { threads });
  try {
    for (let i = 0; i < warmup; i++) await detector.detect(frame);
    const times: number[] = [];
    let found = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      found = (await detector.detect(frame)).length;
      times.push(performance.now() - t0);
    }
    return { median: percentile(times, 50), p95: percentile(times, 95), found };
  } finally {
    await detector.close();
  }
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
    `detector latency: vtest.avi frame at 20 s, 640x480; ${warmup} warm-up + ${runs} runs; ${os.cpus().length} CPUs`,
  );
  for (const model of models) {
    const medians = new Map<number, number>();
    for (const threads of threadCounts) {
      const load = os.loadavg()[0];
      const r = await measure(model, threads, frame, warmup, runs);
      medians.set(threads, r.median);
      console.log(
        `${model.id.padEnd(20)} ${model.inputWidth}x${model.inputHeight} threads=${threads}: median ${r.median.toFixed(1)} ms, ` +
          `p95 ${r.p95.toFixed(1)} ms (${r.found} detections; load avg before ${load.toFixed(2)}, after ${os.loadavg()[0].toFixed(2)})`,
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
