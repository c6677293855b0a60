// The fleet's database access (only the fleet manager and its dispatcher call these).
import { and, desc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import {
  cameraAssignments,
  cameras,
  workerCommands,
  workerMetricSamples,
  workers,
  workerStatusHistory,
} from "../../db/schema";
import type { WorkerStatus } from "../../protocol";
import type { AssignmentView, CommandView, MetricSampleView, StatusChangeView } from "./views";

export type WorkerRow = typeof workers.$inferSelect;
export type AssignmentRow = typeof cameraAssignments.$inferSelect;
export type CommandRow = typeof workerCommands.$inferSelect;

export function loadWorkers(db: Db): Promise<WorkerRow[]> {
  return db.select().from(workers);
}

export function loadCurrentAssignments(db: Db): Promise<AssignmentRow[]> {
  return db
    .select()
    .from(cameraAssignments)
    .where(inArray(cameraAssignments.state, ["pending", "active"]));
}

export async function upsertWorker(db: Db, row: typeof workers.$inferInsert): Promise<WorkerRow> {
  const { id: _id, registeredAt: _r, maintenance: _m, ...update } = row;
  const [saved] = await db
    .insert(workers)
    .values(row)
    .onConflictDoUpdate({ target: workers.id, set: update })
    .returning();
  return saved;
}

export async function recordStatus(
  db: Db,
  input: { tenantId: string; workerId: string; status: WorkerStatus; reason: string; maintenance?: boolean },
): Promise<void> {
  const set: Partial<WorkerRow> = { status: input.status };
  if (input.maintenance !== undefined) set.maintenance = input.maintenance;
  await db.update(workers).set(set).where(eq(workers.id, input.workerId));
  await db
    .insert(workerStatusHistory)
    .values({ tenantId: input.tenantId, workerId: input.workerId, status: input.status, reason: input.reason });
}

/** One statement for every worker whose heartbeat changed since the last flush (keeps heartbeats off the DB path). */
export async function flushSeen(
  db: Db,
  rows: Array<{ id: string; seen: string; metrics: Record<string, unknown>; driftMs: number | null }>,
): Promise<void> {
  if (rows.length === 0) return;
  await db.execute(sql`UPDATE workers AS w SET last_seen_at = v.seen, metrics = v.metrics, drift_ms = v.drift_ms
    FROM jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ ...r, drift_ms: r.driftMs })))}::jsonb) AS v(id text, seen timestamptz, metrics jsonb, drift_ms integer)
    WHERE w.id = v.id`);
}

export async function insertAssignment(
  db: Db,
  values: { tenantId: string; cameraId: string; workerId: string; reason: string },
): Promise<AssignmentRow> {
  const [row] = await db.insert(cameraAssignments).values(values).returning();
  return row;
}

export async function endAssignments(
  db: Db,
  ids: string[],
  state: "released" | "failed",
  reason: string,
  error: string | null = null,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(cameraAssignments)
    .set({ state, reason, error, endedAt: new Date() })
    .where(inArray(cameraAssignments.id, ids));
}

export async function activateAssignments(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(cameraAssignments)
    .set({ state: "active", activatedAt: new Date(), error: null })
    .where(and(inArray(cameraAssignments.id, ids), eq(cameraAssignments.state, "pending")));
}

export async function setCameraWanted(
  db: Db,
  cameraId: string,
  wanted: boolean | undefined,
  note: string | null,
): Promise<void> {
  const set: { assignmentNote: string | null; wantAssigned?: boolean; updatedAt: Date } = {
    assignmentNote: note,
    updatedAt: new Date(),
  };
  if (wanted !== undefined) set.wantAssigned = wanted;
  await db.update(cameras).set(set).where(eq(cameras.id, cameraId));
}

export function wantedCameras(db: Db, tenantId: string) {
  return db
    .select({ id: cameras.id, name: cameras.name, analysisFps: cameras.analysisFps, note: cameras.assignmentNote })
    .from(cameras)
    .where(and(eq(cameras.tenantId, tenantId), eq(cameras.wantAssigned, true), eq(cameras.enabled, true)))
    .orderBy(cameras.createdAt);
}

export async function tenantsWithWantedCameras(db: Db): Promise<string[]> {
  const rows = await db
    .selectDistinct({ tenantId: cameras.tenantId })
    .from(cameras)
    .where(and(eq(cameras.wantAssigned, true), eq(cameras.enabled, true)));
  return rows.map((r) => r.tenantId);
}

export async function deleteStaleWorkers(db: Db, olderThan: Date): Promise<string[]> {
  const rows = await db
    .delete(workers)
    .where(and(eq(workers.status, "OFFLINE"), lt(workers.lastSeenAt, olderThan)))
    .returning({ id: workers.id });
  return rows.map((r) => r.id);
}

export async function listAssignments(
  db: Db,
  tenantId: string,
  filter: { workerId?: string; cameraId?: string },
  limit = 30,
): Promise<AssignmentView[]> {
  const conditions = [eq(cameraAssignments.tenantId, tenantId)];
  if (filter.workerId) conditions.push(eq(cameraAssignments.workerId, filter.workerId));
  if (filter.cameraId) conditions.push(eq(cameraAssignments.cameraId, filter.cameraId));
  const rows = await db
    .select({ a: cameraAssignments, cameraName: cameras.name, workerName: workers.name })
    .from(cameraAssignments)
    .innerJoin(cameras, eq(cameras.id, cameraAssignments.cameraId))
    .innerJoin(workers, eq(workers.id, cameraAssignments.workerId))
    .where(and(...conditions))
    .orderBy(desc(cameraAssignments.createdAt))
    .limit(limit);
  return rows.map((r) => toAssignmentView(r.a, r.cameraName, r.workerName));
}

export function toAssignmentView(a: AssignmentRow, cameraName: string, workerName: string): AssignmentView {
  return {
    id: a.id,
    cameraId: a.cameraId,
    cameraName,
    workerId: a.workerId,
    workerName,
    state: a.state,
    reason: a.reason,
    error: a.error,
    createdAt: a.createdAt.toISOString(),
    activatedAt: a.activatedAt?.toISOString() ?? null,
    endedAt: a.endedAt?.toISOString() ?? null,
  };
}

export async function listCommands(db: Db, tenantId: string, workerId: string, limit = 50): Promise<CommandView[]> {
  const rows = await db
    .select()
    .from(workerCommands)
    .where(and(eq(workerCommands.tenantId, tenantId), eq(workerCommands.workerId, workerId)))
    .orderBy(desc(workerCommands.createdAt))
    .limit(limit);
  return rows.map(toCommandView);
}

export function toCommandView(c: CommandRow): CommandView {
  return {
    id: c.id,
    workerId: c.workerId,
    type: c.type as CommandView["type"],
    payload: c.payload,
    priority: c.priority,
    state: c.state,
    attempts: c.attempts,
    maxAttempts: c.maxAttempts,
    error: c.error,
    createdAt: c.createdAt.toISOString(),
    sentAt: c.sentAt?.toISOString() ?? null,
    ackedAt: c.ackedAt?.toISOString() ?? null,
  };
}

export async function listStatusHistory(
  db: Db,
  tenantId: string,
  workerId: string,
  limit = 50,
): Promise<StatusChangeView[]> {
  const rows = await db
    .select()
    .from(workerStatusHistory)
    .where(and(eq(workerStatusHistory.tenantId, tenantId), eq(workerStatusHistory.workerId, workerId)))
    .orderBy(desc(workerStatusHistory.time))
    .limit(limit);
  return rows.map((r) => ({ time: r.time.toISOString(), status: r.status, reason: r.reason }));
}

export async function purgeStatusHistory(db: Db, olderThan: Date): Promise<void> {
  await db.delete(workerStatusHistory).where(lt(workerStatusHistory.time, olderThan));
}

/** A2: one sample per flushed heartbeat, written in the same flush as last_seen (one statement). */
export async function insertMetricSamples(
  db: Db,
  rows: Array<{
    time: string;
    workerId: string;
    cpuPercent: number | null;
    memoryMb: number | null;
    fps: number | null;
    latencyMs: number | null;
  }>,
): Promise<void> {
  if (rows.length === 0) return;
  await db.execute(sql`INSERT INTO worker_metric_samples (time, worker_id, cpu_percent, memory_mb, fps, latency_ms)
    SELECT v.time, v.worker_id, v.cpu, v.mem, v.fps, v.latency
    FROM jsonb_to_recordset(${JSON.stringify(
      rows.map((r) => ({
        time: r.time,
        worker_id: r.workerId,
        cpu: r.cpuPercent,
        mem: r.memoryMb,
        fps: r.fps,
        latency: r.latencyMs,
      })),
    )}::jsonb) AS v(time timestamptz, worker_id text, cpu real, mem real, fps real, latency real)`);
}

export async function listMetricSamples(db: Db, workerId: string, since: Date): Promise<MetricSampleView[]> {
  const rows = await db
    .select()
    .from(workerMetricSamples)
    .where(and(eq(workerMetricSamples.workerId, workerId), gte(workerMetricSamples.time, since)))
    .orderBy(workerMetricSamples.time)
    .limit(2000);
  return rows.map((r) => ({
    time: r.time.getTime(),
    cpuPercent: r.cpuPercent,
    memoryMb: r.memoryMb,
    fps: r.fps,
    latencyMs: r.latencyMs,
  }));
}

export async function purgeMetricSamples(db: Db, olderThan: Date): Promise<void> {
  await db.delete(workerMetricSamples).where(lt(workerMetricSamples.time, olderThan));
}
