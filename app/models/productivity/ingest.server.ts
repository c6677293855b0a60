// Event ingestion (SPEC P1): validate each event on its own, check its worker/workstation ids, then
// store the good ones in one set-based INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING.
// A bad event never rejects the good ones beside it; duplicates are skipped and counted.
import { createHash } from "node:crypto";
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

/**
 * Events sent without a workstation_id (the documented model-versioning example) are stored with
 * this one: they count for their worker and the factory, and for no workstation (metrics skip it).
 */
export const NO_WORKSTATION = "";

/** ISO 8601 in UTC, without a ".000" when there are no milliseconds (as the documented API writes times). */
export const formatTime = (v: string | Date) => new Date(v).toISOString().replace(/\.000Z$/, "Z");

/**
 * The event's id: the hypertable has no sequence (its key is tenant, worker, workstation, type, time),
 * so the id is a stable 53-bit number derived from that key. A duplicate answers with the same id.
 */
export function eventId(tenantId: string, r: Pick<StoredRow, "time" | "worker_id" | "workstation_id" | "event_type">) {
  const key = [tenantId, r.worker_id, r.workstation_id, r.event_type, new Date(r.time).toISOString()].join("\u0001");
  return Number(BigInt.asUintN(53, BigInt(`0x${createHash("sha256").update(key).digest("hex").slice(0, 16)}`)));
}

const toStored = (tenantId: string, r: StoredRow, duplicate = false): StoredEvent => ({
  id: eventId(tenantId, r),
  timestamp: formatTime(r.time),
  worker_id: r.worker_id,
  workstation_id: r.workstation_id === NO_WORKSTATION ? null : r.workstation_id,
  event_type: r.event_type,
  confidence: Number(r.confidence),
  count: Number(r.count),
  model_id: r.model_id,
  model_version: r.model_version,
  received_at: formatTime(r.received_at),
  duplicate,
});

/**
 * Validates, checks entities and stores `raw`. `returnStored` returns the stored rows (the single
 * endpoint); batches only need counts, and skipping the full RETURNING halves the insert's cost.
 */
export async function ingestEvents(
  scope: ProductivityScope,
  raw: unknown[],
  options: { returnStored?: boolean; source?: EventSource } = {},
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
        options.source ?? API_SOURCE,
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
  const stationIds = [
    ...new Set(valid.flatMap((v) => (v.event.workstation_id === undefined ? [] : [v.event.workstation_id]))),
  ];
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
    if (event.workstation_id !== undefined && !known.stations.has(event.workstation_id))
      problems.push(`unknown workstation_id "${event.workstation_id}"`);
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

/** Where events come from (migration 0011): set by the server from the caller's credential, never by the body. */
export interface EventSource {
  source: "api" | "camera" | "device";
  /** Camera events: "<camera id>/<zone id>"; on-device events: the camera id of the publish page. */
  ref: string | null;
}
const API_SOURCE: EventSource = { source: "api", ref: null };

/** One statement for the whole batch; RETURNING gives exactly the rows that were new. */
async function insertEvents(
  scope: ProductivityScope,
  events: EventInput[],
  returnRows: boolean,
  source: EventSource,
): Promise<Inserted> {
  const col = (pick: (e: EventInput) => string | number | null) => pgArrayLiteral(events.map(pick));
  const insert = sql`
    INSERT INTO productivity_events (time, tenant_id, worker_id, workstation_id, event_type, confidence, count, model_id, model_version, source, source_ref)
    SELECT u.t, ${scope.tenantId}::uuid, u.w, u.s, u.e::productivity_event_type, u.c, u.n, u.m, u.v, ${source.source}::text, ${source.ref}::text
    FROM unnest(
      ${col((e) => e.timestamp)}::timestamptz[], ${col((e) => e.worker_id)}::text[], ${col((e) => e.workstation_id ?? NO_WORKSTATION)}::text[],
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
    ).map((r) => toStored(scope.tenantId, r));
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
        eq(productivityEvents.workstationId, event.workstation_id ?? NO_WORKSTATION),
        eq(productivityEvents.eventType, event.event_type),
        eq(productivityEvents.time, sql`${event.timestamp}::timestamptz`),
      ),
    );
  if (!row) return null;
  return toStored(
    scope.tenantId,
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
