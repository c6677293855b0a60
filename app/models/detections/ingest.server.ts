// T2: idempotent, set-based ingest of a worker's event batch. Each event is parsed on its own (a bad one is
// rejected by index, the others go on); cameras must belong to the worker's tenant; all accepted events are
// written by ONE INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING, which commits on its own, so the ack
// (sent after this returns) never covers uncommitted rows. A replayed event hits the unique
// (event_id, corrected_utc) key and is counted as a duplicate; a database error throws and nothing is stored.
import { sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  detectionEventSchema,
  parseMessage,
  type DetectionEvent,
  type EventBatchReply,
  type StoredEventView,
} from "../../../protocol";
import { pgArrayLiteral, rowsOf } from "../productivity/ingest.server";

export interface IngestSource {
  db: Db;
  /** The worker credential's tenant. */
  tenantId: string;
  workerId: string;
  /**
   * A shared worker (issue 12) serves every tenant: an event is accepted for a camera of any tenant that was
   * assigned to this worker, and stored under the CAMERA's tenant, never the worker's.
   */
  shared?: boolean;
}

export interface IngestOutcome {
  reply: EventBatchReply;
  /** Events stored by this call (not duplicates), in batch order. */
  stored: DetectionEvent[];
  /** The tenant each stored event's camera belongs to (where it was stored). */
  tenantOf: Map<string, string>;
}

type Rejected = EventBatchReply["rejected"][number];

/** Pure: parses every event on its own; returns the good ones with their index and the rejections. */
export function parseEvents(raw: unknown[]): {
  accepted: Array<{ index: number; event: DetectionEvent }>;
  rejected: Rejected[];
} {
  const accepted: Array<{ index: number; event: DetectionEvent }> = [];
  const rejected: Rejected[] = [];
  raw.forEach((item, index) => {
    const parsed = parseMessage(detectionEventSchema, item);
    if (parsed.success) accepted.push({ index, event: parsed.data });
    else rejected.push({ index, eventId: eventIdOf(item), message: parsed.message.slice(0, 300) });
  });
  return { accepted, rejected };
}

function eventIdOf(item: unknown): string | undefined {
  const id = item && typeof item === "object" ? (item as { eventId?: unknown }).eventId : undefined;
  return typeof id === "string" ? id.slice(0, 64) : undefined;
}

export async function ingestEventBatch(
  source: IngestSource,
  batch: { batchId: string; events: unknown[] },
): Promise<IngestOutcome> {
  const { accepted, rejected } = parseEvents(batch.events);
  const known = await cameraTenants(source, [...new Set(accepted.map((a) => a.event.cameraId))]);
  const valid: Array<{ index: number; event: DetectionEvent }> = [];
  for (const item of accepted) {
    if (known.has(item.event.cameraId)) valid.push(item);
    else rejected.push({ index: item.index, eventId: item.event.eventId, message: "camera not in this tenant" });
  }
  rejected.sort((a, b) => a.index - b.index);
  const inserted = valid.length
    ? await insertEvents(
        source,
        valid.map((v) => v.event),
        known,
      )
    : new Set<string>();
  // A batch may carry the same event twice: only its first copy counts as stored.
  const stored: DetectionEvent[] = [];
  for (const { event } of valid) {
    if (inserted.delete(event.eventId.toLowerCase())) stored.push(event);
  }
  return {
    reply: { batchId: batch.batchId, stored: stored.length, duplicates: valid.length - stored.length, rejected },
    stored,
    tenantOf: known,
  };
}

/**
 * Camera id -> its tenant, for the cameras this source may report on: a tenant worker's, its tenant's cameras; a
 * shared worker's, the cameras (of any tenant) that were ever assigned to it, so its spool replays still land.
 */
export async function cameraTenants(source: IngestSource, cameraIds: string[]): Promise<Map<string, string>> {
  if (!cameraIds.length) return new Map();
  const rows = rowsOf<{ id: string; tenant_id: string }>(
    await source.db.execute(
      sql`SELECT c.id, c.tenant_id FROM cameras c WHERE c.id = ANY(${pgArrayLiteral(cameraIds)}::uuid[])
        AND (CASE WHEN ${source.shared === true}::boolean THEN EXISTS (
          SELECT 1 FROM camera_assignments a WHERE a.camera_id = c.id AND a.worker_id = ${source.workerId})
          ELSE c.tenant_id = ${source.tenantId}::uuid END)`,
    ),
  );
  return new Map(rows.map((r) => [r.id, r.tenant_id]));
}

/** One statement for the whole batch; RETURNING names exactly the rows that were new. */
async function insertEvents(
  source: IngestSource,
  events: DetectionEvent[],
  tenantOf: Map<string, string>,
): Promise<Set<string>> {
  const col = (pick: (e: DetectionEvent) => string | number | null) => pgArrayLiteral(events.map(pick));
  const objectOf = (e: DetectionEvent) => ("class" in e ? e : null);
  const rows = rowsOf<{ event_id: string }>(
    await source.db.execute(sql`
      INSERT INTO detection_events (event_id, tenant_id, camera_id, worker_id, type, class, track_id, confidence,
        line_id, zone_id, direction, dwell_ms, warning, box, details, model_id, model_version, utc_timestamp,
        local_time, timezone_offset, drift_offset, corrected_utc, lamport)
      SELECT u.id, u.tenant, u.cam, ${source.workerId}, u.type::detection_event_type, u.class,
        u.track, u.conf, u.line, u.zone, u.dir, u.dwell, u.warn, u.box::real[], u.details::jsonb, u.model, u.mver,
        u.utc, u.local, u.tz, u.drift, u.corr, u.lamport
      FROM unnest(
        ${col((e) => e.eventId)}::uuid[], ${col((e) => tenantOf.get(e.cameraId) ?? source.tenantId)}::uuid[],
        ${col((e) => e.cameraId)}::uuid[], ${col((e) => e.type)}::text[],
        ${col((e) => objectOf(e)?.class ?? null)}::text[], ${col((e) => objectOf(e)?.trackId ?? null)}::int[],
        ${col((e) => objectOf(e)?.confidence ?? null)}::real[],
        ${col((e) => (e.type === "line_crossing" ? e.lineId : null))}::text[],
        ${col((e) => (e.type === "zone_enter" || e.type === "zone_exit" ? e.zoneId : null))}::text[],
        ${col((e) => (e.type === "line_crossing" ? e.direction : null))}::text[],
        ${col((e) => (e.type === "zone_exit" ? e.dwellMs : null))}::bigint[],
        ${col((e) => (e.type === "scene_warning" ? e.warning : null))}::text[],
        ${col((e) => (e.type === "track_start" ? `{${e.box.join(",")}}` : null))}::text[],
        ${col((e) => (e.type === "scene_warning" ? JSON.stringify({ brightness: e.brightness, contrast: e.contrast }) : null))}::text[],
        ${col((e) => e.modelId)}::text[], ${col((e) => e.modelVersion)}::text[],
        ${col((e) => e.utcTimestamp)}::timestamptz[], ${col((e) => e.localTime)}::text[],
        ${col((e) => e.timezoneOffset)}::int[], ${col((e) => e.driftOffset)}::bigint[],
        ${col((e) => e.correctedUtc)}::timestamptz[], ${col((e) => e.lamport)}::bigint[]
      ) AS u(id, tenant, cam, type, class, track, conf, line, zone, dir, dwell, warn, box, details, model, mver, utc, local,
        tz, drift, corr, lamport)
      ON CONFLICT (event_id, corrected_utc) DO NOTHING
      RETURNING event_id`),
  );
  return new Set(rows.map((r) => String(r.event_id).toLowerCase()));
}

/** Pure: the browser view of a stored event (no audit fields). */
export function toStoredView(e: DetectionEvent): StoredEventView {
  const object = "class" in e ? e : null;
  return {
    eventId: e.eventId,
    type: e.type,
    cameraId: e.cameraId,
    time: new Date(e.correctedUtc).toISOString(),
    class: object?.class ?? null,
    trackId: object?.trackId ?? null,
    lineId: e.type === "line_crossing" ? e.lineId : null,
    zoneId: e.type === "zone_enter" || e.type === "zone_exit" ? e.zoneId : null,
    direction: e.type === "line_crossing" ? e.direction : null,
    dwellMs: e.type === "zone_exit" ? e.dwellMs : null,
    warning: e.type === "scene_warning" ? e.warning : null,
  };
}

/** Pure: stored events grouped per camera, as "detections:stored" sends them. */
export function groupByCamera(events: DetectionEvent[]): Map<string, StoredEventView[]> {
  const map = new Map<string, StoredEventView[]>();
  for (const e of events) {
    const list = map.get(e.cameraId) ?? [];
    list.push(toStoredView(e));
    map.set(e.cameraId, list);
  }
  return map;
}

/** Counted events (crossings, zone enters/exits) span: what the aggregates must cover. */
export function countedSpan(events: DetectionEvent[]): { from: Date; to: Date } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const e of events) {
    if (e.type !== "line_crossing" && e.type !== "zone_enter" && e.type !== "zone_exit") continue;
    const t = Date.parse(e.correctedUtc);
    min = Math.min(min, t);
    max = Math.max(max, t);
  }
  return Number.isFinite(min) ? { from: new Date(min), to: new Date(max) } : null;
}
