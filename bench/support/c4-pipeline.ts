// Shared by the C4 media-path benchmarks (bench/glass-to-worker.ts, bench/decode-cost.ts): the in-process wiring of
// worker/ingest/sfu-frame-source.test.ts (a real MediasoupService + CameraRoom + WorkerMediaBridge, and the worker's
// SfuFrameSource over a direct MediaLink instead of the /workers socket), a VP8 encoder feeding a PlainTransport
// producer (tests/support/vp8-producer.ts with any input, stdin included), /proc readers, and
// one clean-up path for success, error, SIGINT/SIGTERM and a hard deadline.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { types } from "mediasoup";
import pino from "pino";
import { CameraRoom, type RtcOptions } from "../../app/sfu/camera-room.server";
import { MediasoupService } from "../../app/sfu/mediasoup-service.server";
import { WorkerMediaBridge } from "../../app/sfu/worker-media.server";
import { directMediaLink } from "../../tests/support/direct-media-link";
import { startVp8Producer, type Vp8Producer } from "../../tests/support/vp8-producer";
import { SfuFrameSource } from "../../worker/ingest/sfu-frame-source";

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

export { waitFor } from "../../tests/support/processes";

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
  const source: Pipeline["source"] = (workerId, { analysisFps, width, height }) => {
    const { link } = directMediaLink(bridge, { workerId, tenantId });
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

// ---- The publisher: tests/support/vp8-producer.ts (ffmpeg, libvpx realtime) with any input, stdin included. ----
export type EncoderProducer = Vp8Producer;

export async function startEncoderProducer(
  router: types.Router,
  options: { input: string[]; filter: string; keyframeSeconds?: number },
): Promise<EncoderProducer> {
  const encoder = await startVp8Producer(router, options);
  onCleanup(encoder.stop);
  return encoder;
}
