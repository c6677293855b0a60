// T2: one worker batch ("v1:events"), several stores. Some event types are stored outside detection_events
// (workstation states in the productivity tables, issue 13; face events in face_events, issue 14): a wrapper takes
// those out of the batch, stores them, hands the rest to the inner handler as a sub-batch and merges the two replies
// back by the batch's own indices. Every store is idempotent, so when either fails the worker keeps the whole batch
// and a replay stores only what is missing.
import { fail, ok, type EventBatchReply } from "../../../protocol";
import type { WorkerHandlers } from "../../fleet/worker-handlers.server";
import type { Logger } from "../../logger.server";

type EventsHandler = WorkerHandlers["v1:events"];
export type IndexedItem = { index: number; item: unknown };
export type SideStoreOutcome = Pick<EventBatchReply, "stored" | "duplicates" | "rejected">;

export interface SideStore {
  /** Names the events in logs ("workstation events not stored"). */
  name: string;
  takes(item: unknown): boolean;
  /** Stores `items` (rejections carry the batch's own indices); throws when nothing could be stored. */
  store(
    items: IndexedItem[],
    worker: { tenantId: string; workerId: string; shared: boolean },
  ): Promise<SideStoreOutcome>;
}

export function withSideStore<H extends { "v1:events": EventsHandler }>(
  handlers: H,
  side: SideStore,
  logger: Logger,
): H {
  const inner = handlers["v1:events"];
  const wrapped: EventsHandler = async (batch, ctx) => {
    const taken: IndexedItem[] = [];
    const others: IndexedItem[] = [];
    batch.events.forEach((item, index) => (side.takes(item) ? taken : others).push({ index, item }));
    if (!taken.length) return inner(batch, ctx);
    const workerId = ctx.registeredWorkerId();
    if (!workerId) return fail("not_registered", "Register before sending events");
    let outcome: SideStoreOutcome;
    try {
      // A worker shared between tenants (fleet) speaks for each camera's tenant; any other only for its own.
      const shared = (ctx.session as { shared?: boolean }).shared === true;
      outcome = await side.store(taken, { tenantId: ctx.session.tenantId, workerId, shared });
    } catch (error) {
      logger.error({ err: error, workerId, batchId: batch.batchId }, `${side.name} events not stored`);
      return fail("unavailable", "The server could not store this batch now: keep it and retry");
    }
    if (outcome.rejected.length)
      logger.warn(
        { workerId, batchId: batch.batchId, rejected: outcome.rejected.length, first: outcome.rejected[0]?.message },
        `${side.name} events rejected`,
      );
    const own = { stored: outcome.stored, duplicates: outcome.duplicates, rejected: outcome.rejected };
    if (!others.length) return ok({ batchId: batch.batchId, ...own });
    const reply = await inner({ ...batch, events: others.map((o) => o.item) }, ctx);
    if (!reply.ok) return reply;
    const rejected = [
      ...own.rejected,
      ...reply.data.rejected.map((r) => ({ ...r, index: others[r.index]?.index ?? r.index })),
    ].sort((a, b) => a.index - b.index);
    return ok({
      batchId: batch.batchId,
      stored: reply.data.stored + own.stored,
      duplicates: reply.data.duplicates + own.duplicates,
      rejected,
    });
  };
  return { ...handlers, "v1:events": wrapped };
}
