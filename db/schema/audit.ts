// Audit trail: the first hypertable, and the reference pattern for every later time series (SPEC T3, O3).
// The hypertable and its continuous aggregates are created by a hand-written migration
// (db/migrations/0001_audit_hypertable.sql); drizzle only knows their shapes so queries are typed.
import { bigint, index, jsonb, pgTable, pgView, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const auditEvents = pgTable(
  "audit_events",
  {
    time: timestamp("time", { withTimezone: true }).notNull().defaultNow(),
    tenantId: uuid("tenant_id"),
    userId: uuid("user_id"),
    action: text("action").notNull(),
    ip: text("ip"),
    details: jsonb("details").$type<Record<string, unknown>>(),
  },
  (t) => [index("audit_events_tenant_time_idx").on(t.tenantId, t.time)],
);

const activityColumns = {
  bucket: timestamp("bucket", { withTimezone: true }).notNull(),
  tenantId: uuid("tenant_id"),
  action: text("action").notNull(),
  events: bigint("events", { mode: "number" }).notNull(),
};

/** Per-minute counts (continuous aggregate over audit_events). */
export const auditActivity1m = pgView("audit_activity_1m", activityColumns).existing();
/** Per-hour counts (hierarchical continuous aggregate over audit_activity_1m). */
export const auditActivity1h = pgView("audit_activity_1h", activityColumns).existing();
