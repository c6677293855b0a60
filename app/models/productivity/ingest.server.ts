// Event ingestion (SPEC P1): validate each event on its own, check its worker/workstation ids, then
// store the good ones in one set-based INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING.
// A bad event never rejects the good ones beside it; duplicates are skipped and counted.
import { and, eq, sql } from "drizzle-orm";
import { productivityEvents } from "../../../db/schema";
import { singleton } from "../../utils/singleton.server";
import { noteStoredSpan } from "./aggregates.server";
import { ensureEntities, findKnownIds } from "./entities.server";
import { eventInputSchema, type BatchResult, type EventInput, type StoredEvent } from "./schemas";
import type { ProductivityScope } from "./scope";
import { getSettings } from "./settings.server";

export interface IngestOutcome extends BatchResult {
  stored: StoredEvent[];
}

export interface StoredSummary {
  tenantId: string;
  stored: number;
  latest: string | null;
}
type IngestListener = (summary: StoredSummary) => void;
// The realtime hub subscribes here (like audit.server.ts), so models need no socket.io import.
const listeners = singleton("productivity-ingest-listeners", () => new Set<IngestListener>());
export function onEventsStored(listener: IngestListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
export function notifyEventsStored(summary: StoredSummary): void {
  for (const listener of listeners) listener(summary);
}

export function describeIssues(error: { issues: Array<{ path: PropertyKey[]; message: string }> }): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join(".")} ${i.message}` : i.message)).join("; ");
}

interface StoredRow {
  time: string | Date;
  worker_id: string;
  workstation_id: string;
  event_type: StoredEvent["event_type"];
  confidence: number;
  count: number;
  model_id: string | null;
  model_version: string | null;
  received_at: string | Date;
}

const iso = (v: string | Date) => new Date(v).toISOString();
const toStored = (r: StoredRow, duplicate = false): StoredEvent => ({
  timestamp: iso(r.time),
  worker_id: r.worker_id,
  workstation_id: r.workstation_id,
  event_type: r.event_type,
  confidence: Number(r.confidence),
  count: Number(r.count),
  model_id: r.model_id,
  model_version: r.model_version,
  received_at: iso(r.received_at),
  duplicate,
});

/**
 * Validates, checks entities and stores `raw`. `returnStored` returns the stored rows (the single
 * endpoint); batches only need counts, and skipping the full RETURNING halves the insert's cost.
 */
export async function ingestEvents(
  scope: ProductivityScope,
  raw: unknown[],
  options: { returnStored?: boolean } = {},
): Promise<IngestOutcome> {
  const errors: BatchResult["errors"] = [];
  let valid: Array<{ index: number; event: EventInput }> = [];
  raw.forEach((item, index) => {
    const parsed = eventInputSchema.safeParse(item);
    if (parsed.success) valid.push({ index, event: parsed.data });
    else errors.push({ index, message: describeIssues(parsed.error) });
  });

  if (valid.length) valid = await checkEntities(scope, valid, errors);
  const inserted = valid.length
    ? await insertEvents(
        scope,
        valid.map((v) => v.event),
        options.returnStored ?? false,
      )
    : { count: 0, min: null, max: null, rows: [] };
  errors.sort((a, b) => a.index - b.index);
  if (inserted.count && inserted.min && inserted.max) {
    await noteStoredSpan(scope.db, inserted.min, inserted.max);
    notifyEventsStored({ tenantId: scope.tenantId, stored: inserted.count, latest: inserted.max.toISOString() });
  }
  return {
    total_received: raw.length,
    successfully_stored: inserted.count,
    duplicates_skipped: valid.length - inserted.count,
    errors,
    stored: inserted.rows,
  };
}

async function checkEntities(
  scope: ProductivityScope,
  valid: Array<{ index: number; event: EventInput }>,
  errors: BatchResult["errors"],
): Promise<Array<{ index: number; event: EventInput }>> {
  const workerIds = [...new Set(valid.map((v) => v.event.worker_id))];
  const stationIds = [...new Set(valid.map((v) => v.event.workstation_id))];
  let known = await findKnownIds(scope, workerIds, stationIds);
  const missingWorkers = workerIds.filter((id) => !known.workers.has(id));
  const missingStations = stationIds.filter((id) => !known.stations.has(id));
  if (!missingWorkers.length && !missingStations.length) return valid;
  const settings = await getSettings(scope);
  if (settings.auto_create_entities) {
    await ensureEntities(scope, missingWorkers, missingStations);
    return valid;
  }
  known = { workers: new Set([...known.workers]), stations: new Set([...known.stations]) };
  return valid.filter(({ index, event }) => {
    const problems = [];
    if (!known.workers.has(event.worker_id)) problems.push(`unknown worker_id "${event.worker_id}"`);
    if (!known.stations.has(event.workstation_id)) problems.push(`unknown workstation_id "${event.workstation_id}"`);
    if (!problems.length) return true;
    errors.push({
      index,
      message: `${problems.join(" and ")}: create it first or enable auto-create in productivity settings`,
    });
    return false;
  });
}

interface Inserted {
  count: number;
  min: Date | null;
  max: Date | null;
  rows: StoredEvent[];
}

/** One statement for the whole batch; RETURNING gives exactly the rows that were new. */
async function insertEvents(scope: ProductivityScope, events: EventInput[], returnRows: boolean): Promise<Inserted> {
  const col = (pick: (e: EventInput) => string | number | null) => pgArrayLiteral(events.map(pick));
  const insert = sql`
    INSERT INTO productivity_events (time, tenant_id, worker_id, workstation_id, event_type, confidence, count, model_id, model_version)
    SELECT u.t, ${scope.tenantId}::uuid, u.w, u.s, u.e::productivity_event_type, u.c, u.n, u.m, u.v
    FROM unnest(
      ${col((e) => e.timestamp)}::timestamptz[], ${col((e) => e.worker_id)}::text[], ${col((e) => e.workstation_id)}::text[],
      ${col((e) => e.event_type)}::text[], ${col((e) => e.confidence)}::real[],
      ${col((e) => (e.event_type === "product_count" ? (e.count ?? 0) : 0))}::int[],
      ${col((e) => e.model_id ?? null)}::text[], ${col((e) => e.model_version ?? null)}::text[]
    ) AS u(t, w, s, e, c, n, m, v)
    ON CONFLICT DO NOTHING`;
  if (returnRows) {
    const rows = rowsOf<StoredRow>(
      await scope.db.execute(
        sql`${insert} RETURNING time, worker_id, workstation_id, event_type, confidence, count, model_id, model_version, received_at`,
      ),
    ).map((r) => toStored(r));
    const times = rows.map((r) => Date.parse(r.timestamp));
    return {
      count: rows.length,
      min: rows.length ? new Date(Math.min(...times)) : null,
      max: rows.length ? new Date(Math.max(...times)) : null,
      rows,
    };
  }
  const [summary] = rowsOf<{ n: number; min: string | Date | null; max: string | Date | null }>(
    await scope.db.execute(
      sql`WITH ins AS (${insert} RETURNING time) SELECT count(*)::int AS n, min(time) AS min, max(time) AS max FROM ins`,
    ),
  );
  return {
    count: Number(summary.n),
    min: summary.min ? new Date(summary.min) : null,
    max: summary.max ? new Date(summary.max) : null,
    rows: [],
  };
}

/** The already-stored event a duplicate collided with (for the single-event endpoint). */
export async function findStoredEvent(scope: ProductivityScope, event: EventInput): Promise<StoredEvent | null> {
  const [row] = await scope.db
    .select()
    .from(productivityEvents)
    .where(
      and(
        eq(productivityEvents.tenantId, scope.tenantId),
        eq(productivityEvents.workerId, event.worker_id),
        eq(productivityEvents.workstationId, event.workstation_id),
        eq(productivityEvents.eventType, event.event_type),
        eq(productivityEvents.time, sql`${event.timestamp}::timestamptz`),
      ),
    );
  if (!row) return null;
  return toStored(
    {
      time: row.time,
      worker_id: row.workerId,
      workstation_id: row.workstationId,
      event_type: row.eventType,
      confidence: row.confidence,
      count: row.count,
      model_id: row.modelId,
      model_version: row.modelVersion,
      received_at: row.receivedAt,
    },
    true,
  );
}

/**
 * A Postgres array literal ('{"a","b",NULL}') sent as one text parameter and cast in SQL: the same
 * on PGlite and postgres.js, where drizzle would otherwise expand a JS array into a row.
 */
export function pgArrayLiteral(values: Array<string | number | null>): string {
  return `{${values.map((v) => (v === null ? "NULL" : `"${String(v).replace(/["\\]/g, "\\$&")}"`)).join(",")}}`;
}

/** Rows from db.execute, whichever driver (PGlite returns {rows}, postgres.js an array). */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
