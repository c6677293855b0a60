// The worker namespace: every socket.io message between the server and worker processes
// (SPEC W1-W11, T1). Event names carry a version prefix so old and new can coexist.
import { z } from "zod";
import { idSchema, isoTimeSchema, uuidSchema } from "./common";
import { safeText } from "./strings";
import {
  eventBatchSchema,
  liveDetectionsSchema,
  sceneWarnings,
  type EventBatchReply,
  type LiveDetections,
} from "./events";
import type { FaceGallery } from "./faces";
import { cameraAnalysisSchema } from "./scene";

export const WORKER_NAMESPACE = "/workers";

export const workerStatuses = ["ONLINE", "IDLE", "PROCESSING", "ERROR", "MAINTENANCE", "OFFLINE"] as const;
export const workerStatusSchema = z.enum(workerStatuses);
export type WorkerStatus = z.infer<typeof workerStatusSchema>;

/** Handshake auth (socket.io `auth` option): the short-lived signed token plus the protocol version. */
export const workerHandshakeSchema = z.object({
  token: z.string().min(10).max(4096),
  protocolVersion: z.number().int().positive(),
});
export type WorkerHandshake = z.infer<typeof workerHandshakeSchema>;

export const capabilitiesSchema = z
  .object({
    models: z.array(safeText().max(100)).max(50).default([]),
    codecs: z.array(safeText().max(50)).max(20).default([]),
  })
  .strict();

/** W1 */
export const registerSchema = z
  .object({
    id: idSchema,
    name: safeText().trim().min(1).max(100),
    host: safeText().min(1).max(255),
    version: safeText().min(1).max(50),
    capacity: z.number().int().min(0).max(256),
    capabilities: capabilitiesSchema,
    pid: z.number().int().positive().optional(),
    /** The interval this worker will heartbeat at; the server clamps it and answers with the one it uses. */
    heartbeatMs: z.number().int().min(100).max(600_000).optional(),
  })
  .strict();
export type RegisterMessage = z.infer<typeof registerSchema>;

export const assignmentSchema = z.object({
  cameraId: uuidSchema,
  assignmentId: uuidSchema,
  analysisFps: z.number().positive().max(60),
  /** D1, D3, C5: what to detect and where to count; absent = decode only (an older server). */
  analysis: cameraAnalysisSchema.optional(),
});
export type Assignment = z.infer<typeof assignmentSchema>;

/**
 * "registered": a new worker record; "already-registered": the server knew this id (a restart or a
 * reconnect) and the worker resumes exactly `assignments`. A second live connection with an id that is
 * already connected is refused with the `already_registered` error (docs/decisions/0005).
 */
export const registerReplySchema = z.object({
  status: z.enum(["registered", "already-registered"]),
  workerId: idSchema,
  serverTime: isoTimeSchema,
  heartbeatMs: z.number().int().positive(),
  /** Cameras the server still has on this worker: the worker resumes exactly these, no others (W11). */
  assignments: z.array(assignmentSchema),
});
export type RegisterReply = z.infer<typeof registerReplySchema>;

export const cameraHealthSchema = z
  .object({
    cameraId: uuidSchema,
    state: z.enum(["starting", "streaming", "stalled", "error", "stopped"]),
    fps: z.number().min(0).max(1000),
    latencyMs: z.number().min(0).max(600_000).nullable(),
    error: z.string().max(500).optional(),
    /** C4: size of the decoded frames handed to the pipeline, once frames flow. */
    width: z.number().int().min(0).max(8192).optional(),
    height: z.number().int().min(0).max(8192).optional(),
    /** C4: frames decoded since the camera was assigned (all restarts included). */
    frames: z.number().int().min(0).optional(),
    /** C4: mean absolute difference between the last two analysed frames (0-255): 0 means a frozen picture. */
    change: z.number().min(0).max(255).optional(),
    /** C4: stream restarts (loss detected, decoder restarted) since assignment. */
    restarts: z.number().int().min(0).optional(),
    /** W10: active = detector at the analysis rate; idle = low rate until motion; off = no detection configured. */
    mode: z.enum(["active", "idle", "off"]).optional(),
    /** D1: mean detector time per analysed frame (ms), null until it ran. */
    detectorMs: z.number().min(0).max(600_000).nullable().optional(),
    /** D1: detector runs per second over the last seconds. */
    detectFps: z.number().min(0).max(1000).optional(),
    /** D5: the scene warning in force (dark, low contrast), null when fine. */
    warning: z.enum(sceneWarnings).nullable().optional(),
    /** D2: tracked objects in the last analysed frame. */
    objects: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();
export type CameraHealth = z.infer<typeof cameraHealthSchema>;

/** W4 */
export const heartbeatSchema = z
  .object({
    status: workerStatusSchema.exclude(["OFFLINE"]),
    load: z.object({ assigned: z.number().int().min(0).max(256), capacity: z.number().int().min(0).max(256) }).strict(),
    cameras: z.array(cameraHealthSchema).max(256),
    cpuPercent: z
      .number()
      .min(0)
      .max(100 * 256),
    memoryMb: z.number().min(0).max(1_048_576),
    sentAt: isoTimeSchema,
    lamport: z.number().int().min(0),
    /** T1: the worker's smoothed estimate of (server clock - its clock), from earlier replies. */
    clockOffsetMs: z.number().int().min(-1e10).max(1e10).optional(),
    /** T2: the on-disk event spool; full = new events are being dropped (policy: docs/decisions/0011-event-delivery.md). */
    spool: z
      .object({
        pendingEvents: z.number().int().min(0),
        bytes: z.number().int().min(0),
        full: z.boolean(),
        droppedEvents: z.number().int().min(0),
      })
      .strict()
      .optional(),
  })
  .strict();
export type HeartbeatMessage = z.infer<typeof heartbeatSchema>;

export const heartbeatReplySchema = z.object({
  /** T1: the server's UTC clock when it handled the heartbeat. */
  serverTime: isoTimeSchema,
  /** A renewed token when the current one is past half its life (W8). */
  token: z.string().optional(),
  tokenExpiresAt: isoTimeSchema.optional(),
});
export type HeartbeatReply = z.infer<typeof heartbeatReplySchema>;

/** W6 */
export const commandTypes = [
  "ASSIGN_CAMERA",
  "RELEASE_CAMERA",
  "START_PROCESSING",
  "STOP_PROCESSING",
  "SET_MAINTENANCE",
  "SHUTDOWN",
] as const;
export const commandTypeSchema = z.enum(commandTypes);
export type CommandType = z.infer<typeof commandTypeSchema>;

const cameraPayload = z.object({ cameraId: uuidSchema }).strict();
export const commandSchema = z.discriminatedUnion("type", [
  z.object({ commandId: uuidSchema, type: z.literal("ASSIGN_CAMERA"), payload: assignmentSchema.strict() }),
  z.object({ commandId: uuidSchema, type: z.literal("RELEASE_CAMERA"), payload: cameraPayload }),
  z.object({ commandId: uuidSchema, type: z.literal("START_PROCESSING"), payload: cameraPayload }),
  z.object({ commandId: uuidSchema, type: z.literal("STOP_PROCESSING"), payload: cameraPayload }),
  z.object({
    commandId: uuidSchema,
    type: z.literal("SET_MAINTENANCE"),
    payload: z.object({ on: z.boolean() }).strict(),
  }),
  z.object({
    commandId: uuidSchema,
    type: z.literal("SHUTDOWN"),
    payload: z.object({ reason: z.string().max(200) }).strict(),
  }),
]);
export type Command = z.infer<typeof commandSchema>;

export const commandAckSchema = z
  .object({
    commandId: uuidSchema,
    ok: z.boolean(),
    /** True when the worker had already applied this command (idempotent replay). */
    duplicate: z.boolean().default(false),
    error: z.string().max(500).optional(),
  })
  .strict();
export type CommandAck = z.infer<typeof commandAckSchema>;

/**
 * C4: media for an assigned camera (docs/decisions/0009). The worker listens on a UDP port, then asks the server to
 * send that camera's RTP there (a mediasoup PlainTransport consumer, paused); once its decoder runs it resumes the
 * consumer, which also asks the source for a key frame. RTP goes to the address the worker connected from (never
 * an address the worker names, so a credential cannot aim the SFU at a third party).
 */
export const mediaSubscribeSchema = z
  .object({
    cameraId: uuidSchema,
    rtpPort: z.number().int().min(1).max(65535),
  })
  .strict();
export type MediaSubscribeMessage = z.infer<typeof mediaSubscribeSchema>;

export const mediaCodecSchema = z.object({
  mimeType: z.string().max(50),
  payloadType: z.number().int().min(0).max(127),
  clockRate: z.number().int().positive(),
  parameters: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
});
export type MediaCodec = z.infer<typeof mediaCodecSchema>;

export const mediaSubscribeReplySchema = z.object({
  consumerId: z.string(),
  codec: mediaCodecSchema,
  ssrc: z.number().int().nonnegative(),
});
export type MediaSubscribeReply = z.infer<typeof mediaSubscribeReplySchema>;

/** resume (start sending + key frame), keyframe (ask the source for one), unsubscribe (stop and free). */
export const mediaCameraSchema = z.object({ cameraId: uuidSchema }).strict();

/** Server -> worker: the camera's stream went away (publisher left, source replaced): subscribe again. */
export const mediaClosedSchema = z.object({ cameraId: uuidSchema, reason: z.string().max(200) });

/** Server -> worker: a camera's analysis settings, scene or model changed (C5): apply at once, no restart. */
export const cameraAnalysisUpdateSchema = z.object({ cameraId: uuidSchema, analysis: cameraAnalysisSchema }).strict();
export type CameraAnalysisUpdate = z.infer<typeof cameraAnalysisUpdateSchema>;

/** W7 */
export const deregisterSchema = z.object({ reason: z.string().max(200) }).strict();

export const revokedSchema = z.object({ reason: z.string().max(200) });

/** HTTP credential exchange: POST /api/v1/workers/token with `Authorization: Bearer <credential>` (W8). */
export const WORKER_TOKEN_PATH = "/api/v1/workers/token";
export const workerTokenReplySchema = z.object({
  token: z.string(),
  expiresAt: isoTimeSchema,
  tenantId: uuidSchema,
  credentialId: uuidSchema,
  credentialName: z.string(),
});
export type WorkerTokenReply = z.infer<typeof workerTokenReplySchema>;

type AckCallback<T> = (reply: import("./common").Ack<T>) => void;

/** Typed socket.io event maps for the worker namespace (server side: io.of(WORKER_NAMESPACE)). */
export interface WorkerToServerEvents {
  "v1:register": (message: RegisterMessage, ack: AckCallback<RegisterReply>) => void;
  "v1:heartbeat": (message: HeartbeatMessage, ack: AckCallback<HeartbeatReply>) => void;
  "v1:command-ack": (message: CommandAck, ack: AckCallback<{ recorded: boolean }>) => void;
  "v1:deregister": (message: z.infer<typeof deregisterSchema>, ack: AckCallback<{ released: number }>) => void;
  "v1:media-subscribe": (message: MediaSubscribeMessage, ack: AckCallback<MediaSubscribeReply>) => void;
  "v1:media-resume": (message: z.infer<typeof mediaCameraSchema>, ack: AckCallback<Record<string, never>>) => void;
  "v1:media-keyframe": (message: z.infer<typeof mediaCameraSchema>, ack: AckCallback<Record<string, never>>) => void;
  "v1:media-unsubscribe": (message: z.infer<typeof mediaCameraSchema>, ack: AckCallback<{ closed: boolean }>) => void;
  /** T2: a batch of detection events; acked only after the accepted ones are committed. */
  "v1:events": (message: z.infer<typeof eventBatchSchema>, ack: AckCallback<EventBatchReply>) => void;
  /** C3: the current boxes of one camera, relayed to watching browsers, never stored. */
  "v1:detections": (message: LiveDetections, ack: AckCallback<Record<string, never>>) => void;
}

export interface ServerToWorkerEvents {
  "v1:command": (command: Command) => void;
  /** The credential was revoked: the worker must stop; reconnecting fails (W8). */
  "v1:revoked": (message: z.infer<typeof revokedSchema>) => void;
  /** An admin removed this worker (W7): it disconnects and exits. */
  "v1:removed": (message: z.infer<typeof revokedSchema>) => void;
  "v1:media-closed": (message: z.infer<typeof mediaClosedSchema>) => void;
  "v1:camera-analysis": (message: CameraAnalysisUpdate) => void;
  /** Issue 14: a tenant's face gallery (embeddings only), on register and within seconds of a change. */
  "v1:face-gallery": (message: FaceGallery) => void;
}

/** Which schema validates each incoming event: the server parses every message with these (U4). */
export const workerMessageSchemas = {
  "v1:register": registerSchema,
  "v1:heartbeat": heartbeatSchema,
  "v1:command-ack": commandAckSchema,
  "v1:deregister": deregisterSchema,
  "v1:media-subscribe": mediaSubscribeSchema,
  "v1:media-resume": mediaCameraSchema,
  "v1:media-keyframe": mediaCameraSchema,
  "v1:media-unsubscribe": mediaCameraSchema,
  "v1:events": eventBatchSchema,
  "v1:detections": liveDetectionsSchema,
} as const satisfies Record<keyof WorkerToServerEvents, z.ZodType>;
