// Detection events and models (SPEC D1, D3, D5, T1-T3). detection_events becomes a hypertable on corrected_utc
// and gets per-minute (and hourly) continuous aggregates of counts in the custom migration that follows the
// generated one (the audit/productivity pattern); drizzle only knows their shapes so queries are typed.
// Cameras carry their analysis settings (jsonb `detection` and `scene`, in db/schema/fleet.ts).
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  pgView,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { detectionEventTypes } from "../../protocol/events";
import { tenants } from "./auth";

export const detectionEventTypeEnum = pgEnum("detection_event_type", detectionEventTypes);

/**
 * One row per event a worker emitted (on state changes only). Idempotency: (event_id, corrected_utc) is unique;
 * corrected_utc is computed by the worker once and replayed unchanged, so a replay hits ON CONFLICT DO NOTHING.
 * All T1 raw time fields are kept for audit; the server orders by corrected_utc, then lamport.
 */
export const detectionEvents = pgTable(
  "detection_events",
  {
    eventId: uuid("event_id").notNull(),
    tenantId: uuid("tenant_id").notNull(),
    cameraId: uuid("camera_id").notNull(),
    workerId: text("worker_id").notNull(),
    type: detectionEventTypeEnum("type").notNull(),
    class: text("class"),
    trackId: integer("track_id"),
    confidence: real("confidence"),
    lineId: text("line_id"),
    zoneId: text("zone_id"),
    direction: text("direction", { enum: ["in", "out"] }),
    dwellMs: bigint("dwell_ms", { mode: "number" }),
    warning: text("warning"),
    /** track_start: [x1, y1, x2, y2] normalised to the frame. */
    box: real("box").array(),
    /** scene_warning: { brightness, contrast }. */
    details: jsonb("details"),
    modelId: text("model_id").notNull(),
    modelVersion: text("model_version").notNull(),
    utcTimestamp: timestamp("utc_timestamp", { withTimezone: true, precision: 3 }).notNull(),
    localTime: text("local_time").notNull(),
    timezoneOffset: integer("timezone_offset").notNull(),
    driftOffset: bigint("drift_offset", { mode: "number" }).notNull(),
    correctedUtc: timestamp("corrected_utc", { withTimezone: true, precision: 3 }).notNull(),
    lamport: bigint("lamport", { mode: "number" }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("detection_events_event_key").on(t.eventId, t.correctedUtc),
    index("detection_events_camera_time_idx").on(t.tenantId, t.cameraId, t.correctedUtc, t.lamport),
  ],
);
export type DetectionEventRow = typeof detectionEvents.$inferSelect;

const countColumns = {
  bucket: timestamp("bucket", { withTimezone: true }).notNull(),
  tenantId: uuid("tenant_id").notNull(),
  cameraId: uuid("camera_id").notNull(),
  type: detectionEventTypeEnum("type").notNull(),
  lineId: text("line_id"),
  zoneId: text("zone_id"),
  class: text("class"),
  direction: text("direction", { enum: ["in", "out"] }),
  events: bigint("events", { mode: "number" }).notNull(),
  /** zone_exit: summed dwell (ms) of the objects that left. */
  dwellMsSum: bigint("dwell_ms_sum", { mode: "number" }),
};

/** Per-minute counts of line crossings and zone enters/exits (continuous aggregate, real-time). */
export const detectionCounts1m = pgView("detection_counts_1m", countColumns).existing();
/** Hourly counts (hierarchical continuous aggregate over detection_counts_1m) for long ranges. */
export const detectionCounts1h = pgView("detection_counts_1h", countColumns).existing();

/**
 * D1: the model registry. Built-ins are registered from the setup cache at server start (tenant_id null,
 * builtin true); platform admins upload shared models (tenant_id null), tenant admins their own.
 */
export const detectionModels = pgTable(
  "detection_models",
  {
    id: text("id").notNull(),
    version: text("version").notNull(),
    tenantId: uuid("tenant_id").references(() => tenants.id, { onDelete: "cascade" }),
    format: text("format", { enum: ["centernet", "nanodet", "yolo"] }).notNull(),
    sha256: text("sha256").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    inputWidth: integer("input_width").notNull(),
    inputHeight: integer("input_height").notNull(),
    classes: jsonb("classes").$type<string[]>().notNull(),
    licence: text("licence"),
    source: text("source"),
    builtin: boolean("builtin").notNull().default(false),
    /** Absolute path of the ONNX file on the server (DATA_DIR/models/<sha256>.onnx or the setup cache). */
    filePath: text("file_path").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.id, t.version] }),
    index("detection_models_tenant_idx").on(t.tenantId),
    index("detection_models_created_idx").on(t.id, sql`${t.createdAt} DESC`),
  ],
);
export type DetectionModelRow = typeof detectionModels.$inferSelect;
