// Worker fleet and camera records (SPEC W1-W11, A1-A4, C1). The fleet manager (app/fleet) is the
// only writer of these tables; worker_status_history becomes a hypertable in its custom migration.
import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { sites, tenants, users } from "./auth";

/** browser: published over WebRTC (C2); rtsp: an IP camera the server ingests (C1); demo: a clip the server plays (O1). */
export const cameraKindEnum = pgEnum("camera_kind", ["browser", "rtsp", "demo"]);
export const assignmentStateEnum = pgEnum("assignment_state", ["pending", "active", "released", "failed"]);
export const commandStateEnum = pgEnum("command_state", ["queued", "sent", "acked", "failed", "timeout", "cancelled"]);

export const cameras = pgTable(
  "cameras",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    siteId: uuid("site_id").references(() => sites.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    kind: cameraKindEnum("kind").notNull(),
    rtspUrl: text("rtsp_url"),
    analysisFps: real("analysis_fps").notNull().default(5),
    enabled: boolean("enabled").notNull().default(true),
    /** Desired state: the camera should run on some worker (auto-assign, manual assign, failover retry). */
    wantAssigned: boolean("want_assigned").notNull().default(false),
    /** Why the camera is not running where wanted (no capacity, ack timeout...); null when fine. */
    assignmentNote: text("assignment_note"),
    /** D1, W10: detection settings (protocol/scene.ts detectionSettingsSchema); absent keys = protocol defaults. */
    detection: jsonb("detection").notNull().default({}),
    /** C5: counting lines and zones (protocol/scene.ts sceneSchema). */
    scene: jsonb("scene").notNull().default({ lines: [], zones: [] }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("cameras_tenant_name_key").on(t.tenantId, t.name), index("cameras_site_idx").on(t.siteId)],
);

/** W8: one credential per worker, stored as a SHA-256 hash; the secret is shown once. */
export const workerCredentials = pgTable(
  "worker_credentials",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    secretHash: text("secret_hash").notNull(),
    /** First characters of the secret, so people can tell credentials apart. */
    prefix: text("prefix").notNull(),
    /** A4, O1: issued by a platform admin (or the built-in local worker): its worker serves every tenant. */
    shared: boolean("shared").notNull().default(false),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("worker_credentials_hash_key").on(t.secretHash),
    index("worker_credentials_tenant_idx").on(t.tenantId),
  ],
);

export const workers = pgTable(
  "workers",
  {
    id: text("id").primaryKey(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    credentialId: uuid("credential_id").references(() => workerCredentials.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    host: text("host").notNull(),
    version: text("version").notNull(),
    capacity: integer("capacity").notNull(),
    /** Registered with a shared credential: takes any tenant's cameras; tenant_id is then the issuing tenant. */
    shared: boolean("shared").notNull().default(false),
    capabilities: jsonb("capabilities").$type<{ models: string[]; codecs: string[] }>().notNull(),
    status: text("status").notNull(),
    maintenance: boolean("maintenance").notNull().default(false),
    heartbeatMs: integer("heartbeat_ms").notNull(),
    /** Last heartbeat metrics (cpu, memory, per-camera fps/latency); flushed in batches. */
    metrics: jsonb("metrics").$type<Record<string, unknown>>(),
    registeredAt: timestamp("registered_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    driftMs: integer("drift_ms"),
  },
  (t) => [index("workers_tenant_idx").on(t.tenantId)],
);

/** Status transitions (W5, A2): a hypertable, retained like the audit trail. */
export const workerStatusHistory = pgTable(
  "worker_status_history",
  {
    time: timestamp("time", { withTimezone: true }).notNull().defaultNow(),
    tenantId: uuid("tenant_id").notNull(),
    workerId: text("worker_id").notNull(),
    status: text("status").notNull(),
    reason: text("reason"),
  },
  (t) => [index("worker_status_history_worker_time_idx").on(t.workerId, t.time)],
);

/** A2: heartbeat stats over time for the worker page's charts (one row per flushed heartbeat; a hypertable). */
export const workerMetricSamples = pgTable(
  "worker_metric_samples",
  {
    time: timestamp("time", { withTimezone: true }).notNull(),
    workerId: text("worker_id").notNull(),
    cpuPercent: real("cpu_percent"),
    memoryMb: real("memory_mb"),
    /** Mean analysed fps over its cameras; null when it reported none. */
    fps: real("fps"),
    latencyMs: real("latency_ms"),
  },
  (t) => [index("worker_metric_samples_worker_time_idx").on(t.workerId, t.time)],
);

export const cameraAssignments = pgTable(
  "camera_assignments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    cameraId: uuid("camera_id")
      .notNull()
      .references(() => cameras.id, { onDelete: "cascade" }),
    workerId: text("worker_id")
      .notNull()
      .references(() => workers.id, { onDelete: "cascade" }),
    state: assignmentStateEnum("state").notNull().default("pending"),
    /** Why it was created or ended: manual, round-robin, auto, failover, released, worker-offline... */
    reason: text("reason").notNull(),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    activatedAt: timestamp("activated_at", { withTimezone: true }),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [
    // At most one current (pending or active) assignment per camera: no double processing (W11).
    uniqueIndex("camera_assignments_current_key")
      .on(t.cameraId)
      .where(sql`state in ('pending', 'active')`),
    index("camera_assignments_worker_idx").on(t.workerId, t.state),
  ],
);

/** W6: commands with priority, acknowledgement, timeout and retry. */
export const workerCommands = pgTable(
  "worker_commands",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    workerId: text("worker_id")
      .notNull()
      .references(() => workers.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    priority: integer("priority").notNull().default(0),
    state: commandStateEnum("state").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(3),
    timeoutMs: integer("timeout_ms").notNull(),
    assignmentId: uuid("assignment_id"),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    ackedAt: timestamp("acked_at", { withTimezone: true }),
  },
  (t) => [index("worker_commands_worker_idx").on(t.workerId, t.createdAt)],
);

/** Server-wide secrets shared by every app instance (the worker-token signing key). */
export const serverSecrets = pgTable("server_secrets", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
