// The productivity background loop, created and closed by server.ts (create() / idempotent close()): runs the drift check for every
// tenant on a schedule, and forwards ingest/alert notifications to tenant rooms (throttled to one
// "productivity:events" per tenant per second, so a busy ingest does not flood browsers).
import type { Db } from "../../../db/client";
import type { Logger } from "../../logger.server";
import type { Realtime } from "../../realtime.server";
import { lateRefreshQueue } from "./aggregates.server";
import { checkDriftForAllTenants, onAlertRaised } from "./drift.server";
import { onEventsStored, type StoredSummary } from "./ingest.server";

const EMIT_EVERY_MS = 1000;

export class ProductivityScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  private closing: Promise<void> | undefined;
  private readonly unsubscribe: Array<() => void> = [];
  private readonly pendingEmits = new Map<string, { held: StoredSummary | null; timer: NodeJS.Timeout }>();

  private constructor(
    private readonly db: Db,
    private readonly realtime: Pick<Realtime, "emitToTenant">,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  static create(
    db: Db,
    realtime: Pick<Realtime, "emitToTenant">,
    logger: Logger,
    options: { driftIntervalMs?: number } = {},
  ): ProductivityScheduler {
    const scheduler = new ProductivityScheduler(db, realtime, logger, options.driftIntervalMs ?? 60_000);
    lateRefreshQueue.onError = (error) => logger.warn({ err: error }, "late-event aggregate refresh failed");
    scheduler.unsubscribe.push(onEventsStored((summary) => scheduler.emitStored(summary)));
    scheduler.unsubscribe.push(
      onAlertRaised((tenantId, alert) => {
        logger.info(
          { tenantId, kind: alert.kind, model: `${alert.model_id}@${alert.model_version}` },
          "productivity alert raised",
        );
        realtime.emitToTenant(tenantId, "productivity:alert", {
          id: alert.id,
          kind: alert.kind,
          message: alert.message,
        });
      }),
    );
    scheduler.schedule();
    return scheduler;
  }

  /** Emits at once, then holds further notifications for a second and sends their sum once. */
  private emitStored(summary: StoredSummary): void {
    const pending = this.pendingEmits.get(summary.tenantId);
    if (pending) {
      pending.held = { ...summary, stored: (pending.held?.stored ?? 0) + summary.stored };
      return;
    }
    this.realtime.emitToTenant(summary.tenantId, "productivity:events", {
      stored: summary.stored,
      latest: summary.latest,
    });
    const entry: { held: StoredSummary | null; timer: NodeJS.Timeout } = {
      held: null,
      timer: setTimeout(() => {
        this.pendingEmits.delete(summary.tenantId);
        if (entry.held) {
          this.realtime.emitToTenant(summary.tenantId, "productivity:events", {
            stored: entry.held.stored,
            latest: entry.held.latest,
          });
        }
      }, EMIT_EVERY_MS),
    };
    entry.timer.unref();
    this.pendingEmits.set(summary.tenantId, entry);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runDriftChecks().finally(() => this.schedule());
    }, this.intervalMs);
    this.timer.unref();
  }

  async runDriftChecks(): Promise<void> {
    const started = performance.now();
    try {
      const results = await checkDriftForAllTenants(this.db);
      const raised = results.reduce((n, r) => n + r.raised.length, 0);
      this.logger.debug(
        { tenants: results.length, raised, ms: Math.round(performance.now() - started) },
        "drift check done",
      );
    } catch (error) {
      this.logger.warn({ err: error }, "drift check failed");
    }
  }

  /** Idempotent: later calls wait for the first call's drain. */
  close(): Promise<void> {
    this.closing ??= this.drain();
    return this.closing;
  }

  private async drain(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const off of this.unsubscribe) off();
    for (const { timer } of this.pendingEmits.values()) clearTimeout(timer);
    this.pendingEmits.clear();
    await this.running;
    await lateRefreshQueue.flush();
  }
}
