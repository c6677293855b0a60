// The worker's link to the server (SPEC W1, W3, W4, W8, T1): exchange the credential for a token,
// connect to /workers, register, heartbeat, take commands; reconnect with backoff + jitter on any
// network failure; stop for good only when the credential is refused or revoked.
import { EventEmitter } from "node:events";
import { io, type Socket } from "socket.io-client";
import {
  cameraAnalysisUpdateSchema,
  commandSchema,
  faceGallerySchema,
  heartbeatReplySchema,
  mediaClosedSchema,
  parseMessage,
  PROTOCOL_VERSION,
  registerReplySchema,
  WORKER_NAMESPACE,
  WORKER_TOKEN_PATH,
  workerTokenReplySchema,
  type Ack,
  type CameraAnalysis,
  type Command,
  type CommandAck,
  type FaceGallery,
  type HeartbeatMessage,
  type LiveDetections,
  type RegisterMessage,
  type RegisterReply,
  type ServerToWorkerEvents,
  type WorkerToServerEvents,
} from "../protocol";
import { DriftEstimator, LamportClock } from "../protocol/clock";
import { backoffDelay } from "./backoff";
import { socketMediaLink, type MediaLink } from "./ingest/media-link";
import type { Logger } from "./logger";

export interface ConnectionOptions {
  server: string;
  credential: string;
  register: () => RegisterMessage;
  heartbeat: () => Omit<HeartbeatMessage, "sentAt" | "lamport" | "clockOffsetMs">;
  reconnectMaxMs: number;
  logger: Logger;
}

export class FatalConnectionError extends Error {}

export interface WorkerConnectionEvents {
  registered: [RegisterReply];
  command: [Command, (ack: CommandAck) => void];
  fatal: [FatalConnectionError];
  /** C4: the server closed a camera's media consumer. */
  "media-closed": [cameraId: string, reason: string];
  /** C5: a camera's analysis settings, scene or model changed on the server. */
  "camera-analysis": [cameraId: string, analysis: CameraAnalysis];
  /** D6 (issue 14): a tenant's face gallery (embeddings only), on register and after every change. */
  "face-gallery": [FaceGallery];
}

/** A request the server refused or could not answer; `code` is one of protocol/common.ts errorCodes. */
export class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "RequestError";
  }
}

type RequestEvent = Exclude<keyof WorkerToServerEvents, "v1:register" | "v1:heartbeat" | "v1:command-ack">;

export class WorkerConnection extends EventEmitter<WorkerConnectionEvents> {
  readonly drift = new DriftEstimator();
  readonly lamport = new LamportClock();
  private socket: Socket<ServerToWorkerEvents, WorkerToServerEvents> | null = null;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private heartbeatMs = 30_000;
  private closed = false;
  private registered = false;
  /** The signed token from the last credential exchange (renewed by heartbeats), for authenticated HTTP. */
  private token: string | null = null;

  constructor(private readonly options: ConnectionOptions) {
    super();
  }

  start(): void {
    void this.connect();
  }

  get isRegistered(): boolean {
    return this.registered;
  }

  private scheduleReconnect(reason: string): void {
    if (this.closed || this.retryTimer) return;
    const delay = backoffDelay(this.attempt++, { baseMs: 250, maxMs: this.options.reconnectMaxMs });
    this.options.logger.warn(
      { reason, retryInMs: delay, attempt: this.attempt },
      "not connected to the server; retrying",
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    let token: string;
    try {
      token = await this.exchangeCredential();
    } catch (error) {
      if (error instanceof FatalConnectionError) return this.fatal(error);
      return this.scheduleReconnect(`token exchange failed: ${(error as Error).message}`);
    }
    if (this.closed) return;
    const socket: Socket<ServerToWorkerEvents, WorkerToServerEvents> = io(
      new URL(WORKER_NAMESPACE, this.options.server).href,
      {
        auth: { token, protocolVersion: PROTOCOL_VERSION },
        reconnection: false,
        transports: ["websocket"],
        timeout: 10_000,
      },
    );
    this.socket = socket;
    socket.on("connect", () => void this.register(socket));
    socket.on("connect_error", (error) => {
      const data = (error as Error & { data?: { code?: string; message?: string } }).data;
      this.dropSocket(socket);
      if (data?.code === "protocol_version") return this.fatal(new FatalConnectionError(data.message ?? error.message));
      this.scheduleReconnect(`connect failed: ${data?.message ?? error.message}`);
    });
    socket.on("disconnect", (reason) => {
      this.dropSocket(socket);
      this.scheduleReconnect(`disconnected (${reason})`);
    });
    socket.on("v1:revoked", (message) =>
      this.fatal(new FatalConnectionError(`Credential revoked by the server: ${String(message?.reason ?? "")}`)),
    );
    socket.on("v1:removed", (message) =>
      this.fatal(new FatalConnectionError(`Removed by the server: ${String(message?.reason ?? "")}`)),
    );
    socket.on("v1:camera-analysis", (raw) => {
      const parsed = parseMessage(cameraAnalysisUpdateSchema, raw);
      if (!parsed.success) {
        this.options.logger.warn({ error: parsed.message }, "ignoring malformed camera analysis from the server");
        return;
      }
      this.emit("camera-analysis", parsed.data.cameraId, parsed.data.analysis);
    });
    socket.on("v1:face-gallery", (raw) => {
      const parsed = parseMessage(faceGallerySchema, raw);
      if (!parsed.success) {
        this.options.logger.warn({ error: parsed.message }, "ignoring malformed face gallery from the server");
        return;
      }
      this.emit("face-gallery", parsed.data);
    });
    socket.on("v1:media-closed", (raw) => {
      const parsed = parseMessage(mediaClosedSchema, raw);
      if (parsed.success) this.emit("media-closed", parsed.data.cameraId, parsed.data.reason);
    });
    socket.on("v1:command", (raw) => {
      const parsed = parseMessage(commandSchema, raw);
      if (!parsed.success) {
        this.options.logger.warn({ error: parsed.message }, "ignoring malformed command from the server");
        return;
      }
      this.lamport.tick();
      this.emit("command", parsed.data, (ack) => {
        socket.timeout(10_000).emit("v1:command-ack", ack, (err: Error | null) => {
          if (err)
            this.options.logger.warn(
              { commandId: ack.commandId },
              "command ack not confirmed; the server will re-send it",
            );
        });
      });
    });
  }

  /** POST /api/v1/workers/token. 401 = refused credential (fatal); anything else is retried. */
  private async exchangeCredential(): Promise<string> {
    const res = await fetch(new URL(WORKER_TOKEN_PATH, this.options.server), {
      method: "POST",
      headers: { authorization: `Bearer ${this.options.credential}` },
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json().catch(() => null)) as { message?: string } | null;
    if (res.status === 401 || res.status === 403)
      throw new FatalConnectionError(`The server refused the worker credential: ${body?.message ?? res.statusText}`);
    if (!res.ok) throw new Error(`HTTP ${res.status} ${body?.message ?? ""}`.trim());
    const parsed = parseMessage(workerTokenReplySchema, body);
    if (!parsed.success) throw new Error(`unexpected token reply: ${parsed.message}`);
    this.token = parsed.data.token;
    return parsed.data.token;
  }

  private async register(socket: Socket<ServerToWorkerEvents, WorkerToServerEvents>): Promise<void> {
    const message = this.options.register();
    let reply: Ack<RegisterReply>;
    try {
      reply = (await socket.timeout(10_000).emitWithAck("v1:register", message)) as Ack<RegisterReply>;
    } catch {
      socket.disconnect();
      return;
    }
    if (!reply?.ok) {
      this.options.logger.error(
        { code: reply?.error?.code, workerId: message.id },
        `registration refused: ${reply?.error?.message ?? "no reply"}`,
      );
      socket.disconnect();
      return;
    }
    const parsed = parseMessage(registerReplySchema, reply.data);
    if (!parsed.success) {
      this.options.logger.error({ error: parsed.message }, "malformed register reply");
      socket.disconnect();
      return;
    }
    this.attempt = 0;
    this.registered = true;
    this.heartbeatMs = parsed.data.heartbeatMs;
    this.drift.add({ sentAt: Date.now(), receivedAt: Date.now(), serverTime: Date.parse(parsed.data.serverTime) });
    this.options.logger.info(
      { status: parsed.data.status, assignments: parsed.data.assignments.length, heartbeatMs: this.heartbeatMs },
      "registered with the server",
    );
    this.emit("registered", parsed.data);
    this.scheduleHeartbeat(socket, 0);
  }

  private scheduleHeartbeat(
    socket: Socket<ServerToWorkerEvents, WorkerToServerEvents>,
    delay = this.heartbeatMs,
  ): void {
    clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = setTimeout(() => void this.sendHeartbeat(socket), delay);
  }

  private async sendHeartbeat(socket: Socket<ServerToWorkerEvents, WorkerToServerEvents>): Promise<void> {
    if (this.socket !== socket || !socket.connected) return;
    const sentAt = Date.now();
    const message: HeartbeatMessage = {
      ...this.options.heartbeat(),
      sentAt: new Date(sentAt).toISOString(),
      lamport: this.lamport.tick(),
      clockOffsetMs: this.drift.offsetMs,
    };
    this.scheduleHeartbeat(socket);
    try {
      const reply = (await socket
        .timeout(Math.max(this.heartbeatMs, 2_000))
        .emitWithAck("v1:heartbeat", message)) as Ack<unknown>;
      if (!reply?.ok) {
        this.options.logger.warn({ code: reply?.error?.code }, `heartbeat refused: ${reply?.error?.message}`);
        if (reply?.error?.code === "not_registered") socket.disconnect();
        return;
      }
      const parsed = parseMessage(heartbeatReplySchema, reply.data);
      if (parsed.success) {
        this.drift.add({ sentAt, receivedAt: Date.now(), serverTime: Date.parse(parsed.data.serverTime) });
        if (parsed.data.token) this.token = parsed.data.token;
      }
    } catch {
      this.options.logger.warn("heartbeat not acknowledged in time");
    }
  }

  /** C4: the media requests of the ingest stage, over this connection. */
  readonly media: MediaLink = socketMediaLink(
    (event, payload) => this.request(event, payload as never, 5_000),
    (listener) => {
      this.on("media-closed", listener);
      return () => this.off("media-closed", listener);
    },
  );

  /** One acknowledged request to the server; resolves with the ack's data, throws RequestError otherwise. */
  async request<E extends RequestEvent>(
    event: E,
    payload: Parameters<WorkerToServerEvents[E]>[0],
    timeoutMs: number,
  ): Promise<unknown> {
    const socket = this.socket;
    if (!socket?.connected || !this.registered) throw new RequestError("unavailable", "Not connected to the server");
    let reply: Ack<unknown>;
    try {
      // socket.io's typed emitWithAck cannot follow a generic event name; the map above fixes the payload type.
      const timed = socket.timeout(timeoutMs) as unknown as { emitWithAck(e: string, p: unknown): Promise<unknown> };
      reply = (await timed.emitWithAck(event, payload)) as Ack<unknown>;
    } catch {
      throw new RequestError("unavailable", `No answer from the server to ${event}`);
    }
    if (!reply?.ok) throw new RequestError(reply?.error?.code ?? "internal", reply?.error?.message ?? "no reply");
    return reply.data;
  }

  /** C3: the live boxes of one camera; dropped when not connected (they are stale a frame later anyway). */
  sendLive(message: LiveDetections): void {
    const socket = this.socket;
    if (!socket?.connected || !this.registered) return;
    socket.emit("v1:detections", message, () => undefined);
  }

  /** GET a server path with the worker's signed token (W8), e.g. a model file (D1). */
  async authorizedFetch(path: string, init: { signal?: AbortSignal } = {}): Promise<Response> {
    if (!this.token) this.token = await this.exchangeCredential();
    const res = await fetch(new URL(path, this.options.server), {
      headers: { authorization: `Bearer ${this.token}` },
      signal: init.signal,
    });
    if (res.status !== 401) return res;
    // The token may have expired between heartbeats: exchange once more and retry.
    this.token = await this.exchangeCredential();
    return fetch(new URL(path, this.options.server), {
      headers: { authorization: `Bearer ${this.token}` },
      signal: init.signal,
    });
  }

  /** Report a change (new camera, maintenance) now instead of at the next interval. */
  heartbeatSoon(): void {
    const socket = this.socket;
    if (socket && this.registered) this.scheduleHeartbeat(socket, 50);
  }

  private dropSocket(socket: Socket<ServerToWorkerEvents, WorkerToServerEvents>): void {
    if (this.socket !== socket) return;
    this.socket = null;
    this.registered = false;
    clearTimeout(this.heartbeatTimer);
    socket.removeAllListeners();
    socket.disconnect();
  }

  private fatal(error: FatalConnectionError): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    if (this.socket) this.dropSocket(this.socket);
    this.emit("fatal", error);
  }

  /** W7: tell the server we leave (it releases our cameras), then close. Idempotent. */
  async close(reason: string): Promise<void> {
    if (this.closed && !this.socket) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    if (socket?.connected && this.registered) {
      try {
        await socket.timeout(3_000).emitWithAck("v1:deregister", { reason });
      } catch {
        this.options.logger.warn("deregistration not acknowledged; the server will mark this worker OFFLINE");
      }
    }
    if (socket) this.dropSocket(socket);
  }
}
