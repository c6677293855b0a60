// Audit trail writes and reads (the audit_events hypertable and its continuous aggregates).
import { and, desc, eq, gte, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { auditActivity1h, auditEvents } from "../../db/schema";
import { singleton } from "../utils/singleton.server";

export type AuditEvent = typeof auditEvents.$inferSelect;
type AuditListener = (event: AuditEvent) => void;

// The realtime hub subscribes here, so models need no socket.io import.
const listeners = singleton("audit-listeners", () => new Set<AuditListener>());
export function onAudit(listener: AuditListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function recordAudit(
  db: Db,
  input: {
    tenantId?: string | null;
    userId?: string | null;
    action: string;
    ip?: string | null;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  const [row] = await db
    .insert(auditEvents)
    .values({
      tenantId: input.tenantId ?? null,
      userId: input.userId ?? null,
      action: input.action,
      ip: input.ip ?? null,
      details: input.details ?? null,
    })
    .returning();
  for (const listener of listeners) listener(row);
}

export function listRecentAudit(db: Db, tenantId: string, limit = 20): Promise<AuditEvent[]> {
  return db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.tenantId, tenantId))
    .orderBy(desc(auditEvents.time))
    .limit(limit);
}

export interface ActivityBucket {
  bucket: string;
  events: number;
}

/** Hourly event counts for the last `hours`, read from the hierarchical continuous aggregate. */
export async function hourlyActivity(db: Db, tenantId: string, hours = 24): Promise<ActivityBucket[]> {
  const since = new Date(Date.now() - hours * 3600_000);
  const rows = await db
    .select({ bucket: auditActivity1h.bucket, events: sql<number>`sum(${auditActivity1h.events})::int` })
    .from(auditActivity1h)
    .where(and(eq(auditActivity1h.tenantId, tenantId), gte(auditActivity1h.bucket, since)))
    .groupBy(auditActivity1h.bucket)
    .orderBy(auditActivity1h.bucket);
  return rows.map((r) => ({ bucket: new Date(r.bucket).toISOString(), events: Number(r.events) }));
}
