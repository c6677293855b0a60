// The SFU as the server process sees it (SPEC C2, C3): the MediasoupService (workers), one CameraRoom per camera
// (created on first use), and the socket.io namespace /sfu that authenticates browsers (session cookie, tenant
// membership: viewer+ to watch, operator+ to publish), parses every request with protocol/sfu.ts and answers
// with an ack, never a crash. A Peer per socket; a socket that goes away closes its Peer and all it owns.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { and, eq, inArray } from "drizzle-orm";
import type { Namespace, Server as SocketServer, Socket } from "socket.io";
import type { Db } from "../../db/client";
import { cameras } from "../../db/schema";
import { fail, ok, parseMessage, type Ack } from "../../protocol/common";
import {
  SFU_NAMESPACE,
  sfuHandshakeSchema,
  sfuRequestSchema,
  type CameraLiveStatus,
  type SfuClientToServerEvents,
  type SfuRequest,
  type SfuServerToClientEvents,
} from "../../protocol/sfu";
import type { Config } from "../config.server";
import type { Logger } from "../logger.server";
import { resolvePublishToken } from "../models/publish-tokens.server";
import { hasRole, scopeFor } from "../models/scope.server";
import { authenticateSocketSession, userRoom, type Realtime } from "../realtime.server";
import { CameraRoom, SfuError, type RtcOptions } from "./camera-room.server";
import { MediasoupService } from "./mediasoup-service.server";
import { Peer } from "./peer.server";
import { demoInput, findDemoClip } from "./rtsp-ffmpeg.server";
import {
  DEFAULT_RTSP_INGEST_SETTINGS,
  RtspIngestSupervisor,
  type RtspCamera,
  type RtspIngestSettings,
} from "./rtsp-ingest.server";
import { WorkerMediaBridge } from "./worker-media.server";

export interface SfuSocketData {
  cameraId: string;
  tenantId: string;
  mode: "publish" | "watch";
  userId: string | null;
  /** The publish token a kiosk connected with (revoking it disconnects the socket). */
  tokenId?: string;
}
type SfuSocket = Socket<SfuClientToServerEvents, SfuServerToClientEvents, Record<string, never>, SfuSocketData>;

/** Resolves a kiosk publish token to its camera (C2); default: app/models/publish-tokens.server.ts. */
export type PublishTokenResolver = (
  token: string,
) => Promise<{ tokenId: string; cameraId: string; tenantId: string } | null>;

export interface SfuOptions {
  io: SocketServer;
  db: Db;
  config: Pick<
    Config,
    "RTC_LISTEN_IP" | "RTC_ANNOUNCED_ADDRESS" | "RTC_MIN_PORT" | "RTC_MAX_PORT" | "SFU_WORKERS" | "SESSION_TTL_DAYS"
  > &
    Partial<Pick<Config, "FFMPEG_PATH" | "RTSP_MAX_WIDTH" | "RTSP_VIDEO_KBPS">>;
  /** C1: overrides of the RTSP ingest's timings (tests). */
  rtspIngest?: Partial<Pick<RtspIngestSettings, "backoff" | "stallMs" | "startTimeoutMs">>;
  realtime?: Realtime;
  logger: Logger;
  resolvePublishToken?: PublishTokenResolver;
  /** C4: whether a camera is assigned to a worker (the fleet manager); without it no worker may pull media. */
  isAssigned?: (workerId: string, cameraId: string, tenantId: string) => boolean;
  /** Decides who a connecting socket is (default: session cookie or publish token, checked in the database). */
  authorize?: (handshake: { auth: unknown; cookie: string | undefined }) => Promise<SfuSocketData>;
}

export class Sfu {
  private readonly rooms = new Map<string, Promise<CameraRoom>>();
  private readonly nsp: Namespace<
    SfuClientToServerEvents,
    SfuServerToClientEvents,
    Record<string, never>,
    SfuSocketData
  >;
  private readonly rtc: RtcOptions;
  private closedFlag = false;
  /** C4: workers pulling assigned cameras over PlainTransports. */
  readonly workerMedia: WorkerMediaBridge;

  private constructor(
    readonly mediasoup: MediasoupService,
    private readonly options: SfuOptions,
  ) {
    const { config } = options;
    this.rtc = {
      listenIp: config.RTC_LISTEN_IP,
      announcedAddress: config.RTC_ANNOUNCED_ADDRESS,
      minPort: config.RTC_MIN_PORT,
      maxPort: config.RTC_MAX_PORT,
    };
    this.workerMedia = new WorkerMediaBridge({
      rtc: this.rtc,
      logger: options.logger.child({ component: "worker-media" }),
      room: (cameraId, tenantId) => this.room(cameraId, tenantId),
      isAssigned: options.isAssigned ?? (() => false),
    });
    this.nsp = options.io.of(SFU_NAMESPACE) as unknown as typeof this.nsp;
    this.nsp.use((socket, next) => {
      const authorize = options.authorize ?? ((handshake) => this.authorize(handshake.auth, handshake.cookie));
      authorize({ auth: socket.handshake.auth, cookie: socket.handshake.headers.cookie }).then(
        (data) => {
          socket.data = data;
          next();
        },
        (error: unknown) => {
          options.logger.debug({ err: error }, "sfu socket rejected");
          next(new Error(error instanceof SfuError ? error.message : "unauthorized"));
        },
      );
    });
    this.nsp.on("connection", (socket) => this.onConnection(socket));
  }

  static async create(options: SfuOptions): Promise<Sfu> {
    const mediasoup = await MediasoupService.create({
      workers: MediasoupService.defaultWorkerCount(options.config.SFU_WORKERS),
      logger: options.logger.child({ component: "mediasoup" }),
    });
    const sfu = new Sfu(mediasoup, options);
    try {
      await sfu.startRtspIngest();
    } catch (error) {
      await sfu.close(); // a half-started SFU must not leave mediasoup workers or ffmpeg children behind
      throw error;
    }
    return sfu;
  }

  /** Live status of a camera as the SFU sees it (a publisher is producing). */
  async status(cameraId: string): Promise<CameraLiveStatus> {
    const room = this.rooms.get(cameraId);
    if (!room) return "offline";
    try {
      return (await room).status;
    } catch {
      return "offline";
    }
  }

  /** Number of open rooms, peers and transports (tests, metrics). */
  async stats(): Promise<{ rooms: number; peers: number; transports: number }> {
    let peers = 0;
    let transports = 0;
    const rooms = await Promise.allSettled(this.rooms.values());
    for (const r of rooms) {
      if (r.status !== "fulfilled") continue;
      peers += r.value.peers.size;
      for (const peer of r.value.peers) transports += peer.transports.size;
    }
    return { rooms: rooms.length, peers, transports };
  }

  private async authorize(auth: unknown, cookie: string | undefined): Promise<SfuSocketData> {
    const handshake = sfuHandshakeSchema.safeParse(auth);
    if (!handshake.success) throw new SfuError("bad_request", "bad handshake");
    const { cameraId, mode, publishToken } = handshake.data;
    const [camera] = await this.options.db
      .select({ id: cameras.id, tenantId: cameras.tenantId, kind: cameras.kind, enabled: cameras.enabled })
      .from(cameras)
      .where(eq(cameras.id, cameraId));
    if (!camera) throw new SfuError("not_found", "unknown camera");
    if (mode === "publish" && camera.kind !== "browser")
      throw new SfuError("forbidden", "only browser cameras are published from a browser");
    if (mode === "publish" && !camera.enabled) throw new SfuError("forbidden", "this camera is disabled");
    if (publishToken) {
      if (mode !== "publish") throw new SfuError("forbidden", "publish tokens only publish");
      const resolve = this.options.resolvePublishToken ?? ((token) => resolvePublishToken(this.options.db, token));
      const resolved = await resolve(publishToken);
      if (!resolved || resolved.cameraId !== cameraId) throw new SfuError("forbidden", "invalid publish token");
      return { cameraId, tenantId: camera.tenantId, mode, userId: null, tokenId: resolved.tokenId };
    }
    const session = await authenticateSocketSession(this.options.db, cookie, this.options.config.SESSION_TTL_DAYS);
    if (!session) throw new SfuError("forbidden", "unauthorized");
    let role;
    try {
      role = (await scopeFor(this.options.db, session.user.id, camera.tenantId)).role;
    } catch {
      // Not a member of the camera's tenant: same answer as an unknown camera (no existence leak).
      throw new SfuError("not_found", "unknown camera");
    }
    if (!hasRole(role, mode === "publish" ? "operator" : "viewer"))
      throw new SfuError("forbidden", `this needs the ${mode === "publish" ? "operator" : "viewer"} role`);
    return { cameraId, tenantId: camera.tenantId, mode, userId: session.user.id };
  }

  private onConnection(socket: SfuSocket): void {
    const { cameraId, tenantId, mode, userId } = socket.data;
    if (userId) void socket.join(userRoom(userId));
    // The request handler is registered at once (a client may send its first request right after "connect");
    // requests wait for the peer to be in its room.
    const ready = (async () => {
      const peer = await Peer.create({
        id: randomUUID(),
        cameraId,
        mode,
        userId,
        notify: (notification) => socket.emit("notification", notification),
      });
      peer.once("closed", () => socket.connected && socket.disconnect(true));
      if (!socket.connected) {
        peer.close();
        throw new SfuError("conflict", "disconnected");
      }
      socket.once("disconnect", () => peer.close());
      try {
        const room = await this.room(cameraId, tenantId);
        if (!socket.connected) throw new SfuError("conflict", "disconnected");
        room.join(peer);
        return { room, peer };
      } catch (error) {
        if (!(error instanceof SfuError)) this.options.logger.warn({ err: error, cameraId }, "sfu room unavailable");
        peer.close();
        throw error;
      }
    })();
    ready.catch(() => undefined);
    socket.on("request", (payload, ack) => {
      if (typeof ack !== "function") return;
      const parsed = parseMessage(sfuRequestSchema, payload);
      if (!parsed.success) return ack(fail("bad_request", parsed.message));
      ready
        .then(({ room, peer }) => this.handle(room, peer, parsed.data))
        .then(ack, (error: unknown) => {
          if (error instanceof SfuError) return ack(fail(error.code, error.message));
          // mediasoup rejects bad parameters with TypeError/Error: a client fault, reported, not thrown.
          this.options.logger.debug({ err: error, method: parsed.data.method }, "sfu request failed");
          ack(fail("bad_request", error instanceof Error ? error.message.slice(0, 300) : "request failed"));
        });
    });
  }

  private async handle(room: CameraRoom, peer: Peer, request: SfuRequest): Promise<Ack<unknown>> {
    switch (request.method) {
      case "getRouterRtpCapabilities":
        return ok({ rtpCapabilities: room.router.rtpCapabilities, status: room.status });
      case "createTransport":
        return ok(await room.createTransport(peer, request.direction));
      case "connectTransport":
        await room.connectTransport(peer, request.transportId, request.dtlsParameters);
        return ok({});
      case "produce":
        return ok({ id: await room.produce(peer, request.transportId, request.rtpParameters) });
      case "consume":
        return ok(await room.consume(peer, request.transportId, request.rtpCapabilities));
      case "resumeConsumer":
        await room.resumeConsumer(peer, request.consumerId);
        return ok({});
      case "closeTransport":
        room.closeTransport(peer, request.transportId);
        return ok({});
    }
  }

  /** The camera's room, created on first use; a closed room (dead worker) is replaced on the next use. */
  room(cameraId: string, tenantId: string): Promise<CameraRoom> {
    if (this.closedFlag) return Promise.reject(new Error("sfu closed"));
    const existing = this.rooms.get(cameraId);
    if (existing) return existing;
    const created = CameraRoom.create(this.mediasoup, cameraId, tenantId, this.rtc).then((room) => {
      room.on("status", (status) =>
        this.options.realtime?.emitToTenant(tenantId, "camera:status", {
          cameraId,
          status,
          at: Date.now(),
          ...(status === "error" && room.error ? { error: room.error } : {}),
        }),
      );
      room.once("closed", (reason) => {
        if (this.rooms.get(cameraId) === created) this.rooms.delete(cameraId);
        this.options.logger.info({ cameraId, reason }, "camera room closed");
      });
      return room;
    });
    created.catch(() => this.rooms.get(cameraId) === created && this.rooms.delete(cameraId));
    this.rooms.set(cameraId, created);
    return created;
  }

  /** Disconnects the kiosks publishing with a token that was just revoked. */
  async disconnectPublishToken(tokenId: string): Promise<void> {
    for (const socket of await this.nsp.fetchSockets()) if (socket.data.tokenId === tokenId) socket.disconnect(true);
  }

  /** Closes the room of a camera (deleted or disabled camera). */
  async closeRoom(cameraId: string): Promise<void> {
    const room = this.rooms.get(cameraId);
    if (room) (await room.catch(() => null))?.close("camera closed");
  }

  // --- IP cameras (C1): RTSP ingest ------------------------------------------------------------------------
  // One RtspIngest per enabled RTSP camera (all tenants), started with the SFU; camera create/update/delete
  // call syncCamera so URL changes, enable/disable and deletion take effect at once.
  private rtsp: RtspIngestSupervisor | null = null;

  private async startRtspIngest(): Promise<void> {
    const { config, logger } = this.options;
    const defaults = DEFAULT_RTSP_INGEST_SETTINGS;
    this.rtsp = new RtspIngestSupervisor({
      room: (cameraId, tenantId) => this.room(cameraId, tenantId),
      logger: logger.child({ component: "rtsp-ingest" }),
      settings: {
        ...defaults,
        ...this.options.rtspIngest,
        ffmpegPath: config.FFMPEG_PATH ?? defaults.ffmpegPath,
        transcode: {
          ...defaults.transcode,
          maxWidth: config.RTSP_MAX_WIDTH ?? defaults.transcode.maxWidth,
          videoKbps: config.RTSP_VIDEO_KBPS ?? defaults.transcode.videoKbps,
        },
      },
    });
    let rows: IngestRow[];
    try {
      rows = await this.options.db
        .select(INGEST_COLUMNS)
        .from(cameras)
        .where(and(inArray(cameras.kind, ["rtsp", "demo"]), eq(cameras.enabled, true)));
    } catch (error) {
      logger.error({ err: error }, "rtsp ingest: could not load the RTSP cameras");
      return;
    }
    for (const row of rows) {
      const camera = ingestCamera(row);
      if (camera) void this.rtsp.sync(row.id, camera);
    }
    logger.info({ cameras: rows.length }, "rtsp ingest started");
  }

  /** Re-reads one camera and starts, restarts (URL changed) or stops (disabled, deleted, not RTSP) its ingest. */
  async syncCamera(cameraId: string): Promise<void> {
    if (this.closedFlag || !this.rtsp || !/^[0-9a-f-]{36}$/i.test(cameraId)) return;
    const [row] = await this.options.db.select(INGEST_COLUMNS).from(cameras).where(eq(cameras.id, cameraId));
    await this.rtsp.sync(cameraId, row && row.enabled ? ingestCamera(row) : null);
  }

  /** Status and, for a failing RTSP camera, why (redacted): what the Cameras pages show. */
  async liveState(cameraId: string): Promise<{ status: CameraLiveStatus; error: string | null; at: number }> {
    const at = Date.now(); // before reading: an event stamped later is newer than this answer
    const room = this.rooms.get(cameraId);
    const resolved = room ? await room.catch(() => null) : null;
    return resolved ? { status: resolved.status, error: resolved.error, at } : { status: "offline", error: null, at };
  }

  async close(): Promise<void> {
    if (this.closedFlag) return;
    this.closedFlag = true;
    await this.rtsp?.close(); // ffmpeg children first, while their rooms still exist
    this.workerMedia.close();
    this.nsp.disconnectSockets(true);
    const rooms = await Promise.allSettled(this.rooms.values());
    for (const r of rooms) if (r.status === "fulfilled") r.value.close("server stopping");
    this.rooms.clear();
    this.mediasoup.close();
  }
}

const INGEST_COLUMNS = {
  id: cameras.id,
  tenantId: cameras.tenantId,
  kind: cameras.kind,
  enabled: cameras.enabled,
  rtspUrl: cameras.rtspUrl,
};
type IngestRow = { id: string; tenantId: string; kind: string; enabled: boolean; rtspUrl: string | null };

/** What the server ingests for a camera record: an RTSP camera's URL, the demo camera's clip (O1), else nothing. */
function ingestCamera(row: IngestRow): RtspCamera | null {
  if (row.kind === "rtsp" && row.rtspUrl) return { id: row.id, tenantId: row.tenantId, rtspUrl: row.rtspUrl };
  if (row.kind !== "demo") return null;
  const demo = demoInput(findDemoClip(existsSync, process.env));
  return { id: row.id, tenantId: row.tenantId, rtspUrl: demo.label, input: demo.input };
}
