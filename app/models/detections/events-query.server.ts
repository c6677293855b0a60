// Reading detection events back (SPEC T1, T3, D3): the raw, audited rows of one tenant in the server's order
// (corrected_utc, then the worker's Lamport counter), for the REST API, exports and the exactly-once checks.
import { and, asc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { detectionEvents } from "../../../db/schema";
import { detectionEventTypes } from "../../../protocol";
import type { TenantScope } from "../scope.server";

export const eventsQuerySchema = z
  .object({
    camera_id: z.uuid("camera_id must be a camera id").optional(),
    type: z.enum(detectionEventTypes).optional(),
    start_time: z.iso.datetime({ offset: true, message: "start_time must be an ISO 8601 time" }).optional(),
    end_time: z.iso.datetime({ offset: true, message: "end_time must be an ISO 8601 time" }).optional(),
    /** Page after this event (the last event_id of the previous page, with its corrected_utc as after_time). */
    after_time: z.iso.datetime({ offset: true }).optional(),
    after_lamport: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  })
  .strict()
  .refine((q) => !q.start_time || !q.end_time || Date.parse(q.start_time) < Date.parse(q.end_time), {
    message: "start_time must be before end_time",
    path: ["start_time"],
  });
export type EventsQuery = z.output<typeof eventsQuerySchema>;

export interface DetectionEventRow {
  event_id: string;
  type: string;
  camera_id: string;
  worker_id: string;
  class: string | null;
  track_id: number | null;
  confidence: number | null;
  line_id: string | null;
  zone_id: string | null;
  direction: string | null;
  dwell_ms: number | null;
  warning: string | null;
  model_id: string;
  model_version: string;
  utc_timestamp: string;
  local_time: string;
  timezone_offset: number;
  drift_offset: number;
  corrected_utc: string;
  lamport: number;
  received_at: string;
}

export async function listDetectionEvents(scope: TenantScope, query: EventsQuery): Promise<DetectionEventRow[]> {
  const e = detectionEvents;
  const where: SQL[] = [eq(e.tenantId, scope.tenantId)];
  if (query.camera_id) where.push(eq(e.cameraId, query.camera_id));
  if (query.type) where.push(eq(e.type, query.type));
  if (query.start_time) where.push(gte(e.correctedUtc, new Date(query.start_time)));
  if (query.end_time) where.push(lt(e.correctedUtc, new Date(query.end_time)));
  if (query.after_time)
    where.push(
      sql`(${e.correctedUtc}, ${e.lamport}) > (${new Date(query.after_time).toISOString()}::timestamptz, ${query.after_lamport ?? 0})`,
    );
  const rows = await scope.db
    .select()
    .from(e)
    .where(and(...where))
    .orderBy(asc(e.correctedUtc), asc(e.lamport))
    .limit(query.limit);
  return rows.map((r) => ({
    event_id: r.eventId,
    type: r.type,
    camera_id: r.cameraId,
    worker_id: r.workerId,
    class: r.class,
    track_id: r.trackId,
    confidence: r.confidence,
    line_id: r.lineId,
    zone_id: r.zoneId,
    direction: r.direction,
    dwell_ms: r.dwellMs,
    warning: r.warning,
    model_id: r.modelId,
    model_version: r.modelVersion,
    utc_timestamp: r.utcTimestamp.toISOString(),
    local_time: r.localTime,
    timezone_offset: r.timezoneOffset,
    drift_offset: r.driftOffset,
    corrected_utc: r.correctedUtc.toISOString(),
    lamport: r.lamport,
    received_at: r.receivedAt.toISOString(),
  }));
}
