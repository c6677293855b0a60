// Pulls one assigned camera from the server's SFU and decodes it (SPEC C4, ADR 0009). One "session" is:
//   bind a UDP port -> v1:media-subscribe (the server's PlainTransport sends RTP there, paused) -> start ffmpeg on
//   a loopback port pair -> relay RTP to it -> v1:media-resume (the server asks the source for a key frame).
// The relay sees every packet, so it knows when a frame's last packet arrived (receive-to-decoded latency) and
// when the stream stops (loss). A watchdog asks for key frames while no picture comes and ends the session when
// the stream or the decoder is gone; the source then starts a new session with backoff until stop().
import dgram from "node:dgram";
import { once } from "node:events";
import type { Assignment } from "../../protocol";
import { backoffDelay } from "../backoff";
import type { Logger } from "../logger";
import { FfmpegDecoder } from "./ffmpeg-decoder";
import type { Frame, FrameListener, FrameSource, FrameSourceHealth } from "./frame-source";
import { MediaRequestError, type MediaLink } from "./media-link";
import { isKeyFrameStart, parseRtpHeader, sdpFor } from "./rtp";

export interface IngestOptions {
  width: number;
  height: number;
  ffmpegPath: string;
  /** Interface the RTP port binds (the server sends to the address the worker connected from). */
  bindIp: string;
  /** No RTP for this long: "stalled" in heartbeats. */
  stallMs: number;
  /** No RTP, or RTP but no decoded frame, for this long: the session is dropped and set up again. */
  restartAfterMs: number;
  logger: Logger;
}

export const DEFAULT_INGEST = { stallMs: 3_000, restartAfterMs: 8_000, bindIp: "0.0.0.0" } as const;

const KEYFRAME_REQUEST_EVERY_MS = 1_000;
const FPS_WINDOW_MS = 3_000;

class SessionEnded extends Error {}

export class SfuFrameSource implements FrameSource {
  readonly cameraId: string;
  private analysisFps: number;
  private readonly listeners = new Set<FrameListener>();
  private stopped = false;
  private loop: Promise<void> | null = null;
  private endSession: ((reason: string) => void) | null = null;
  private wake: (() => void) | null = null;
  private state: FrameSourceHealth["state"] = "starting";
  private error: string | undefined;
  private analysed = 0;
  private restarts = 0;
  private recent: number[] = [];
  private latencyMs: number | null = null;
  private change: number | undefined;
  private previous: Buffer | null = null;
  private nextDue = 0;
  private readonly log: Logger;
  /** What the current session holds (diagnostics and tests: nothing may outlive stop()). */
  private held: { rtpPort?: number; decoderPort?: number; decoderPid?: number } = {};

  constructor(
    assignment: Assignment,
    private readonly link: MediaLink,
    private readonly options: IngestOptions,
  ) {
    this.cameraId = assignment.cameraId;
    this.analysisFps = assignment.analysisFps;
    this.log = options.logger.child({ cameraId: assignment.cameraId });
  }

  /** Returns at once (the ASSIGN ack must not wait for video); the stream is set up in the background. */
  async start(): Promise<void> {
    this.loop ??= this.run();
  }

  update(assignment: Assignment): void {
    this.analysisFps = assignment.analysisFps;
  }

  restart(reason: string): void {
    this.endSession?.(reason);
    this.wake?.();
  }

  get resources(): { rtpPort?: number; decoderPort?: number; decoderPid?: number } {
    return { ...this.held };
  }

  onFrame(listener: FrameListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  health(): FrameSourceHealth {
    const now = Date.now();
    this.recent = this.recent.filter((t) => now - t < FPS_WINDOW_MS);
    const window = Math.min(FPS_WINDOW_MS, this.recent.length > 1 ? now - this.recent[0]! : FPS_WINDOW_MS);
    const fps = this.recent.length > 1 ? ((this.recent.length - 1) * 1000) / Math.max(window, 1) : 0;
    return {
      state: this.state,
      fps: Math.round(fps * 10) / 10,
      latencyMs: this.latencyMs === null ? null : Math.round(this.latencyMs),
      ...(this.error ? { error: this.error.slice(0, 500) } : {}),
      ...(this.analysed > 0 ? { width: this.options.width, height: this.options.height } : {}),
      frames: this.analysed,
      ...(this.change !== undefined ? { change: Math.round(this.change * 100) / 100 } : {}),
      restarts: this.restarts,
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.endSession?.("stopped");
    this.wake?.();
    await this.loop;
    this.state = "stopped";
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      const before = this.analysed;
      try {
        await this.session();
      } catch (error) {
        if (error instanceof SessionEnded) {
          if (error.message !== "stopped") this.log.info({ reason: error.message }, "camera stream ended; restarting");
        } else {
          const message = (error as Error).message;
          // Waiting for a camera that is not streaming is "stalled"; anything else is an error.
          this.state = error instanceof MediaRequestError && error.code === "unavailable" ? "stalled" : "error";
          if (message !== this.error) this.log.warn({ err: error, state: this.state }, "camera stream unavailable");
          this.error = message;
        }
      }
      if (this.stopped) break;
      attempt = this.analysed > before ? 0 : attempt + 1;
      this.restarts += 1;
      if (this.state === "streaming") this.state = "stalled";
      const delay = backoffDelay(attempt, { baseMs: 250, maxMs: 5_000 });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** One subscribe -> decode -> relay run; resolves or throws when it ends, having freed everything. */
  private async session(): Promise<void> {
    const cleanups: Array<() => Promise<void> | void> = [];
    let ended: (reason: string) => void = () => undefined;
    const endedPromise = new Promise<never>((_, reject) => {
      ended = (reason) => reject(new SessionEnded(reason));
    });
    endedPromise.catch(() => undefined);
    this.endSession = ended;
    let serverClosed = false;
    try {
      const rtp = dgram.createSocket({ type: "udp4", recvBufferSize: 4 * 1024 * 1024 });
      cleanups.push(() => new Promise<void>((resolve) => rtp.close(() => resolve())));
      rtp.bind(0, this.options.bindIp);
      await once(rtp, "listening");
      const decoderPort = await freeUdpPortPair();
      this.held = { rtpPort: rtp.address().port, decoderPort };
      const offClosed = this.link.onClosed((cameraId, reason) => {
        if (cameraId !== this.cameraId) return;
        serverClosed = true;
        ended(`server closed the stream: ${reason}`);
      });
      cleanups.push(offClosed);
      if (this.stopped) throw new SessionEnded("stopped");

      const reply = await Promise.race([this.link.subscribe(this.cameraId, rtp.address().port), endedPromise]);
      cleanups.push(() => {
        if (!serverClosed) return this.link.unsubscribe(this.cameraId).catch(() => undefined);
      });
      const sessionStart = Date.now();
      let lastPacketAt = 0;
      let lastFrameAt = 0;
      let lastKeyRequest = 0;
      let seenKeyFrame = false;
      let frameHasKey = false;
      let firstFrame = true;
      /** When each complete frame's last packet arrived, and whether it was a key frame (see onFrame). */
      const arrivals: Array<{ at: number; key: boolean }> = [];

      const decoder = FfmpegDecoder.start({
        ffmpegPath: this.options.ffmpegPath,
        sdp: sdpFor(reply.codec, decoderPort),
        width: this.options.width,
        height: this.options.height,
        wantFrame: (at) => this.due(at),
        onFrame: (data, at) => {
          lastFrameAt = at;
          // Frames come out in the order their last packets went in. The first decoded frame of a session is at
          // or after the last key frame that arrived (ffmpeg drops what came before it), so earlier entries go.
          if (firstFrame) {
            firstFrame = false;
            const lastKey = arrivals.findLastIndex((a) => a.key);
            if (lastKey > 0) arrivals.splice(0, lastKey);
          }
          // Entries over a second old are frames the decoder dropped (lost packets): skipped, not matched.
          while (arrivals.length > 1 && at - arrivals[0]!.at > 1_000) arrivals.shift();
          const receivedAt = arrivals.shift()?.at ?? at;
          this.deliver(data, receivedAt, at);
        },
        onExit: ({ code, signal, stderr }) =>
          ended(`decoder exited (${signal ?? code})${stderr ? `: ${stderr.split("\n").slice(-2).join(" ")}` : ""}`),
      });
      this.held.decoderPid = decoder.pid;
      cleanups.push(() => decoder.stop());
      rtp.on("message", (packet) => {
        const header = parseRtpHeader(packet);
        if (!header || header.ssrc !== reply.ssrc || header.payloadType !== reply.codec.payloadType) return;
        const now = Date.now();
        lastPacketAt = now;
        if (isKeyFrameStart(reply.codec.mimeType, packet.subarray(header.payloadOffset))) {
          seenKeyFrame = true;
          frameHasKey = true;
        }
        if (seenKeyFrame && header.marker) {
          arrivals.push({ at: now, key: frameHasKey });
          frameHasKey = false;
          if (arrivals.length > 120) arrivals.shift();
        }
        rtp.send(packet, decoderPort, "127.0.0.1");
      });
      // ffmpeg binds its port within a few hundred ms; until then the key frame requests below cover for
      // packets that arrive too early.
      await Promise.race([sleep(300), endedPromise]);
      await Promise.race([this.link.resume(this.cameraId), endedPromise]);
      this.log.info({ consumerId: reply.consumerId, codec: reply.codec.mimeType, pid: decoder.pid }, "stream started");

      const watchdog = setInterval(() => {
        const now = Date.now();
        const sincePacket = now - (lastPacketAt || sessionStart);
        const sinceFrame = now - (lastFrameAt || sessionStart);
        if (sincePacket >= this.options.restartAfterMs)
          return ended(`no video for ${Math.round(sincePacket / 1000)} s`);
        if (sinceFrame >= this.options.restartAfterMs)
          return ended(`video arrives but nothing decoded for ${Math.round(sinceFrame / 1000)} s`);
        if (sincePacket >= this.options.stallMs) {
          this.state = "stalled";
          this.error = `No video from the server for ${Math.round(sincePacket / 1000)} s`;
        }
        if (sinceFrame >= Math.min(2_000, this.options.stallMs) && now - lastKeyRequest >= KEYFRAME_REQUEST_EVERY_MS) {
          lastKeyRequest = now;
          this.link.keyFrame(this.cameraId).catch(() => undefined);
        }
      }, 250);
      cleanups.push(() => clearInterval(watchdog));
      await endedPromise;
    } finally {
      this.endSession = null;
      for (const cleanup of cleanups.reverse()) await cleanup();
      this.held = {};
    }
  }

  /** Whether a frame decoded at `at` is analysed (the camera's analysis fps, scheduled in real time). */
  private due(at: number): boolean {
    return at + 1 >= this.nextDue;
  }

  private deliver(data: Buffer | null, receivedAt: number, decodedAt: number): void {
    const lat = decodedAt - receivedAt;
    this.latencyMs = this.latencyMs === null ? lat : this.latencyMs * 0.8 + lat * 0.2;
    if (this.state !== "streaming") {
      this.state = "streaming";
      this.error = undefined;
    }
    // Decimate to the analysis fps; a late frame does not cause a burst. Skipped frames were never copied.
    if (!data || !this.due(decodedAt)) return;
    const interval = 1000 / this.analysisFps;
    this.nextDue = Math.max(this.nextDue + interval, decodedAt - interval / 2);
    this.change = this.previous ? meanAbsDiff(this.previous, data) : undefined;
    this.previous = data;
    this.recent.push(decodedAt);
    const frame: Frame = {
      cameraId: this.cameraId,
      seq: this.analysed++,
      width: this.options.width,
      height: this.options.height,
      format: "rgb24",
      data,
      receivedAt,
      decodedAt,
    };
    for (const listener of this.listeners) {
      try {
        listener(frame);
      } catch (error) {
        this.log.error({ err: error }, "frame listener failed");
      }
    }
  }
}

/** Mean absolute difference of two equally sized frames, sampled every 97th byte (cheap, 0-255). */
export function meanAbsDiff(a: Buffer, b: Buffer): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < a.length; i += 97) {
    sum += Math.abs(a[i]! - b[i]!);
    n += 1;
  }
  return sum / n;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A port p on 127.0.0.1 with p+1 free too (ffmpeg's RTP input takes RTCP on p+1). */
export async function freeUdpPortPair(): Promise<number> {
  for (let tries = 0; tries < 20; tries++) {
    const a = dgram.createSocket("udp4");
    a.bind(0, "127.0.0.1");
    await once(a, "listening");
    const port = a.address().port;
    const b = dgram.createSocket("udp4");
    const ok = await new Promise<boolean>((resolve) => {
      b.once("error", () => resolve(false));
      b.bind(port + 1, "127.0.0.1", () => resolve(true));
    });
    a.close();
    try {
      b.close();
    } catch {
      // never bound
    }
    if (ok && port < 65535) return port;
  }
  throw new Error("no free UDP port pair for the decoder");
}
