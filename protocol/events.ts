// Detection events from workers to the server (SPEC D3, D4, D5, T1, T2): the envelope every event carries, the batch
// a worker sends over socket.io and the server's acknowledgement, and the volatile live-overlay message (C3).
// Events are emitted on state changes only (a new track, a line crossing, a zone enter/exit, a scene warning that
// starts or clears), never per frame. Delivery is at-least-once from the worker (spool + replay) and idempotent on
// the server (event ids are unique), so every event is stored exactly once.
import { z } from "zod";
import { idSchema, isoTimeSchema, uuidSchema } from "./common";
import { flushTinyToZero, safeText } from "./strings";

export const detectionEventTypes = [
  "track_start",
  "line_crossing",
  "zone_enter",
  "zone_exit",
  "scene_warning",
  // Issue 13: a workstation zone's state and a bound line's product output, for the productivity module.
  "workstation_state",
  "workstation_output",
  // Issue 14 (D6, S1; protocol/faces.ts): face recognition on person tracks. Stored in face_events, not detection_events.
  "face_recognised",
  "face_unknown",
  "face_track_end",
] as const;
export type DetectionEventType = (typeof detectionEventTypes)[number];

export const crossingDirections = ["in", "out"] as const;
export type CrossingDirection = (typeof crossingDirections)[number];

export const sceneWarnings = ["dark", "low_contrast"] as const;

/** Issue 13: the productivity module's state event types, as a workstation zone reports them. */
export const workstationStates = ["working", "idle", "absent"] as const;
export type WorkstationState = (typeof workstationStates)[number];

/** A box normalised to the frame: [x1, y1, x2, y2], 0..1, x right, y down. */
// Stored in `real` columns: a computed value too small for float4 is stored as 0 (U4), never a database error.
const unit = () => z.number().min(0).max(1).overwrite(flushTinyToZero);
export const normalisedBoxSchema = z.tuple([unit(), unit(), unit(), unit()]);
export type NormalisedBox = z.infer<typeof normalisedBoxSchema>;

/** Local wall-clock time without an offset, e.g. 2026-12-01T23:10:00.123 (T1: kept for audit). */
export const localTimeSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?$/);

/** T1: the envelope of every detection event. */
const envelope = {
  /** UUIDv7, made by the worker: time-ordered and unique; the server skips an id it already has. */
  eventId: uuidSchema,
  cameraId: uuidSchema,
  /** The worker's own clock, UTC. */
  utcTimestamp: isoTimeSchema,
  localTime: localTimeSchema,
  /** Minutes east of UTC of the worker's zone at that instant (UTC+1 = 60). */
  timezoneOffset: z
    .number()
    .int()
    .min(-16 * 60)
    .max(16 * 60),
  /** The worker's estimate of (server clock - worker clock) in ms, from heartbeats. */
  driftOffset: z.number().int().min(-1e10).max(1e10),
  /** utcTimestamp + driftOffset: the order the server keeps (then lamport). */
  correctedUtc: isoTimeSchema,
  /** The worker's Lamport counter at the event. */
  lamport: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  modelId: idSchema,
  modelVersion: safeText().min(1).max(50),
};

const objectFields = {
  trackId: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  class: safeText().min(1).max(60),
  confidence: unit(),
};

export const detectionEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("track_start"), ...envelope, ...objectFields, box: normalisedBoxSchema }).strict(),
  z
    .object({
      type: z.literal("line_crossing"),
      ...envelope,
      ...objectFields,
      lineId: idSchema,
      direction: z.enum(crossingDirections),
    })
    .strict(),
  z.object({ type: z.literal("zone_enter"), ...envelope, ...objectFields, zoneId: idSchema }).strict(),
  z
    .object({
      type: z.literal("zone_exit"),
      ...envelope,
      ...objectFields,
      zoneId: idSchema,
      dwellMs: z
        .number()
        .int()
        .min(0)
        .max(30 * 86_400_000),
    })
    .strict(),
  z
    .object({
      type: z.literal("scene_warning"),
      ...envelope,
      /** The warning now in force; null = the scene recovered (the earlier warning cleared). */
      warning: z.enum(sceneWarnings).nullable(),
      /** Mean luma 0-255 and its standard deviation, over the frames that decided it. */
      brightness: z.number().min(0).max(255),
      contrast: z.number().min(0).max(255),
    })
    .strict(),
  // Issue 13 (docs/workstations.md): sent on a change of state and again every state duration while it holds, so
  // each event stands for one state duration (P2). Stored in the productivity tables, not in detection_events.
  z
    .object({
      type: z.literal("workstation_state"),
      ...envelope,
      zoneId: idSchema,
      workstationId: idSchema,
      workerId: idSchema,
      state: z.enum(workstationStates),
      /** The detector's confidence in the person (or in nobody being there) x the activity measure's. */
      confidence: unit(),
      /** Mean fraction of moved pixels in the person's box over the decision window (0 when absent). */
      activity: unit(),
      /** False on a change of state, true when the same state is re-affirmed after a state duration. */
      reaffirmed: z.boolean(),
    })
    .strict(),
  z
    .object({
      type: z.literal("workstation_output"),
      ...envelope,
      lineId: idSchema,
      workstationId: idSchema,
      workerId: idSchema,
      /** Objects that crossed the line "in" on this frame. */
      count: z.number().int().min(1).max(10_000),
      /** The lowest detector confidence among the counted objects. */
      confidence: unit(),
    })
    .strict(),
  // Issue 14: sent when a person track is first recognised as an enrolled person, and again when its identity changes
  // (never per frame). modelId/modelVersion name the face embedder.
  z
    .object({
      type: z.literal("face_recognised"),
      ...envelope,
      trackId: objectFields.trackId,
      personId: uuidSchema,
      /** Cosine similarity of the face to the person's best gallery embedding. */
      similarity: unit(),
      /** Best person's similarity minus the second-best person's (1 when the gallery has one person). */
      margin: unit(),
      /** The person's box (not the face's), normalised; no pixels (C6). */
      box: normalisedBoxSchema,
    })
    .strict(),
  // Issue 14: a person track whose face was classified and matched nobody (once per track, again after a change).
  z
    .object({
      type: z.literal("face_unknown"),
      ...envelope,
      trackId: objectFields.trackId,
      /** The best similarity found (null when the gallery is empty). */
      bestSimilarity: unit().nullable(),
      box: normalisedBoxSchema,
    })
    .strict(),
  // Issue 14: a person track that had a face classified ended; gives attendance its visible time.
  z
    .object({
      type: z.literal("face_track_end"),
      ...envelope,
      trackId: objectFields.trackId,
      /** The identity the track had last (null = unknown). */
      personId: uuidSchema.nullable(),
      /** When the track was first seen (worker clock corrected by drift, like correctedUtc). */
      firstSeen: isoTimeSchema,
      /** First seen to last seen, ms. */
      visibleMs: z
        .number()
        .int()
        .min(0)
        .max(30 * 86_400_000),
    })
    .strict(),
]);
export type DetectionEvent = z.infer<typeof detectionEventSchema>;

export const MAX_EVENTS_PER_BATCH = 500;

/**
 * T2: one batch, worker -> server ("v1:events"). Each event is parsed on its own: a malformed event is rejected by
 * index and the others are stored; all accepted events of a batch commit in one transaction before the ack.
 */
export const eventBatchSchema = z
  .object({
    batchId: uuidSchema,
    events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_BATCH),
  })
  .strict();
export type EventBatch = { batchId: string; events: DetectionEvent[] };

export const eventBatchReplySchema = z.object({
  batchId: uuidSchema,
  /** Newly stored. */
  stored: z.number().int().min(0),
  /** Already stored earlier (a replay): skipped, not an error. */
  duplicates: z.number().int().min(0),
  /** Events the server will never accept (malformed, or a camera outside the worker's tenant): do not resend. */
  rejected: z.array(z.object({ index: z.number().int().min(0), eventId: z.string().optional(), message: z.string() })),
});
export type EventBatchReply = z.infer<typeof eventBatchReplySchema>;

/** One tracked object as the live overlay draws it (C3). `known`: true = recognised (green), false = unknown (red),
 * absent = nothing to recognise (drawn in the class colour). */
export const liveObjectSchema = z
  .object({
    trackId: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
    class: z.string().min(1).max(60),
    confidence: z.number().min(0).max(1),
    box: normalisedBoxSchema,
    known: z.boolean().optional(),
    label: z.string().max(100).optional(),
  })
  .strict();
export type LiveObject = z.infer<typeof liveObjectSchema>;

/** Worker -> server ("v1:detections"), at most once per analysed frame; relayed to watching browsers, never stored
 * (C6: boxes and labels only, no pixels). */
export const liveDetectionsSchema = z
  .object({
    cameraId: uuidSchema,
    seq: z.number().int().min(0),
    /** Server-corrected time of the frame. */
    at: isoTimeSchema,
    objects: z.array(liveObjectSchema).max(300),
    /** W10: active = the detector runs at the analysis rate; idle = low rate until motion returns. */
    mode: z.enum(["active", "idle"]),
    warning: z.enum(sceneWarnings).nullable(),
    detectorMs: z.number().min(0).max(600_000).nullable(),
  })
  .strict();
export type LiveDetections = z.infer<typeof liveDetectionsSchema>;
