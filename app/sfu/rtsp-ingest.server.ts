// IP cameras (SPEC C1): the server pulls each enabled RTSP camera with ffmpeg and feeds it into the camera's
// mediasoup Router, so browsers watch it (C3) and workers pull it (C4) like any published camera. One RtspIngest
// per camera owns one run at a time: a comedia PlainTransport on 127.0.0.1, a VP8 producer on it, and the ffmpeg
// child that transcodes the camera to VP8 RTP into it. The camera is "live" only once RTP arrives; ffmpeg exiting,
// no RTP for stallMs or the room closing (mediasoup worker died) ends the run, reports the (redacted) reason on
// the room ("error") and starts a new run after an exponential backoff with jitter. close() kills ffmpeg (SIGTERM,
// then SIGKILL) and closes the transport; it is idempotent and emits "closed" once nothing is left behind.
// RtspIngestSupervisor keeps exactly one RtspIngest per enabled RTSP camera.
import { spawn, type ChildProcess } from "node:child_process";
import { randomInt } from "node:crypto";
import { EventEmitter } from "node:events";
import { existsSync } from "node:fs";
import type { types } from "mediasoup";
import type { Logger } from "../logger.server";
import type { CameraRoom } from "./camera-room.server";
import {
  backoffDelay,
  ffmpegFailureMessage,
  ffmpegIngestArgs,
  redactSecrets,
  redactUrl,
  type BackoffSettings,
  type TranscodeSettings,
} from "./rtsp-ffmpeg.server";

export interface RtspCamera {
  id: string;
  tenantId: string;
  /** The RTSP URL (for a demo camera, a label such as demo:<clip>, compared to detect changes). */
  rtspUrl: string;
  /** ffmpeg input arguments replacing the RTSP ones (the demo camera, O1). */
  input?: string[];
}

export interface RtspIngestSettings {
  ffmpegPath: string;
  transcode: TranscodeSettings;
  backoff: BackoffSettings;
  /** A run that received RTP and then none for this long is restarted. */
  stallMs: number;
  /** A run that received no RTP this long after ffmpeg started is restarted. */
  startTimeoutMs: number;
}

export const DEFAULT_RTSP_INGEST_SETTINGS: RtspIngestSettings = {
  ffmpegPath: "ffmpeg",
  transcode: { maxWidth: 1280, videoKbps: 1000, keyFrameSeconds: 1 },
  backoff: { initialMs: 1000, maxMs: 30_000, resetAfterMs: 30_000 },
  stallMs: 5000,
  startTimeoutMs: 20_000,
};

export interface RtspIngestOptions {
  camera: RtspCamera;
  /** The camera's room (created on first use; a closed one is replaced). */
  room(cameraId: string, tenantId: string): Promise<CameraRoom>;
  logger: Logger;
  settings: RtspIngestSettings;
}

export type RtspIngestState = "starting" | "live" | "retrying" | "closed";

const PAYLOAD_TYPE = 101;
const KILL_GRACE_MS = 2000;
// Where available, the kernel kills ffmpeg if the server process dies without running close() (SIGKILL, crash).
const SETPRIV = "/usr/bin/setpriv";

interface Run {
  room: CameraRoom;
  transport: types.PlainTransport;
  child: ChildProcess;
  exited: Promise<void>;
  startedAt: number;
  liveAt: number | null;
  /** RTP bytes the transport had received at the last change, and when (stall detection). */
  received: { bytes: number; at: number };
  watchdog: NodeJS.Timeout;
  ended: boolean;
  onRoomClosed: () => void;
}

export class RtspIngest extends EventEmitter<{ state: [state: RtspIngestState]; closed: [] }> {
  private run: Run | null = null;
  private lastRoom: CameraRoom | null = null;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private stateValue: RtspIngestState = "starting";
  private closedFlag = false;
  private closing: Promise<void> | null = null;
  private starting: Promise<void> = Promise.resolve();
  private readonly log: Logger;

  private constructor(private readonly options: RtspIngestOptions) {
    super();
    this.log = options.logger.child({ cameraId: options.camera.id, url: redactUrl(options.camera.rtspUrl) });
  }

  static async create(options: RtspIngestOptions): Promise<RtspIngest> {
    const ingest = new RtspIngest(options);
    ingest.launch();
    return ingest;
  }

  get camera(): RtspCamera {
    return this.options.camera;
  }

  get state(): RtspIngestState {
    return this.stateValue;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** The running ffmpeg's pid (tests check it is gone after close). */
  get ffmpegPid(): number | undefined {
    return this.run?.child.pid;
  }

  /** The current run's PlainTransport (tests check it is closed after close). */
  get transport(): types.PlainTransport | undefined {
    return this.run?.transport;
  }

  private setState(state: RtspIngestState): void {
    if (this.stateValue === state) return;
    this.stateValue = state;
    this.emit("state", state);
  }

  /** Starts a run; close() waits for a start in progress so it can release what that start created. */
  private launch(): void {
    this.retryTimer = null;
    this.starting = this.startRun().catch((error: unknown) => {
      this.log.error({ err: error }, "rtsp ingest: unexpected error starting a run");
      if (!this.closed) this.retryLater(null, "internal error", null);
    });
  }

  private async startRun(): Promise<void> {
    if (this.closed) return;
    this.setState("starting");
    const { camera, settings } = this.options;
    let room: CameraRoom | undefined;
    let transport: types.PlainTransport | undefined;
    let producer: types.Producer;
    const ssrc = randomInt(1, 2 ** 31);
    try {
      room = await this.options.room(camera.id, camera.tenantId);
      this.lastRoom = room;
      transport = await room.router.createPlainTransport({
        listenInfo: { protocol: "udp", ip: "127.0.0.1" },
        // ffmpeg sends RTCP from a second socket (and before its first RTP packet): with RTCP muxed, comedia
        // would lock onto the RTCP socket's address and drop every RTP packet. Separate ports, learned apart.
        rtcpMux: false,
        comedia: true,
        appData: { cameraId: camera.id, rtspIngest: true },
      });
      producer = await transport.produce({
        kind: "video",
        rtpParameters: {
          codecs: [{ mimeType: "video/VP8", payloadType: PAYLOAD_TYPE, clockRate: 90000 }],
          encodings: [{ ssrc }],
        },
        appData: { cameraId: camera.id, rtspIngest: true },
      });
    } catch (error) {
      transport?.close();
      this.retryLater(room ?? null, `could not set up the camera's media: ${(error as Error).message}`, null);
      return;
    }
    if (this.closed || room.closed) {
      transport.close();
      if (!this.closed) this.retryLater(null, null, null);
      return;
    }
    const port = transport.tuple.localPort;
    const rtcpPort = transport.rtcpTuple?.localPort ?? port;
    const rtp = { port, rtcpPort, ssrc, payloadType: PAYLOAD_TYPE };
    const args = ffmpegIngestArgs(camera.rtspUrl, rtp, settings.transcode, camera.input);
    const [command, argv] = existsSync(SETPRIV)
      ? [SETPRIV, ["--pdeathsig", "KILL", "--", settings.ffmpegPath, ...args]]
      : [settings.ffmpegPath, args];
    const child = spawn(command, argv, { stdio: ["ignore", "ignore", "pipe"] });
    let stderrTail = "";
    let spawnError: string | null = null;
    const exited = new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.once("error", (error) => {
        spawnError = `could not run ffmpeg (${settings.ffmpegPath}): ${error.message}`;
        if (child.pid === undefined) resolve();
      });
    });
    const run: Run = {
      room,
      transport,
      child,
      exited,
      startedAt: Date.now(),
      liveAt: null,
      received: { bytes: 0, at: Date.now() },
      watchdog: setInterval(() => void this.watch(run), 1000),
      ended: false,
      onRoomClosed: () => this.endRun(run, null),
    };
    this.run = run;
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-4000);
    });
    void exited.then(() => {
      const exit = { code: child.exitCode, signal: child.signalCode };
      this.endRun(run, spawnError ?? ffmpegFailureMessage(stderrTail, camera.rtspUrl, exit), stderrTail);
    });
    room.once("closed", run.onRoomClosed);
    // comedia: the transport learns ffmpeg's RTP address from its first RTP packet: the proof that video flows.
    transport.once("tuple", () => {
      if (run.ended) return;
      run.liveAt = Date.now();
      run.received = { bytes: 0, at: run.liveAt };
      try {
        run.room.attachProducer(producer, null);
      } catch (error) {
        this.log.debug({ err: error }, "rtsp ingest: room closed before the first packet");
        return; // onRoomClosed restarts
      }
      this.setState("live");
      this.log.info({ startupMs: run.liveAt - run.startedAt, pid: child.pid }, "rtsp camera live");
    });
    this.log.info({ pid: child.pid, port }, "rtsp ingest started");
  }

  /** Every second: a run that never got RTP, or stopped getting it, is ended. */
  private async watch(run: Run): Promise<void> {
    if (run.ended) return;
    const { startTimeoutMs, stallMs } = this.options.settings;
    const now = Date.now();
    if (run.liveAt === null) {
      if (now - run.startedAt > startTimeoutMs)
        this.endRun(run, `no video from the camera within ${Math.round(startTimeoutMs / 1000)} s`);
      return;
    }
    const stats = await run.transport.getStats().catch(() => []);
    const bytes = stats[0]?.rtpBytesReceived ?? 0; // RTP only: ffmpeg's RTCP reports are no proof of video
    if (bytes !== run.received.bytes) run.received = { bytes, at: now };
    else if (now - run.received.at > stallMs && !run.ended)
      this.endRun(run, `no video from the camera for ${Math.round(stallMs / 1000)} s`);
  }

  /** Ends a run: the reason (null: none to report) goes on the room, everything of the run is released. */
  private endRun(run: Run, reason: string | null, stderrTail?: string): void {
    if (run.ended) return;
    run.ended = true;
    clearInterval(run.watchdog);
    run.room.off("closed", run.onRoomClosed);
    if (this.run === run) this.run = null;
    const streamedMs = run.liveAt === null ? 0 : Date.now() - run.liveAt;
    if (streamedMs >= this.options.settings.backoff.resetAfterMs) this.attempt = 0;
    if (reason && !run.room.closed) run.room.setSourceError(reason); // before the producer goes: live -> error
    run.transport.close(); // closes the producer: the room goes offline/error and its consumers close
    void stopChild(run.child, run.exited);
    if (!this.closed) {
      const tail = stderrTail ? redactSecrets(stderrTail.slice(-1000), this.options.camera.rtspUrl) : undefined;
      this.retryLater(null, reason ?? "camera room closed", tail);
    }
  }

  private retryLater(room: CameraRoom | null, reason: string | null, stderrTail: string | null | undefined): void {
    if (this.closed) return;
    if (room && reason && !room.closed) room.setSourceError(reason);
    const delay = backoffDelay(this.attempt, this.options.settings.backoff);
    this.attempt += 1;
    this.setState("retrying");
    this.log.warn({ reason, retryInMs: delay, attempt: this.attempt, stderr: stderrTail }, "rtsp ingest stopped");
    this.retryTimer = setTimeout(() => this.launch(), delay);
  }

  /** Stops for good: kills ffmpeg, closes the transport, clears the camera's error. Resolves once ffmpeg is gone. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closedFlag = true;
    this.closing = (async () => {
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.retryTimer = null;
      await this.starting; // a start in progress sees the closed flag and releases its transport
      const run = this.run;
      if (run) this.endRun(run, null);
      if (this.lastRoom && !this.lastRoom.closed) this.lastRoom.setSourceError(null);
      if (run) await stopChild(run.child, run.exited);
      this.setState("closed");
      this.log.info("rtsp ingest closed");
      this.emit("closed");
    })();
    return this.closing;
  }
}

/** SIGTERM, then SIGKILL after a grace period; resolves when the child has exited. */
function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), KILL_GRACE_MS);
  return exited.finally(() => clearTimeout(timer));
}

/** Keeps exactly one RtspIngest per enabled RTSP camera; changes to one camera are applied in order. */
export class RtspIngestSupervisor {
  private readonly ingests = new Map<string, RtspIngest>();
  private readonly queues = new Map<string, Promise<void>>();
  private closedFlag = false;

  constructor(private readonly options: Omit<RtspIngestOptions, "camera">) {}

  get size(): number {
    return this.ingests.size;
  }

  ingest(cameraId: string): RtspIngest | undefined {
    return this.ingests.get(cameraId);
  }

  /**
   * Applies one camera's current record: `camera` null (deleted, disabled, not RTSP) stops its ingest; a new or
   * changed URL (re)starts it; an unchanged one leaves it running.
   */
  sync(cameraId: string, camera: RtspCamera | null): Promise<void> {
    const previous = this.queues.get(cameraId) ?? Promise.resolve();
    const next = previous.then(() => this.apply(cameraId, camera));
    const settled = next.catch(() => undefined);
    this.queues.set(cameraId, settled);
    void settled.then(() => this.queues.get(cameraId) === settled && this.queues.delete(cameraId));
    return next;
  }

  private async apply(cameraId: string, camera: RtspCamera | null): Promise<void> {
    const current = this.ingests.get(cameraId);
    if (current && camera && !this.closedFlag && sameCamera(current.camera, camera)) return;
    if (current) {
      this.ingests.delete(cameraId);
      await current.close();
    }
    if (!camera || this.closedFlag) return;
    this.ingests.set(cameraId, await RtspIngest.create({ ...this.options, camera }));
  }

  async close(): Promise<void> {
    this.closedFlag = true;
    await Promise.allSettled(this.queues.values());
    const all = [...this.ingests.values()];
    this.ingests.clear();
    await Promise.allSettled(all.map((i) => i.close()));
  }
}

function sameCamera(a: RtspCamera, b: RtspCamera): boolean {
  return a.rtspUrl === b.rtspUrl && a.tenantId === b.tenantId;
}
