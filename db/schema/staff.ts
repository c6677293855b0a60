// Staff directory and face recognition (SPEC S1, D6, C6; issue 14, docs/staff.md). People of a tenant, their
// enrolment images (kept ONLY for enrolment: shown on the staff pages to admins/operators, deletable) with the face
// found and its embedding, the tenant's face settings (recognition OFF until an admin turns it on), and the face
// events workers send. face_events becomes a hypertable in the same migration (0016); person_id has no foreign key
// there (hypertable), so deleting a person deletes their events explicitly, in the same transaction.
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { sites, tenants, users } from "./auth";

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

export const staffPeople = pgTable(
  "staff_people",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** Optional; unique within the tenant when given. */
    employeeNumber: text("employee_number"),
    siteId: uuid("site_id").references(() => sites.id, { onDelete: "set null" }),
    /** Inactive people stay in the directory but are not in the gallery (not recognised). */
    active: boolean("active").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("staff_people_employee_number_key").on(t.tenantId, t.employeeNumber),
    index("staff_people_tenant_name_idx").on(t.tenantId, t.name),
  ],
);
export type StaffPersonRow = typeof staffPeople.$inferSelect;

export interface FaceQualityRecord {
  sizePx: number;
  sharpness: number;
  frontal: number;
}

export const staffFaceImages = pgTable(
  "staff_face_images",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    personId: uuid("person_id")
      .notNull()
      .references(() => staffPeople.id, { onDelete: "cascade" }),
    /** The uploaded file as sent (enrolment only, C6): never a camera frame or a crop. */
    image: bytea("image").notNull(),
    mime: text("mime").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    /** The face found, in the image's pixels [x1, y1, x2, y2]. */
    faceBox: real("face_box").array().notNull(),
    faceScore: real("face_score").notNull(),
    quality: jsonb("quality").$type<FaceQualityRecord>().notNull(),
    /** Little-endian float32, L2-normalised (the wire form's bytes, protocol/faces.ts). */
    embedding: bytea("embedding").notNull(),
    embedderId: text("embedder_id").notNull(),
    embedderVersion: text("embedder_version").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("staff_face_images_person_idx").on(t.personId, t.createdAt),
    index("staff_face_images_tenant_idx").on(t.tenantId),
  ],
);
export type StaffFaceImageRow = typeof staffFaceImages.$inferSelect;

/** One row per tenant that ever changed a face setting; no row = the defaults, recognition off. */
export const faceSettings = pgTable("face_settings", {
  tenantId: uuid("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  enabled: boolean("enabled").notNull().default(false),
  threshold: real("threshold").notNull(),
  margin: real("margin").notNull(),
  minFacePx: integer("min_face_px").notNull(),
  reclassifySeconds: real("reclassify_seconds").notNull(),
  /** Face events older than this are deleted (shorter than detection events by default). */
  eventRetentionDays: integer("event_retention_days").notNull().default(30),
  /** IANA zone whose days the attendance report counts in. */
  timezone: text("timezone").notNull().default("UTC"),
  /** Bumped on every gallery, switch or settings change; workers ignore an older gallery. */
  galleryRevision: bigint("gallery_revision", { mode: "number" }).notNull().default(0),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
export type FaceSettingsRow = typeof faceSettings.$inferSelect;

export const faceEventTypes = ["face_recognised", "face_unknown", "face_track_end"] as const;

/** Face events from workers (T1 envelope kept for audit); idempotent on (event_id, corrected_utc). */
export const faceEvents = pgTable(
  "face_events",
  {
    eventId: uuid("event_id").notNull(),
    tenantId: uuid("tenant_id").notNull(),
    cameraId: uuid("camera_id").notNull(),
    workerId: text("worker_id").notNull(),
    type: text("type", { enum: faceEventTypes }).notNull(),
    trackId: integer("track_id").notNull(),
    /** recognised: the person; track_end: the last identity (null = unknown); unknown: null. */
    personId: uuid("person_id"),
    similarity: real("similarity"),
    margin: real("margin"),
    box: real("box").array(),
    /** track_end: when the track was first seen and for how long. */
    firstSeen: timestamp("first_seen", { withTimezone: true, precision: 3 }),
    visibleMs: bigint("visible_ms", { mode: "number" }),
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
    uniqueIndex("face_events_event_key").on(t.eventId, t.correctedUtc),
    index("face_events_person_time_idx")
      .on(t.tenantId, t.personId, t.correctedUtc)
      .where(sql`${t.personId} IS NOT NULL`),
  ],
);
export type FaceEventRow = typeof faceEvents.$inferSelect;
