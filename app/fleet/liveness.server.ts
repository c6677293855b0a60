// Who is still there (SPEC W5, W11, O3): a sweep at a cadence fitted to the shortest heartbeat marks silent or
// disconnected workers OFFLINE and fails their cameras over, flushes heartbeat bookkeeping in one statement every
// few seconds, and removes workers OFFLINE for longer than the retention. start()/close() own its timer.
import type { FleetContext } from "./fleet-context";
import type { LiveViews } from "./live-views.server";
import { tenantsAffected, type Placement } from "./placement.server";
import { offlineVerdict, sweepIntervalMs } from "./policy";
import type { WorkerRegistry } from "./registration.server";
import * as store from "./store.server";
import { assignmentsOf, toWorkerView, type WorkerState } from "./worker-state";

export const FLUSH_INTERVAL_MS = 5_000;
const STATUS_HISTORY_DAYS = 30;
/** A2: the worker page charts the last hour; a week is kept for looking back. */
const METRIC_SAMPLE_DAYS = 7;

/** Pure: the heartbeat interval the sweep must keep up with (the shortest of the workers not OFFLINE). */
export function shortestHeartbeat(workers: Iterable<Pick<WorkerState, "status" | "heartbeatMs">>, fallbackMs: number) {
  let shortest = fallbackMs;
  for (const w of workers) if (w.status !== "OFFLINE") shortest = Math.min(shortest, w.heartbeatMs);
  return shortest;
}

/** Pure: stale-worker cleanup runs at most every minute, and more often only for very short retentions. */
export function cleanupDue(nowMs: number, lastMs: number, retentionHours: number): boolean {
  return nowMs - lastMs > Math.min(60_000, (retentionHours * 3600_000) / 4);
}

/** Pure: the rows one flush writes (workers with heartbeat data not yet in the database). */
export function flushRows(workers: Iterable<WorkerState>) {
  return [...workers]
    .filter((w) => w.dirty)
    .map((w) => ({
      id: w.id,
      seen: new Date(w.lastSeenMs).toISOString(),
      metrics: (w.metrics ?? {}) as Record<string, unknown>,
      driftMs: w.driftMs,
    }));
}

/** Pure: the chart samples one flush writes: one per worker that heartbeated with stats since the last flush. */
export function sampleRows(workers: Iterable<WorkerState>) {
  return [...workers]
    .filter((w) => w.dirty && w.metrics)
    .map((w) => {
      const view = toWorkerView(w, 0);
      return {
        time: new Date(w.lastSeenMs).toISOString(),
        workerId: w.id,
        cpuPercent: view.cpuPercent,
        memoryMb: view.memoryMb,
        fps: view.fps,
        latencyMs: view.latencyMs,
      };
    });
}

export class Liveness {
  private timer: NodeJS.Timeout | undefined;
  private lastCleanup = 0;
  private lastFlush = 0;
  private stopped = false;

  constructor(
    private readonly ctx: FleetContext,
    private readonly registry: WorkerRegistry,
    private readonly placement: Placement,
    private readonly views: LiveViews,
  ) {}

  start(): void {
    if (this.stopped) return;
    const shortest = shortestHeartbeat(this.ctx.workers.values(), this.ctx.config.WORKER_HEARTBEAT_MS);
    this.timer = setTimeout(
      () => void this.sweep().finally(() => this.start()),
      sweepIntervalMs(shortest, this.ctx.config.WORKER_DISCONNECT_GRACE_MS),
    );
    this.timer.unref();
  }

  private async sweep(): Promise<void> {
    const { ctx } = this;
    const now = Date.now();
    const rules = {
      misses: ctx.config.WORKER_OFFLINE_AFTER_MISSES,
      disconnectGraceMs: ctx.config.WORKER_DISCONNECT_GRACE_MS,
    };
    for (const state of ctx.workers.values()) {
      if (state.status === "OFFLINE" || offlineVerdict(state, rules, now) === null) continue;
      // Decided again inside serial(): a register queued before this may have brought the worker back.
      // (register replaces the state object, so look it up again.)
      await ctx.serial(async () => {
        const live = ctx.workers.get(state.id);
        const verdict = !live || live.status === "OFFLINE" ? null : offlineVerdict(live, rules, Date.now());
        if (live && verdict === "disconnected")
          await this.markOffline(live, `connection closed, not back within ${rules.disconnectGraceMs} ms`);
        else if (live && verdict === "missed-heartbeats")
          await this.markOffline(live, `missed ${rules.misses} heartbeats`);
      });
    }
    // Heartbeat bookkeeping reaches the database in one statement every few seconds, not per beat:
    // embedded PGlite runs on this thread, so frequent writes would delay every heartbeat reply.
    if (now - this.lastFlush >= FLUSH_INTERVAL_MS) {
      this.lastFlush = now;
      await this.flush().catch((error) => ctx.logger.warn({ err: error }, "heartbeat flush failed"));
    }
    if (cleanupDue(now, this.lastCleanup, ctx.config.WORKER_STALE_RETENTION_HOURS)) {
      this.lastCleanup = now;
      await this.cleanupStale().catch((error) => ctx.logger.warn({ err: error }, "stale worker cleanup failed"));
    }
  }

  /** W5 + W11: OFFLINE, its cameras leave it at once and go to healthy workers with capacity. Call inside serial(). */
  private async markOffline(state: WorkerState, reason: string): Promise<void> {
    if (state.status === "OFFLINE" || this.ctx.isClosed()) return;
    state.link?.disconnect(); // a stalled but connected worker must re-register and learn its (new) assignments
    state.link = null;
    state.disconnectedAtMs = undefined;
    const mine = assignmentsOf(this.ctx.current.values(), state.id);
    await this.ctx.commands.cancelForWorker(state.id, "Worker went OFFLINE", "assignment");
    await this.placement.endCurrent(mine, "failed", "worker-offline", `Worker ${state.name} went OFFLINE`);
    await this.registry.setStatus(state, "OFFLINE", reason);
    this.ctx.logger.warn(
      { workerId: state.id, cameras: mine.length, reason },
      "worker OFFLINE; failing over its cameras",
    );
    for (const tenantId of tenantsAffected(state, mine)) await this.placement.reconcileNow(tenantId, "failover");
  }

  async flush(): Promise<void> {
    const rows = flushRows(this.ctx.workers.values());
    const samples = sampleRows(this.ctx.workers.values());
    for (const w of this.ctx.workers.values()) w.dirty = false;
    await store.flushSeen(this.ctx.db, rows);
    await store.insertMetricSamples(this.ctx.db, samples);
  }

  private async cleanupStale(): Promise<void> {
    const { ctx } = this;
    const cutoff = new Date(Date.now() - ctx.config.WORKER_STALE_RETENTION_HOURS * 3600_000);
    const removed = await ctx.serial(async () => {
      const ids = await store.deleteStaleWorkers(ctx.db, cutoff);
      for (const id of ids) {
        const state = ctx.workers.get(id);
        ctx.workers.delete(id);
        if (state) this.views.publishWorkerRemoved(state);
      }
      return ids;
    });
    await store.purgeStatusHistory(ctx.db, new Date(Date.now() - STATUS_HISTORY_DAYS * 86400_000));
    await store.purgeMetricSamples(ctx.db, new Date(Date.now() - METRIC_SAMPLE_DAYS * 86400_000));
    if (removed.length) ctx.logger.info({ removed }, "stale workers removed");
  }

  /** Idempotent: stops the sweep (a sweep in progress finishes). */
  close(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
