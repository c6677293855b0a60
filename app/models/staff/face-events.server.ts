// Face events from workers (issue 14: D6, S1). Workers send face_recognised / face_unknown / face_track_end in their
// ordinary detection batches (protocol/events.ts: same envelope, spool and acknowledged v1:events). withFaceEvents
// takes them out of a batch (like withWorkstationEvents) and stores them in face_events with ONE
// INSERT ... unnest ... ON CONFLICT DO NOTHING (the detection ingest's idiom): a replayed event hits the unique
// (event_id, corrected_utc) key and counts as a duplicate. Camera tenancy is the detection ingest's rule exactly
// (cameraTenants): a tenant worker speaks for its tenant's cameras, a shared worker for the cameras assigned to it,
// and each event is stored under its CAMERA's tenant. An event naming a person who is not in that tenant's directory
// (deleted while a worker still held the old gallery, or a foreign id) is rejected, so nothing of a deleted person is
// stored after the deletion. No pixels are in these events (C6).
import { and, desc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { faceEvents, faceEventTypes, staffPeople } from "../../../db/schema";
import type { DetectionEvent, EventBatchReply } from "../../../protocol";
import type { BrowserEvents, FacesStoredEvent } from "../../components/realtime-events";
import type { WorkerHandlers } from "../../fleet/worker-handlers.server";
import type { Logger } from "../../logger.server";
import { withSideStore } from "../detections/batch-split.server";
import { cameraTenants, parseEvents } from "../detections/ingest.server";
import { pgArrayLiteral, rowsOf } from "../productivity/ingest.server";
import type { TenantScope } from "../scope.server";

export type FaceEvent = Extract<DetectionEvent, { type: "face_recognised" | "face_unknown" | "face_track_end" }>;
const FACE_TYPES = new Set(["face_recognised", "face_unknown", "face_track_end"]);

/** Pure: is this raw batch item a face event (by its type, before validation)? */
export function isFaceItem(item: unknown): boolean {
  return !!item && typeof item === "object" && FACE_TYPES.has(String((item as { type?: unknown }).type));
}

export interface FaceIngestOutcome {
  stored: number;
  duplicates: number;
  /** By the item's index in the whole batch. */
  rejected: EventBatchReply["rejected"];
  /** What browsers of each camera's tenant hear ("faces:stored"): newly stored events only. */
  notices: Array<{ tenantId: string } & FacesStoredEvent>;
}

/** Tenant-scoped live notices (the Realtime hub): the camera's tenant's room only. */
export interface FaceEventsPublisher {
  emitToTenant<E extends "faces:stored">(tenantId: string, event: E, ...args: Parameters<BrowserEvents[E]>): void;
}

/** Pure: newly stored events -> one notice per camera, under the camera's tenant (ids and a count, no pixels). */
export function faceNotices(stored: FaceEvent[], tenantOf: Map<string, string>): FaceIngestOutcome["notices"] {
  const byCamera = new Map<string, { tenantId: string } & FacesStoredEvent>();
  for (const e of stored) {
    const tenantId = tenantOf.get(e.cameraId);
    if (!tenantId) continue;
    const notice = byCamera.get(e.cameraId) ?? { tenantId, cameraId: e.cameraId, stored: 0, personIds: [] };
    notice.stored++;
    const personId = personOf(e);
    if (personId && !notice.personIds.includes(personId)) notice.personIds.push(personId);
    byCamera.set(e.cameraId, notice);
  }
  return [...byCamera.values()];
}

/** Validates and stores face events; a database error throws (the worker keeps the batch and retries). */
export async function ingestFaceEvents(
  db: Db,
  worker: { tenantId: string; workerId: string; shared: boolean },
  raw: Array<{ index: number; item: unknown }>,
): Promise<FaceIngestOutcome> {
  const parsed = parseEvents(raw.map((r) => r.item));
  const rejected: FaceIngestOutcome["rejected"] = parsed.rejected.map((r) => ({ ...r, index: raw[r.index]!.index }));
  const accepted: Array<{ index: number; event: FaceEvent }> = [];
  for (const { index, event } of parsed.accepted) {
    const at = raw[index]!.index;
    if (isFaceItem(event)) accepted.push({ index: at, event: event as FaceEvent });
    else rejected.push({ index: at, eventId: event.eventId, message: "not a face event" });
  }
  const tenantOf = await cameraTenants(
    { db, tenantId: worker.tenantId, workerId: worker.workerId, shared: worker.shared },
    [...new Set(accepted.map((a) => a.event.cameraId))],
  );
  const people = await peopleOfTenants(db, accepted, tenantOf);
  const valid: FaceEvent[] = [];
  for (const a of accepted) {
    const tenantId = tenantOf.get(a.event.cameraId);
    const personId = personOf(a.event);
    if (!tenantId) rejected.push({ index: a.index, eventId: a.event.eventId, message: "camera not in this tenant" });
    // A person deleted while a worker still held the old gallery (or another tenant's id): the event is dropped,
    // so nothing of a deleted person is stored after the deletion (docs/staff.md).
    else if (personId && people.get(personId.toLowerCase()) !== tenantId)
      rejected.push({ index: a.index, eventId: a.event.eventId, message: "person not in the camera's tenant" });
    else valid.push(a.event);
  }
  rejected.sort((a, b) => a.index - b.index);
  const inserted = valid.length ? await insertFaceEvents(db, worker.workerId, valid, tenantOf) : new Set<string>();
  // A batch may carry the same event twice: only its first copy counts as stored.
  const storedEvents = valid.filter((e) => inserted.delete(e.eventId.toLowerCase()));
  const stored = storedEvents.length;
  return { stored, duplicates: valid.length - stored, rejected, notices: faceNotices(storedEvents, tenantOf) };
}

const personOf = (e: FaceEvent): string | null => (e.type === "face_unknown" ? null : e.personId);

/** Person id (lower case) -> its tenant, for the people the events name. */
async function peopleOfTenants(
  db: Db,
  accepted: Array<{ event: FaceEvent }>,
  tenantOf: Map<string, string>,
): Promise<Map<string, string>> {
  const ids = [
    ...new Set(
      accepted.flatMap((a) => (tenantOf.has(a.event.cameraId) && personOf(a.event) ? [personOf(a.event)!] : [])),
    ),
  ];
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: staffPeople.id, tenantId: staffPeople.tenantId })
    .from(staffPeople)
    .where(inArray(staffPeople.id, ids));
  return new Map(rows.map((r) => [r.id.toLowerCase(), r.tenantId]));
}

async function insertFaceEvents(
  db: Db,
  workerId: string,
  events: FaceEvent[],
  tenantOf: Map<string, string>,
): Promise<Set<string>> {
  const col = (pick: (e: FaceEvent) => string | number | null) => pgArrayLiteral(events.map(pick));
  const rows = rowsOf<{ event_id: string }>(
    await db.execute(sql`
      INSERT INTO face_events (event_id, tenant_id, camera_id, worker_id, type, track_id, person_id, similarity,
        margin, box, first_seen, visible_ms, model_id, model_version, utc_timestamp, local_time, timezone_offset,
        drift_offset, corrected_utc, lamport)
      SELECT u.id, u.tenant, u.cam, ${workerId}, u.type, u.track, u.person, u.sim, u.margin, u.box::real[],
        u.first, u.visible, u.model, u.mver, u.utc, u.local, u.tz, u.drift, u.corr, u.lamport
      FROM unnest(
        ${col((e) => e.eventId)}::uuid[], ${col((e) => tenantOf.get(e.cameraId)!)}::uuid[],
        ${col((e) => e.cameraId)}::uuid[], ${col((e) => e.type)}::text[], ${col((e) => e.trackId)}::int[],
        ${col((e) => (e.type === "face_unknown" ? null : e.personId))}::uuid[],
        ${col((e) => (e.type === "face_recognised" ? e.similarity : e.type === "face_unknown" ? e.bestSimilarity : null))}::real[],
        ${col((e) => (e.type === "face_recognised" ? e.margin : null))}::real[],
        ${col((e) => (e.type === "face_track_end" ? null : `{${e.box.join(",")}}`))}::text[],
        ${col((e) => (e.type === "face_track_end" ? e.firstSeen : null))}::timestamptz[],
        ${col((e) => (e.type === "face_track_end" ? e.visibleMs : null))}::bigint[],
        ${col((e) => e.modelId)}::text[], ${col((e) => e.modelVersion)}::text[],
        ${col((e) => e.utcTimestamp)}::timestamptz[], ${col((e) => e.localTime)}::text[],
        ${col((e) => e.timezoneOffset)}::int[], ${col((e) => e.driftOffset)}::bigint[],
        ${col((e) => e.correctedUtc)}::timestamptz[], ${col((e) => e.lamport)}::bigint[]
      ) AS u(id, tenant, cam, type, track, person, sim, margin, box, first, visible, model, mver, utc, local, tz,
        drift, corr, lamport)
      ON CONFLICT (event_id, corrected_utc) DO NOTHING
      RETURNING event_id`),
  );
  return new Set(rows.map((r) => String(r.event_id).toLowerCase()));
}

type EventsHandler = WorkerHandlers["v1:events"];

/**
 * Face events of a batch go to face_events, the others to the inner handler (batch-split). After a store, each
 * camera's tenant hears "faces:stored" (the attendance page revalidates on it).
 */
export function withFaceEvents<H extends { "v1:events": EventsHandler }>(
  handlers: H,
  deps: { db: Db; logger: Logger; publisher?: FaceEventsPublisher },
): H {
  const store = async (
    items: Parameters<typeof ingestFaceEvents>[2],
    worker: Parameters<typeof ingestFaceEvents>[1],
  ) => {
    const outcome = await ingestFaceEvents(deps.db, worker, items);
    for (const { tenantId, ...notice } of outcome.notices)
      deps.publisher?.emitToTenant(tenantId, "faces:stored", notice);
    return outcome;
  };
  return withSideStore(handlers, { name: "face", takes: isFaceItem, store }, deps.logger);
}

export const faceEventsQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(5000).default(100).describe("Newest this many (default 100)"),
    personId: z.uuid("personId must be a UUID").optional(),
    cameraId: z.uuid("cameraId must be a UUID").optional(),
    type: z.enum(faceEventTypes).optional(),
    from: z.iso.datetime({ offset: true }).optional().describe("Events at or after (ISO 8601)"),
    to: z.iso.datetime({ offset: true }).optional().describe("Events before (ISO 8601)"),
  })
  .strict();
export type FaceEventsQuery = z.infer<typeof faceEventsQuerySchema>;

/** The tenant's stored face events, the newest `limit` returned oldest first (viewers too: no pixels in them). */
export async function listFaceEvents(scope: TenantScope, query: FaceEventsQuery) {
  const rows = await scope.db
    .select()
    .from(faceEvents)
    .where(
      and(
        eq(faceEvents.tenantId, scope.tenantId),
        query.personId ? eq(faceEvents.personId, query.personId) : undefined,
        query.cameraId ? eq(faceEvents.cameraId, query.cameraId) : undefined,
        query.type ? eq(faceEvents.type, query.type) : undefined,
        query.from ? gte(faceEvents.correctedUtc, new Date(query.from)) : undefined,
        query.to ? lt(faceEvents.correctedUtc, new Date(query.to)) : undefined,
      ),
    )
    .orderBy(desc(faceEvents.correctedUtc), desc(faceEvents.lamport))
    .limit(query.limit);
  return rows.reverse().map((r) => ({
    eventId: r.eventId,
    type: r.type,
    time: r.correctedUtc.toISOString(),
    cameraId: r.cameraId,
    trackId: r.trackId,
    personId: r.personId,
    similarity: r.similarity,
    margin: r.margin,
    box: r.box,
    firstSeen: r.firstSeen?.toISOString() ?? null,
    visibleMs: r.visibleMs,
    modelId: r.modelId,
    modelVersion: r.modelVersion,
  }));
}
