// Worker decode cost per camera (issue 4, C4): the CPU a worker spends to pull and decode one 640x480 camera for
// analysis at 5 fps. One VP8 producer (Debian ffmpeg encoding opencv-doc's vtest.avi like tests/support/
// vp8-producer.ts: libvpx realtime, 1 Mbit/s, a key frame every second) on a real CameraRoom, and K = 1, 2, 4 real
// SfuFrameSources pulling it through the real WorkerMediaBridge (direct MediaLink, as in
// worker/ingest/sfu-frame-source.test.ts), each as its own worker id: so each has its own PlainTransport consumer,
// UDP relay and ffmpeg decoder: what a worker with K cameras of the same scene costs (K real cameras would differ
// only in content). Source at 15 fps (a typical camera; vtest.avi is 10 fps, so it is played 1.5x fast with
// -itsscale to get 15 distinct frames a second) and at 5 fps; analysis fps 5; frames 640x480 rgb24.
// Over a window (default 10 s, after the first frame of every source and a settle time) it reads:
//   decoder%  utime+stime of the sources' ffmpeg decoders (/proc/<pid>/stat, all threads), % of one core, per camera
//   node%     process.cpuUsage() of this process per camera: the relay (UDP in/out), frame assembly from ffmpeg's
//             stdout, decimation and change detection; it also holds mediasoup's JS side (channel messages), which a
//             real worker would not. mediasoup's C++ worker and the producer's ffmpeg encoder are separate
//             processes and are NOT counted (printed as context, with the host's busy share: the machine is shared)
//   RSS       of each decoder process (MB)
// Baseline in the same run: K = 1 decoded at 320x240 instead of 640x480 (ratio = the scale/convert share).
//   node --import tsx bench/decode-cost.ts [--window=10] [--settle=2.5] [--counts=1,2,4] [--fps=15,5]
// Measured 2026-12-01 (2 cores, shared with other agents' test runs: host 22-99% busy; two runs), per camera:
//   source 15 fps: decoder 3.4 / 3.1 / 2.7% and 3.3 / 3.3 / 3.5% (K = 1 / 2 / 4), node 4.2 / 4.5 / 3.7% and
//     5.4 / 1.8 / 4.2%, total 6.3-8.7%; decoder RSS 56-58 MB each (RSS, shared libraries counted in full).
//   source 5 fps: decoder 1.8 / 1.5 / 1.7% and 1.8 / 1.7 / 1.7%, node 2.4 / 1.7 / 1.7% and 2.3 / 2.1 / 0.7%.
//   K = 1 at 640x480 vs 320x240: decoder 3.4 vs 3.6% and 3.3 vs 4.3% (15 fps), 1.8 vs 1.9% and 1.8 vs 2.1% (5 fps):
//     ratio 0.77-0.95, so the rgb24 conversion at full size is cheap and downscaling costs a little more; VP8
//     decoding is most of it. Node falls from ~5% to ~2.5% at 320x240 (it copies every 900 KB frame from ffmpeg,
//     at the source fps, before decimating to 5 fps).
import os from "node:os";
import { performance } from "node:perf_hooks";
import { VTEST_AVI } from "../tests/e2e/support/fake-camera";
import type { SfuFrameSource } from "../worker/ingest/sfu-frame-source";
import {
  argValue,
  CLOCK_TICKS,
  cpuTicks,
  rssMb,
  runBench,
  sleep,
  startEncoderProducer,
  startPipeline,
  waitFor,
  type EncoderProducer,
  type Pipeline,
} from "./support/c4-pipeline";
import { readFileSync } from "node:fs";

const WINDOW_S = Number(argValue("window") ?? 10);
const SETTLE_S = Number(argValue("settle") ?? 2.5);
const COUNTS = (argValue("counts") ?? "1,2,4").split(",").map(Number);
const SOURCE_FPS = (argValue("fps") ?? "15,5").split(",").map(Number);
const ANALYSIS_FPS = 5;

function hostTicks(): { busy: number; total: number } {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - fields[3]! - (fields[4] ?? 0), total };
}

function startSource(pipeline: Pipeline, sourceFps: number): Promise<EncoderProducer> {
  const speed = sourceFps > 10 ? ["-itsscale", (10 / sourceFps).toFixed(6)] : []; // vtest.avi is 10 fps
  return startEncoderProducer(pipeline.room.router, {
    input: ["-re", "-stream_loop", "-1", ...speed, "-i", VTEST_AVI],
    filter: `scale=640:480,fps=${sourceFps}`,
  });
}

interface Result {
  k: number;
  sourceFps: number;
  size: string;
  decoderPct: number;
  nodePct: number;
  rssMb: number;
  analysedFps: number;
  encoderPct: number;
  mediasoupPct: number;
  hostPct: number;
  note: string;
}

async function measure(
  pipeline: Pipeline,
  encoder: EncoderProducer,
  k: number,
  sourceFps: number,
  width: number,
  height: number,
): Promise<Result> {
  const sources: SfuFrameSource[] = [];
  const counts: number[] = [];
  for (let i = 0; i < k; i++) {
    const source = pipeline.source(`w-${sourceFps}-${k}-${width}-${i}`, { analysisFps: ANALYSIS_FPS, width, height });
    counts.push(0);
    source.onFrame(() => (counts[i]! += 1));
    sources.push(source);
  }
  try {
    for (const source of sources) await source.start();
    await waitFor(() => counts.every((c) => c > 0), 30_000, `the first frame of ${k} sources`);
    await sleep(SETTLE_S * 1000);
    const pids = sources.map((s) => s.resources.decoderPid!);
    const mediasoupPid = pipeline.service.workers[0]!.pid;
    const before = {
      at: performance.now(),
      decoders: pids.map((pid) => cpuTicks(pid)),
      encoder: cpuTicks(encoder.ffmpeg.pid!),
      mediasoup: cpuTicks(mediasoupPid),
      node: process.cpuUsage(),
      host: hostTicks(),
      frames: [...counts],
    };
    await sleep(WINDOW_S * 1000);
    const seconds = (performance.now() - before.at) / 1000;
    const pct = (start: number | null, end: number | null) =>
      start === null || end === null ? NaN : (100 * (end - start)) / CLOCK_TICKS / seconds;
    const decoderPcts = pids.map((pid, i) => pct(before.decoders[i]!, cpuTicks(pid)));
    const rss = pids.map((pid) => rssMb(pid) ?? NaN);
    const node = process.cpuUsage(before.node);
    const host = hostTicks();
    const restarted = sources.filter((s, i) => s.resources.decoderPid !== pids[i]).length;
    const frames = counts.reduce((a, c, i) => a + c - before.frames[i]!, 0);
    return {
      k,
      sourceFps,
      size: `${width}x${height}`,
      decoderPct: decoderPcts.reduce((a, b) => a + b, 0) / k,
      nodePct: (node.user + node.system) / 1e4 / seconds / k,
      rssMb: rss.reduce((a, b) => a + b, 0) / k,
      analysedFps: frames / seconds / k,
      encoderPct: pct(before.encoder, cpuTicks(encoder.ffmpeg.pid!)),
      mediasoupPct: pct(before.mediasoup, cpuTicks(mediasoupPid)),
      hostPct: (100 * (host.busy - before.host.busy)) / (host.total - before.host.total),
      note: restarted ? `${restarted} decoder(s) restarted in the window` : "",
    };
  } finally {
    for (const source of sources) await source.stop();
  }
}

function print(r: Result): void {
  const f = (v: number, w = 6, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : "-").padStart(w);
  console.log(
    `${String(r.k).padStart(2)}  ${String(r.sourceFps).padStart(7)}  ${r.size.padStart(7)}  ${f(r.decoderPct, 9)}` +
      `  ${f(r.nodePct, 7)}  ${f(r.decoderPct + r.nodePct, 7)}  ${f(r.rssMb, 8, 0)}  ${f(r.analysedFps, 10)}` +
      `   | ${f(r.encoderPct, 5, 0)} ${f(r.mediasoupPct, 6, 0)} ${f(r.hostPct, 6, 0)}  ${r.note}`,
  );
}

async function main(): Promise<void> {
  const pipeline = await startPipeline({ listenIp: "127.0.0.1", minPort: 47000, maxPort: 47999 });
  console.log(
    `decode-cost: analysis ${ANALYSIS_FPS} fps, vtest.avi VP8 640x480 1 Mbit/s; window ${WINDOW_S} s after ` +
      `${SETTLE_S} s settle; CPU in % of one core, per camera; ${os.availableParallelism()} cores, load ` +
      `${os.loadavg()[0]!.toFixed(1)} at start`,
  );
  console.log(
    " K  src fps  decoded  decoder%    node%   total%  RSS MB  analysed/s   | not counted: encoder% mediasoup% host busy%",
  );
  const results: Result[] = [];
  for (const sourceFps of SOURCE_FPS) {
    const encoder = await startSource(pipeline, sourceFps);
    pipeline.room.attachProducer(encoder.producer, null);
    for (const k of COUNTS) {
      const result = await measure(pipeline, encoder, k, sourceFps, 640, 480);
      results.push(result);
      print(result);
      if (k === 1) {
        const small = await measure(pipeline, encoder, 1, sourceFps, 320, 240);
        results.push(small);
        print(small);
      }
    }
    await encoder.stop();
  }
  for (const sourceFps of SOURCE_FPS) {
    const full = results.find((r) => r.k === 1 && r.sourceFps === sourceFps && r.size === "640x480");
    const small = results.find((r) => r.k === 1 && r.sourceFps === sourceFps && r.size === "320x240");
    if (full && small)
      console.log(
        `source ${sourceFps} fps, K=1: decoder CPU at 640x480 / at 320x240 = ${(full.decoderPct / small.decoderPct).toFixed(2)}` +
          ` (${full.decoderPct.toFixed(1)}% vs ${small.decoderPct.toFixed(1)}%); node ` +
          `${full.nodePct.toFixed(1)}% vs ${small.nodePct.toFixed(1)}%`,
      );
  }
}

runBench(main, 178_000);
