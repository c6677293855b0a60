// Shared by the C4 media-path benchmarks (bench/glass-to-worker.ts, bench/decode-cost.ts): the in-process wiring of
// worker/ingest/sfu-frame-source.test.ts (a real MediasoupService + CameraRoom + WorkerMediaBridge, and the worker's
// SfuFrameSource over a direct MediaLink instead of the /workers socket), a VP8 encoder feeding a PlainTransport
// producer (the flags of tests/support/vp8-producer.ts, but with any input, stdin included), /proc readers, and
// one clean-up path for success, error, SIGINT/SIGTERM and a hard deadline.
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import type { Readable, Writable } from "node:stream";
import type { types } from "mediasoup";
import pino from "pino";
import type { Ack } from "../../protocol";
import { CameraRoom, type RtcOptions } from "../../app/sfu/camera-room.server";
import { MediasoupService } from "../../app/sfu/mediasoup-service.server";
import { WorkerMediaBridge, type WorkerMediaClient } from "../../app/sfu/worker-media.server";
import { MediaRequestError, SfuFrameSource, type MediaLink } from "../../worker/ingest/sfu-frame-source";

export const logger = pino({ level: process.env.BENCH_LOG_LEVEL ?? "warn" }, pino.destination(2));

export function argValue(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const CLOCK_TICKS = 100; // USER_HZ on Linux

/** utime + stime of a process (all its threads), in clock ticks; null once it is gone. */
export function cpuTicks(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

export function rssMb(pid: number): number | null {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8")
      .split("\n")
      .find((l) => l.startsWith("VmRSS:"));
    return line ? Number(line.replace(/\D+/g, "")) / 1024 : null;
  } catch {
    return null;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

// ---- Clean-up: everything registered is undone once, in reverse order, however the run ends. ----
const cleanups: Array<() => Promise<void> | void> = [];
let cleaning: Promise<void> | null = null;

export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

export function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (error) {
        process.stderr.write(`cleanup: ${(error as Error).message}\n`);
      }
    }
  })();
  return cleaning;
}

/** Runs main() with a hard deadline; SIGINT/SIGTERM, errors and the deadline all clean up before exiting. */
export function runBench(main: () => Promise<void>, deadlineMs = 180_000): void {
  const abort = (why: string, code: number) => {
    process.stderr.write(`\n${why}: cleaning up\n`);
    void cleanup().then(() => process.exit(code));
  };
  process.once("SIGINT", () => abort("SIGINT", 130));
  process.once("SIGTERM", () => abort("SIGTERM", 143));
  const deadline = setTimeout(() => abort(`deadline of ${deadlineMs / 1000} s reached`, 1), deadlineMs);
  main().then(
    async () => {
      clearTimeout(deadline);
      await cleanup();
      process.exit(0);
    },
    async (error) => {
      clearTimeout(deadline);
      process.stderr.write(`${(error as Error).stack ?? error}\n`);
      await cleanup();
      process.exit(1);
    },
  );
}

// ---- The server side (SFU) and the worker side (SfuFrameSource), in this process. ----
export interface Pipeline {
  service: MediasoupService;
  room: CameraRoom;
  bridge: WorkerMediaBridge;
  cameraId: string;
  /** A worker's frame source for this camera; each `workerId` gets its own consumer, relay and decoder. */
  source(workerId: string, options: { analysisFps: number; width: number; height: number }): SfuFrameSource;
}

function unwrap<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new MediaRequestError(ack.error.code, ack.error.message);
  return ack.data;
}

export async function startPipeline(rtc: RtcOptions): Promise<Pipeline> {
  const tenantId = randomUUID();
  const cameraId = randomUUID();
  const service = await MediasoupService.create({ workers: 1, logger });
  onCleanup(() => service.close());
  const room = await CameraRoom.create(service, cameraId, tenantId, rtc);
  onCleanup(() => room.close());
  const bridge = new WorkerMediaBridge({
    rtc,
    logger,
    room: async () => room,
    isAssigned: (_workerId, id, tenant) => id === cameraId && tenant === tenantId,
  });
  onCleanup(() => bridge.close());
  const closedListeners = new Set<(cameraId: string, reason: string) => void>();

  const source: Pipeline["source"] = (workerId, { analysisFps, width, height }) => {
    const client: WorkerMediaClient = {
      socketId: `socket-${workerId}`,
      workerId,
      tenantId,
      address: "::ffff:127.0.0.1",
      notifyClosed: (id, reason) => closedListeners.forEach((l) => l(id, reason)),
      isConnected: () => true,
    };
    const link: MediaLink = {
      subscribe: async (id, rtpPort) => unwrap(await bridge.subscribe(client, { cameraId: id, rtpPort })),
      resume: async (id) => void unwrap(await bridge.resume(client, id)),
      keyFrame: async (id) => void unwrap(await bridge.keyFrame(client, id)),
      unsubscribe: async (id) => void unwrap(bridge.unsubscribe(client, id)),
      onClosed: (listener) => {
        closedListeners.add(listener);
        return () => closedListeners.delete(listener);
      },
    };
    const frameSource = new SfuFrameSource({ cameraId, assignmentId: randomUUID(), analysisFps }, link, {
      width,
      height,
      ffmpegPath: "ffmpeg",
      bindIp: "127.0.0.1",
      stallMs: 3_000,
      restartAfterMs: 8_000,
      logger,
    });
    onCleanup(() => frameSource.stop());
    return frameSource;
  };
  return { service, room, bridge, cameraId, source };
}

// ---- The publisher: ffmpeg encodes VP8 (libvpx realtime, as tests/support/vp8-producer.ts) into a producer. ----
export interface EncoderProducer {
  producer: types.Producer;
  ffmpeg: ChildProcessByStdio<Writable, null, Readable>;
  stop(): Promise<void>;
}

export async function startEncoderProducer(
  router: types.Router,
  options: { input: string[]; filter: string; keyframeSeconds?: number },
): Promise<EncoderProducer> {
  const ssrc = 100_000 + Math.floor(Math.random() * 1_000_000);
  // rtcpMux false: ffmpeg sends RTCP from another local port than RTP, and comedia would latch onto it.
  const transport = await router.createPlainTransport({
    listenInfo: { protocol: "udp", ip: "127.0.0.1" },
    rtcpMux: false,
    comedia: true,
  });
  const producer = await transport.produce({
    kind: "video",
    rtpParameters: { codecs: [{ mimeType: "video/VP8", payloadType: 101, clockRate: 90000 }], encodings: [{ ssrc }] },
  });
  const target = `rtp://127.0.0.1:${transport.tuple.localPort}?pkt_size=1200&rtcpport=${transport.rtcpTuple!.localPort}`;
  const ffmpeg = spawn(
    "ffmpeg",
    ["-hide_banner", "-loglevel", "error", ...options.input, "-an", "-vf", options.filter]
      .concat(["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "1M"])
      .concat(["-lag-in-frames", "0", "-auto-alt-ref", "0", "-error-resilient", "1"])
      .concat(["-force_key_frames", `expr:gte(t,n_forced*${options.keyframeSeconds ?? 1})`])
      .concat(["-f", "rtp", "-payload_type", "101", "-ssrc", String(ssrc), target]),
    { stdio: ["pipe", "ignore", "pipe"] },
  );
  ffmpeg.stdin.on("error", () => undefined); // EPIPE when it is killed mid-write
  let stderr = "";
  ffmpeg.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const exited = once(ffmpeg, "close");
  let stopped: Promise<void> | null = null;
  const stop = () =>
    (stopped ??= (async () => {
      if (ffmpeg.exitCode === null && ffmpeg.signalCode === null) {
        ffmpeg.kill("SIGKILL");
        await exited;
      }
      transport.close();
      if (stderr.trim()) process.stderr.write(`[encoder] ffmpeg said: ${stderr.trim()}\n`);
    })());
  onCleanup(stop);
  return { producer, ffmpeg, stop };
}
