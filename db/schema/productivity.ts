// Factory productivity (SPEC P1-P6): people and workstations, tenant API keys, per-tenant settings,
// the productivity_events hypertable with hourly -> daily continuous aggregates, and drift alerts.
// The hypertable and aggregates are created by db/migrations/0003_productivity_hypertable.sql,
// following the audit pattern (0001); drizzle only knows their shapes so queries are typed.
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  pgEnum,
  pgTable,
  pgView,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { tenants, users } from "./auth";

export const productivityEventTypes = ["working", "idle", "absent", "product_count"] as const;
export const productivityEventTypeEnum = pgEnum("productivity_event_type", productivityEventTypes);
export type ProductivityEventType = (typeof productivityEventTypes)[number];

/** One row per tenant once anything is configured; absent rows mean defaults. */
export const productivitySettings = pgTable("productivity_settings", {
  tenantId: uuid("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  /** How long each working/idle/absent event counts for (SPEC P2, default 5 min). */
  stateDurationSeconds: integer("state_duration_seconds").notNull().default(300),
  /** Unknown worker/workstation ids in events create them instead of failing. */
  autoCreateEntities: boolean("auto_create_entities").notNull().default(false),
  driftConfidenceThreshold: real("drift_confidence_threshold").notNull().default(0.6),
  driftKlThreshold: real("drift_kl_threshold").notNull().default(0.5),
  driftWindowMinutes: integer("drift_window_minutes").notNull().default(60),
  driftBaselineHours: integer("drift_baseline_hours").notNull().default(24),
  driftMinEvents: integer("drift_min_events").notNull().default(20),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const factoryWorkers = pgTable(
  "factory_workers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** The id CV systems send as `worker_id`, e.g. "W1". */
    externalId: text("external_id").notNull(),
    name: text("name").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("factory_workers_tenant_external_key").on(t.tenantId, t.externalId)],
);

export const factoryWorkstations = pgTable(
  "factory_workstations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** The id CV systems send as `workstation_id`, e.g. "S1". */
    externalId: text("external_id").notNull(),
    name: text("name").notNull(),
    stationType: text("station_type").notNull().default("assembly"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("factory_workstations_tenant_external_key").on(t.tenantId, t.externalId)],
);

/** Tenant API keys for ingestion: only the SHA-256 of the key is stored; the key is shown once. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** First characters of the key, so people can tell keys apart. */
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("api_keys_hash_key").on(t.keyHash), index("api_keys_tenant_idx").on(t.tenantId)],
);

/** Hypertable on `time`. The dedupe key includes tenant_id and the time column (TimescaleDB requires it). */
export const productivityEvents = pgTable(
  "productivity_events",
  {
    time: timestamp("time", { withTimezone: true }).notNull(),
    tenantId: uuid("tenant_id").notNull(),
    workerId: text("worker_id").notNull(),
    workstationId: text("workstation_id").notNull(),
    eventType: productivityEventTypeEnum("event_type").notNull(),
    confidence: real("confidence").notNull(),
    /** Units for product_count; 0 for state events. */
    count: integer("count").notNull().default(0),
    modelId: text("model_id"),
    modelVersion: text("model_version"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    /** Issue 13: where the event came from: "api" (REST ingestion), "camera" (a worker's workstation zone), "device"
     * (on-device analysis in a browser). */
    source: text("source").notNull().default("api"),
    /** For camera events, the camera id and zone id ("<camera id>/<zone id>"); null otherwise. */
    sourceRef: text("source_ref"),
  },
  (t) => [
    uniqueIndex("productivity_events_dedupe_key").on(t.tenantId, t.workerId, t.workstationId, t.eventType, t.time),
    index("productivity_events_tenant_time_idx").on(t.tenantId, t.time),
  ],
);

const rollupColumns = {
  bucket: timestamp("bucket", { withTimezone: true }).notNull(),
  tenantId: uuid("tenant_id").notNull(),
  workerId: text("worker_id").notNull(),
  workstationId: text("workstation_id").notNull(),
  eventType: productivityEventTypeEnum("event_type").notNull(),
  modelId: text("model_id"),
  modelVersion: text("model_version"),
  events: bigint("events", { mode: "number" }).notNull(),
  confidenceSum: doublePrecision("confidence_sum").notNull(),
  units: bigint("units", { mode: "number" }).notNull(),
};

/** Hourly rollup (continuous aggregate over productivity_events). */
export const productivityEvents1h = pgView("productivity_events_1h", rollupColumns).existing();
/** Daily rollup (hierarchical continuous aggregate over productivity_events_1h). */
export const productivityEvents1d = pgView("productivity_events_1d", rollupColumns).existing();

export const alertKinds = ["low_confidence", "distribution_drift"] as const;
export type AlertKind = (typeof alertKinds)[number];

/** Model drift alerts (SPEC P5). One open row per (tenant, kind, model) while the condition lasts. */
export const productivityAlerts = pgTable(
  "productivity_alerts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: alertKinds }).notNull(),
    /** `model_id@model_version` ("@" for events without a model). */
    modelKey: text("model_key").notNull(),
    message: text("message").notNull(),
    value: doublePrecision("value").notNull(),
    threshold: doublePrecision("threshold").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    windowEnd: timestamp("window_end", { withTimezone: true }).notNull(),
    raisedAt: timestamp("raised_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true }),
    acknowledgedBy: uuid("acknowledged_by").references(() => users.id, { onDelete: "set null" }),
    /** Set when a later check finds the condition gone; a new alert may be raised after that. */
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("productivity_alerts_open_key")
      .on(t.tenantId, t.kind, t.modelKey)
      .where(sql`resolved_at IS NULL`),
    index("productivity_alerts_tenant_raised_idx").on(t.tenantId, t.raisedAt),
  ],
);
