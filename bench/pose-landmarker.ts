// PoseLandmarker frames per second in headless Chromium with the CPU delegate (issue 13 item 2 benchmark): the
// publish page's on-device mode, measured on its own. A tiny local HTTP server serves exactly what Argus serves
// (@mediapipe/tasks-vision's bundle and wasm, the setup-fetched pose_landmarker_full.task); Debian's Chromium opens a
// page whose fake camera plays the person clip (vtest.avi's walker, cropped and scaled up: tests/e2e/support), and
// runs detectForVideo in VIDEO mode: `--frames` timed frames back to back after `--warmup` (model load excluded).
// Prints ms per frame (median, p95), frames per second, the share of frames with a pose, and the upper body's mean
// visibility (what the presence threshold in app/components/on-device/pose-activity.ts reads).
//   npm run bench:pose -- [--frames=100] [--warmup=10] [--still]
// --still plays the same person frozen: the arm motion it reports is the model's jitter (the idle floor).
// Measured 2026-12-02, 2 cores shared with seven other engineers' builds and tests (load average 20-25): 113 ms median,
// 141 ms mean, p95 278 ms a frame = 7.1 frames/s (other runs at that load: 4.7-5.8/s); model load 1.8 s; pose found in
// 84 % of walking frames, upper-body visibility 0.57; frozen person: 0.09 shoulder widths/s of arm motion. The issue's
// ~37 ms a frame was measured on an idle machine.
import { createReadStream, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from "../playwright.config";
import { fakeCameraArgs } from "../tests/e2e/support/fake-camera";
import { ensurePersonClip } from "../tests/e2e/support/person-clip";
import {
  DEVICE_THRESHOLDS,
  poseObservation,
  PRESENCE_THRESHOLD,
  type Landmark,
} from "../app/components/on-device/pose-activity";
import { poseModel } from "../app/components/on-device/vision-assets.server";

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const FRAMES = arg("frames", 100);
const WARMUP = arg("warmup", 10);
const CLIP = process.argv.includes("--still") ? "still" : "walking";

const pkg = path.resolve(import.meta.dirname, "../node_modules/@mediapipe/tasks-vision");
const model = poseModel();
if (!model) throw new Error("pose_landmarker_full.task is missing: run bash scripts/models/pose-landmarker.sh");
const version = (JSON.parse(readFileSync(path.join(pkg, "package.json"), "utf8")) as { version: string }).version;

const PAGE = `<!doctype html><video id="v" muted playsinline autoplay></video><script type="module">
import { FilesetResolver, PoseLandmarker } from "/vision_bundle.mjs";
window.bench = async (frames, warmup) => {
  const v = document.getElementById("v");
  v.srcObject = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
  await v.play();
  const t0 = performance.now();
  const fileset = await FilesetResolver.forVisionTasks("/wasm");
  const lm = await PoseLandmarker.createFromOptions(fileset, {
    baseOptions: { modelAssetPath: "/model.task", delegate: "CPU" }, runningMode: "VIDEO", numPoses: 1 });
  const loadMs = performance.now() - t0;
  const times = []; const poses = []; let withPose = 0; let visSum = 0; let ts = performance.now();
  for (let i = 0; i < warmup + frames; i++) {
    await new Promise((r) => v.requestVideoFrameCallback(r)); // a new camera frame each time, as the page sees
    ts = Math.max(ts + 1, performance.now());
    const a = performance.now();
    const result = lm.detectForVideo(v, ts);
    const ms = performance.now() - a;
    if (i < warmup) continue;
    times.push(ms);
    const pose = result.landmarks[0];
    poses.push({ t: ts, pose: pose ? pose.map((l) => ({ x: l.x, y: l.y, visibility: l.visibility })) : null });
    if (pose) { withPose++; visSum += [11,12,13,14,15,16].reduce((s, k) => s + (pose[k].visibility ?? 1), 0) / 6; }
  }
  lm.close();
  return { loadMs, times, poses, withPose, meanVisibility: withPose ? visSum / withPose : 0 };
};
</script>`;

const files: Record<string, { file: string; type: string }> = {
  "/vision_bundle.mjs": { file: path.join(pkg, "vision_bundle.mjs"), type: "text/javascript" },
  "/model.task": { file: model.file, type: "application/octet-stream" },
};
for (const name of ["vision_wasm_internal", "vision_wasm_nosimd_internal"]) {
  files[`/wasm/${name}.js`] = { file: path.join(pkg, "wasm", `${name}.js`), type: "text/javascript" };
  files[`/wasm/${name}.wasm`] = { file: path.join(pkg, "wasm", `${name}.wasm`), type: "application/wasm" };
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://x");
  if (url.pathname === "/") return res.writeHead(200, { "Content-Type": "text/html" }).end(PAGE);
  const hit = files[url.pathname];
  if (!hit) return res.writeHead(404).end();
  res.writeHead(200, { "Content-Type": hit.type });
  createReadStream(hit.file).pipe(res);
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = (server.address() as AddressInfo).port;

const clip = ensurePersonClip(CLIP);
const browser = await chromium.launch({
  executablePath: CHROMIUM_EXECUTABLE,
  args: [...CHROMIUM_ARGS, ...fakeCameraArgs(clip)],
});
try {
  const page = await browser.newPage();
  const outside: string[] = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(`http://127.0.0.1:${port}/`)) outside.push(r.url());
  });
  await page.goto(`http://127.0.0.1:${port}/`);
  const result = await page.evaluate(
    ([f, w]) => (window as unknown as { bench: (f: number, w: number) => Promise<unknown> }).bench(f!, w!),
    [FRAMES, WARMUP],
  );
  const { loadMs, times, poses, withPose, meanVisibility } = result as {
    loadMs: number;
    times: number[];
    poses: Array<{ t: number; pose: Landmark[] | null }>;
    withPose: number;
    meanVisibility: number;
  };
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;
  const mean = times.reduce((s, t) => s + t, 0) / times.length;
  console.log(`PoseLandmarker full, @mediapipe/tasks-vision ${version}, CPU delegate, headless Chromium`);
  console.log(`clip: ${clip} (640x480)`);
  console.log(`model load ${loadMs.toFixed(0)} ms; ${times.length} frames after ${WARMUP} warm-up`);
  console.log(`ms per frame: median ${median.toFixed(1)}, p95 ${p95.toFixed(1)}, mean ${mean.toFixed(1)}`);
  console.log(`frames per second (1000 / mean): ${(1000 / mean).toFixed(1)}`);
  console.log(
    `pose found in ${withPose}/${times.length} frames; upper-body mean visibility ${meanVisibility.toFixed(2)}`,
  );
  // The page's own observations over the run: how often a person is seen, and the arm motion they show.
  const observations = poses.map((p, i) =>
    poseObservation(i ? { t: poses[i - 1]!.t, pose: poses[i - 1]!.pose ?? undefined } : undefined, {
      t: p.t,
      pose: p.pose ?? undefined,
    }),
  );
  const present = observations.filter((o) => o.person);
  const motions = present.flatMap((o) => (o.person!.activity === null ? [] : [o.person!.activity]));
  const meanMotion = motions.length ? motions.reduce((sum, m) => sum + m, 0) / motions.length : null;
  console.log(
    `activity measures: a person in ${present.length}/${observations.length} frames (presence >= ${PRESENCE_THRESHOLD}); mean arm motion ${meanMotion?.toFixed(2) ?? "n/a"} shoulder widths/s over ${motions.length} frame pairs (working from ${DEVICE_THRESHOLDS.activeThreshold})`,
  );
  console.log(
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")} on ${os.cpus().length} cores`,
  );
  if (outside.length) console.log(`requests outside the local server: ${outside.join(", ")}`);
} finally {
  await browser.close();
  server.close();
}
