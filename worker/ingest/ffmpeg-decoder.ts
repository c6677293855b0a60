// One ffmpeg child that decodes one camera's RTP (described by an SDP on its stdin) into raw RGB frames of a
// fixed size on its stdout (SPEC C4). Frames live in memory only (C6): nothing is written to disk. stop() always
// ends the child (SIGTERM, then SIGKILL) and resolves once it has exited, so no decoder outlives its camera.
import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";

export interface DecoderOptions {
  ffmpegPath: string;
  sdp: string;
  width: number;
  height: number;
  /**
   * Asked when a frame's first bytes arrive: false skips copying it (decimation without the cost of a copy);
   * onFrame then gets null for it, so callers still see every decoded frame.
   */
  wantFrame?(at: number): boolean;
  onFrame(data: Buffer | null, at: number): void;
  /** The child ended by itself (not through stop()): code/signal and the last lines it printed. */
  onExit(info: { code: number | null; signal: NodeJS.Signals | null; stderr: string }): void;
}

export function decoderArgs(width: number, height: number): string[] {
  return [
    "-hide_banner",
    "-loglevel",
    "error",
    "-nostdin",
    "-protocol_whitelist",
    "pipe,udp,rtp",
    // Low latency: no probing beyond the SDP, no input buffering, no RTP reordering window (loopback relay).
    "-fflags",
    "nobuffer",
    "-flags",
    "low_delay",
    "-probesize",
    "32",
    "-analyzeduration",
    "0",
    "-reorder_queue_size",
    "0",
    "-f",
    "sdp",
    "-i",
    "pipe:0",
    "-an",
    "-vf",
    `scale=${width}:${height}`,
    "-pix_fmt",
    "rgb24",
    // One output frame per decoded frame (the rawvideo muxer would otherwise duplicate frames to a constant rate).
    "-fps_mode",
    "passthrough",
    // The rawvideo encoder is frame-threaded: with more than one thread it holds each frame until the next one
    // arrives (a whole frame interval of latency, and a stream's last frame never comes out).
    "-threads",
    "1",
    "-f",
    "rawvideo",
    "pipe:1",
  ];
}

export class FfmpegDecoder {
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  private readonly exited: Promise<void>;
  private stopping = false;
  private stderrTail = "";

  private constructor(options: DecoderOptions) {
    const frameBytes = options.width * options.height * 3;
    this.child = spawn(options.ffmpegPath, decoderArgs(options.width, options.height), {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let frame: Buffer | null = null;
    let filled = 0;
    this.child.stdout.on("data", (chunk: Buffer) => {
      let offset = 0;
      while (offset < chunk.length) {
        if (filled === 0) frame = options.wantFrame?.(Date.now()) === false ? null : Buffer.allocUnsafe(frameBytes);
        const n = Math.min(frameBytes - filled, chunk.length - offset);
        frame?.set(chunk.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled === frameBytes) {
          filled = 0;
          options.onFrame(frame, Date.now());
        }
      }
    });
    this.child.stderr.on("data", (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-2000);
    });
    this.child.stdin.on("error", () => undefined); // ffmpeg may exit before reading the SDP
    this.exited = new Promise((resolve) => {
      let ended = false;
      const end = (code: number | null, signal: NodeJS.Signals | null) => {
        if (ended) return;
        ended = true;
        if (!this.stopping) options.onExit({ code, signal, stderr: this.stderrTail.trim() });
        resolve();
      };
      this.child.once("error", (error) => {
        this.stderrTail += `\n${options.ffmpegPath}: ${error.message}`;
        if (this.child.pid === undefined) end(null, null); // never started (e.g. ffmpeg not installed)
      });
      this.child.once("close", end);
    });
    this.child.stdin.end(options.sdp);
  }

  static start(options: DecoderOptions): FfmpegDecoder {
    return new FfmpegDecoder(options);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill("SIGTERM");
      const timer = setTimeout(() => this.child.kill("SIGKILL"), 1000);
      await this.exited;
      clearTimeout(timer);
    }
    await this.exited;
  }
}
