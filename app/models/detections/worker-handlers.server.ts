// The worker messages of detection (T2, C3), registered in the namespace's handler map (app/fleet).
// v1:events: stored idempotently, acked after commit; a database error answers "unavailable" so the worker keeps
// the batch in its spool and retries. v1:detections: relayed to browsers watching that camera, never stored.
import type { Db } from "../../../db/client";
import { fail, ok, type DetectionBrowserEvents } from "../../../protocol";
import type { DetectionEventName, WorkerHandlers } from "../../fleet/worker-handlers.server";
import type { Logger } from "../../logger.server";
import { LateAggregateRefresher } from "./aggregates.server";
import { countedSpan, groupByCamera, ingestEventBatch } from "./ingest.server";
import type { DetectionMetrics } from "./metrics.server";

export interface DetectionPublisher {
  emitToTenant<E extends keyof DetectionBrowserEvents>(
    tenantId: string,
    event: E,
    ...args: Parameters<DetectionBrowserEvents[E]>
  ): void;
  /** C3: to the browsers watching one camera (room camera:<id>). */
  emitToCamera<E extends keyof DetectionBrowserEvents>(
    cameraId: string,
    event: E,
    ...args: Parameters<DetectionBrowserEvents[E]>
  ): void;
}

export interface DetectionHandlerDeps {
  db: Db;
  /** C4's rule for C3 too: a worker speaks only for cameras assigned to it. */
  isAssigned(workerId: string, cameraId: string, tenantId: string): boolean;
  publisher: DetectionPublisher;
  logger: Logger;
  metrics?: DetectionMetrics;
}

export function detectionHandlers(deps: DetectionHandlerDeps): Pick<WorkerHandlers, DetectionEventName> & {
  /** Waits for pending late-aggregate refreshes (shutdown). */
  flush(): Promise<void>;
} {
  const late = new LateAggregateRefresher(deps.db, (error) =>
    deps.logger.warn({ err: error }, "late detection aggregate refresh failed"),
  );
  return {
    "v1:events": async (batch, ctx) => {
      const workerId = ctx.registeredWorkerId();
      if (!workerId) return fail("not_registered", "Register before sending events");
      const started = performance.now();
      let outcome;
      try {
        // A shared worker's events are stored under each camera's tenant (ingest checks it), never the worker's.
        outcome = await ingestEventBatch(
          { db: deps.db, tenantId: ctx.session.tenantId, workerId, shared: ctx.session.shared === true },
          batch,
        );
      } catch (error) {
        deps.logger.error({ err: error, workerId, batchId: batch.batchId }, "event batch not stored");
        return fail("unavailable", "The server could not store this batch now: keep it and retry");
      }
      const { reply, stored } = outcome;
      deps.metrics?.events.inc({ outcome: "stored" }, reply.stored);
      deps.metrics?.events.inc({ outcome: "duplicate" }, reply.duplicates);
      deps.metrics?.events.inc({ outcome: "rejected" }, reply.rejected.length);
      deps.metrics?.batchSeconds.observe((performance.now() - started) / 1000);
      if (reply.rejected.length)
        deps.logger.warn(
          { workerId, batchId: batch.batchId, rejected: reply.rejected.length, first: reply.rejected[0]?.message },
          "detection events rejected",
        );
      for (const [cameraId, events] of groupByCamera(stored))
        deps.publisher.emitToTenant(outcome.tenantOf.get(cameraId) ?? ctx.session.tenantId, "detections:stored", {
          cameraId,
          events,
        });
      const span = countedSpan(stored);
      if (span) late.note(span.from, span.to);
      return ok(reply);
    },
    "v1:detections": (message, ctx) => {
      const workerId = ctx.registeredWorkerId();
      if (!workerId) return fail("not_registered", "Register before sending detections");
      if (!deps.isAssigned(workerId, message.cameraId, ctx.session.tenantId))
        return fail("forbidden", "This camera is not assigned to this worker");
      deps.publisher.emitToCamera(message.cameraId, "detections:live", message);
      deps.metrics?.liveRelayed.inc();
      return ok({});
    },
    flush: () => late.flush(),
  };
}
