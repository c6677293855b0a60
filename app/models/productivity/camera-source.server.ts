// Argus's workers as a source of the productivity module (issue 13, SPEC P1-P2 and the note at its end). A worker's
// workstation zones send `workstation_state` and `workstation_output` events in its ordinary detection batches
// (protocol/events.ts: same envelope, spool, acknowledged v1:events). This module takes them out of the batch before
// the detection ingest, turns each into the productivity API's own event shape and stores it through ingestEvents
// (the same validation, entity checks and dedupe as POST /api/v1/events) with source "camera" and the camera/zone as
// its reference, for the worker's tenant. The productivity key (tenant, worker, workstation, type, time) makes a
// replayed batch store nothing twice, so delivery stays exactly-once. Also: the scene-save check that bound
// workstations and workers are the tenant's own.
import { sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  detectionEventSchema,
  parseMessage,
  type DetectionEvent,
  type EventBatchReply,
  type Scene,
} from "../../../protocol";
import type { WorkerHandlers } from "../../fleet/worker-handlers.server";
import type { Logger } from "../../logger.server";
import { withSideStore } from "../detections/batch-split.server";
import { badRequest } from "../../utils/errors.server";
import { findKnownIds } from "./entities.server";
import { ingestEvents, pgArrayLiteral, rowsOf } from "./ingest.server";
import type { ProductivityScope } from "./scope";
import { getSettings } from "./settings.server";

export type WorkstationEvent = Extract<DetectionEvent, { type: "workstation_state" | "workstation_output" }>;
const WORKSTATION_TYPES = new Set(["workstation_state", "workstation_output"]);

/** Pure: is this raw batch item a workstation event (by its type, before validation)? */
export function isWorkstationItem(item: unknown): boolean {
  return !!item && typeof item === "object" && WORKSTATION_TYPES.has(String((item as { type?: unknown }).type));
}

/** Pure: the productivity API's event for a workstation event; its time is the server-corrected one (T1). */
export function toProductivityEvent(e: WorkstationEvent) {
  const common = {
    timestamp: new Date(e.correctedUtc).toISOString(),
    worker_id: e.workerId,
    workstation_id: e.workstationId,
    confidence: e.confidence,
    model_id: e.modelId,
    model_version: e.modelVersion,
  };
  return e.type === "workstation_state"
    ? { ...common, event_type: e.state }
    : { ...common, event_type: "product_count" as const, count: e.count };
}

/** Pure: "<camera id>/<zone id or line id>", the stored source reference of a camera event. */
export const sourceRefOf = (e: WorkstationEvent) =>
  `${e.cameraId}/${e.type === "workstation_state" ? e.zoneId : e.lineId}`;

export interface CameraIngestOutcome {
  stored: number;
  duplicates: number;
  /** By the item's index in `raw`. */
  rejected: EventBatchReply["rejected"];
  latest: string | null;
}

/**
 * Validates and stores workstation events for their camera's tenant, which must be the worker's own unless the worker
 * is shared between tenants. A database error throws (the batch is retried).
 */
export async function ingestCameraEvents(
  db: Db,
  worker: { tenantId: string; shared: boolean },
  raw: Array<{ index: number; item: unknown }>,
): Promise<CameraIngestOutcome> {
  const rejected: CameraIngestOutcome["rejected"] = [];
  const accepted: Array<{ index: number; event: WorkstationEvent }> = [];
  for (const { index, item } of raw) {
    const parsed = parseMessage(detectionEventSchema, item);
    if (!parsed.success) rejected.push({ index, message: parsed.message.slice(0, 300) });
    else if (parsed.data.type !== "workstation_state" && parsed.data.type !== "workstation_output")
      rejected.push({ index, eventId: parsed.data.eventId, message: "not a workstation event" });
    else accepted.push({ index, event: parsed.data });
  }
  const tenants = await tenantsOfCameras(db, [...new Set(accepted.map((a) => a.event.cameraId))]);
  // One ingestEvents call per camera zone/line: each call stores one source reference.
  const groups = new Map<string, { tenantId: string; items: Array<{ index: number; event: WorkstationEvent }> }>();
  for (const a of accepted) {
    const tenantId = tenants.get(a.event.cameraId);
    if (!tenantId || (!worker.shared && tenantId !== worker.tenantId)) {
      rejected.push({ index: a.index, eventId: a.event.eventId, message: "camera not in this tenant" });
      continue;
    }
    const ref = sourceRefOf(a.event);
    const group = groups.get(ref) ?? { tenantId, items: [] };
    group.items.push(a);
    groups.set(ref, group);
  }
  let stored = 0;
  let duplicates = 0;
  let latest: string | null = null;
  for (const [ref, { tenantId, items }] of groups) {
    const outcome = await ingestEvents(
      { db, tenantId },
      items.map((i) => toProductivityEvent(i.event)),
      { source: { source: "camera", ref } },
    );
    stored += outcome.successfully_stored;
    duplicates += outcome.duplicates_skipped;
    for (const error of outcome.errors) {
      const item = items[error.index]!;
      rejected.push({ index: item.index, eventId: item.event.eventId, message: error.message.slice(0, 300) });
    }
    for (const i of items) if (!latest || i.event.correctedUtc > latest) latest = i.event.correctedUtc;
  }
  rejected.sort((a, b) => a.index - b.index);
  return { stored, duplicates, rejected, latest };
}

async function tenantsOfCameras(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = rowsOf<{ id: string; tenant_id: string }>(
    await db.execute(sql`SELECT id, tenant_id FROM cameras WHERE id = ANY(${pgArrayLiteral(ids)}::uuid[])`),
  );
  return new Map(rows.map((r) => [String(r.id), String(r.tenant_id)]));
}

type EventsHandler = WorkerHandlers["v1:events"];

/** Workstation events of a batch go to the productivity tables, the others to the detection ingest (batch-split). */
export function withWorkstationEvents<H extends { "v1:events": EventsHandler }>(
  handlers: H,
  deps: { db: Db; logger: Logger },
): H {
  return withSideStore(
    handlers,
    {
      name: "workstation",
      takes: isWorkstationItem,
      store: async (items, worker) => ingestCameraEvents(deps.db, worker, items),
    },
    deps.logger,
  );
}

/**
 * Scene save (C5 + issue 13): every workstation and default worker a zone names must exist in the camera's tenant's
 * productivity module; a 400 names the zone otherwise. (Auto-create on ingest does not apply: a typo in a binding would
 * silently start a new workstation.)
 */
export async function checkWorkstationBindings(scope: ProductivityScope, scene: Scene): Promise<void> {
  const bound = scene.zones.flatMap((z, i) => (z.workstation ? [{ zone: z, i, binding: z.workstation }] : []));
  if (!bound.length) return;
  const known = await findKnownIds(
    scope,
    [...new Set(bound.map((b) => b.binding.workerId))],
    [...new Set(bound.map((b) => b.binding.workstationId))],
  );
  const problems: Array<{ path: string; message: string }> = [];
  for (const { zone, i, binding } of bound) {
    if (!known.stations.has(binding.workstationId))
      problems.push({
        path: `scene.zones.${i}.workstation.workstationId`,
        message: `Zone "${zone.name}": no workstation "${binding.workstationId}" in this tenant's productivity module`,
      });
    if (!known.workers.has(binding.workerId))
      problems.push({
        path: `scene.zones.${i}.workstation.workerId`,
        message: `Zone "${zone.name}": no worker "${binding.workerId}" in this tenant's productivity module`,
      });
  }
  if (problems.length) throw badRequest(problems[0]!.message, problems);
}

/**
 * What a camera's analysis carries for its workstation zones (protocol cameraAnalysisSchema.productivity): the
 * tenant's state duration, at which the worker re-affirms states. Nothing when no zone is bound.
 */
export async function workstationAnalysis(
  db: Db,
  tenantId: string,
  scene: Scene,
): Promise<{ productivity?: { stateDurationSeconds: number } }> {
  if (!scene.zones.some((z) => z.workstation)) return {};
  const settings = await getSettings({ db, tenantId });
  return { productivity: { stateDurationSeconds: settings.state_duration_seconds } };
}
