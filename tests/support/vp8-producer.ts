// A real VP8 stream into a mediasoup Router for tests and benchmarks (C4): Debian ffmpeg encodes a clip (default:
// opencv-doc's vtest.avi, pedestrians on a campus; or any input, stdin included) in real time and sends RTP to a
// comedia PlainTransport, whose producer then stands in for a camera. Nothing is written to disk.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import type { Writable } from "node:stream";
import type { types } from "mediasoup";
import { VTEST_AVI } from "../e2e/support/fake-camera";

export interface Vp8ProducerOptions {
  /** Any ffmpeg input; default: vtest.avi looped. */
  input?: string[];
  /** The video filter; default: scale to width x height at fps. */
  filter?: string;
  width?: number;
  height?: number;
  fps?: number;
  /** Key frame interval in seconds. */
  keyframeSeconds?: number;
  ffmpegPath?: string;
}

export interface Vp8Producer {
  producer: types.Producer;
  transport: types.PlainTransport;
  ffmpeg: ChildProcess & { stdin: Writable };
  /** Idempotent: kills ffmpeg and closes the transport (and with it the producer). */
  stop(): Promise<void>;
}

export function vtestInput(): string[] {
  if (!existsSync(VTEST_AVI))
    throw new Error(`${VTEST_AVI} is missing: install Debian's opencv-doc (npm test does: scripts/argus.sh)`);
  return ["-re", "-stream_loop", "-1", "-i", VTEST_AVI];
}

export async function startVp8Producer(router: types.Router, options: Vp8ProducerOptions = {}): Promise<Vp8Producer> {
  const { width = 640, height = 480, fps = 15, keyframeSeconds = 1 } = options;
  const ssrc = 100_000 + Math.floor(Math.random() * 1_000_000);
  const transport = await router.createPlainTransport({
    listenInfo: { protocol: "udp", ip: "127.0.0.1" },
    // ffmpeg sends RTCP from another local port than RTP: with one muxed port, comedia would latch onto the RTCP
    // source and drop the RTP, so RTP and RTCP get a port each.
    rtcpMux: false,
    comedia: true,
  });
  const producer = await transport.produce({
    kind: "video",
    rtpParameters: {
      codecs: [{ mimeType: "video/VP8", payloadType: 101, clockRate: 90000 }],
      encodings: [{ ssrc }],
    },
  });
  const port = transport.tuple.localPort;
  const rtcpPort = transport.rtcpTuple!.localPort;
  const ffmpeg = spawn(
    options.ffmpegPath ?? "ffmpeg",
    [
      ...["-hide_banner", "-loglevel", "error", ...(options.input ?? vtestInput())],
      ...["-an", "-vf", options.filter ?? `scale=${width}:${height},fps=${fps}`],
      ...["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "1M"],
      ...["-lag-in-frames", "0", "-auto-alt-ref", "0", "-error-resilient", "1"],
      ...["-force_key_frames", `expr:gte(t,n_forced*${keyframeSeconds})`],
      ...["-f", "rtp", "-payload_type", "101", "-ssrc", String(ssrc)],
      `rtp://127.0.0.1:${port}?pkt_size=1200&rtcpport=${rtcpPort}`,
    ],
    { stdio: ["pipe", "ignore", "pipe"] },
  ) as ChildProcess & { stdin: Writable };
  ffmpeg.stdin.on("error", () => undefined); // EPIPE when it is killed mid-write
  let stderr = "";
  ffmpeg.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const exited = once(ffmpeg, "close");
  let stopped: Promise<void> | null = null;
  return {
    producer,
    transport,
    ffmpeg,
    stop: () =>
      (stopped ??= (async () => {
        if (ffmpeg.exitCode === null && ffmpeg.signalCode === null) {
          ffmpeg.kill("SIGKILL");
          await exited;
        }
        transport.close();
        if (stderr.trim()) process.stderr.write(`[vp8-producer] ffmpeg said: ${stderr.trim()}\n`);
      })()),
  };
}
