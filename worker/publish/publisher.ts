// Worker-side event delivery (SPEC T2): every event goes to the on-disk spool first, then to the server in batches
// over the worker socket, one batch in flight at a time, oldest first; it leaves the spool only once the server has
// answered for it (stored, duplicate or rejected). Failures are retried with backoff + jitter, and a reconnect
// replays everything pending at once. At-least-once here + idempotent ingest by event id on the server = exactly
// once. docs/decisions/0011-event-delivery.md.
import { closeSync, openSync, writeSync } from "node:fs";
import {
  eventBatchReplySchema,
  MAX_EVENTS_PER_BATCH,
  type DetectionEvent,
  type EventBatch,
  type EventBatchReply,
} from "../../protocol/events";
import { backoffDelay } from "../backoff";
import { uuidv7 } from "./envelope";
import { EventSpool, silentLogger, type PublishLogger, type SpoolRecord, type SpoolStats } from "./spool";

export type SendBatch = (batch: EventBatch) => Promise<EventBatchReply>;

export interface EventPublisherOptions {
  /** The spool directory (`spoolDirFor(stateDir, workerId)`). */
  dir: string;
  /** Sends one batch ("v1:events") and resolves with the server's reply; rejects when not connected or not
   * acknowledged in time. */
  send: SendBatch;
  logger?: PublishLogger;
  /** How long a partial batch waits for more events. Default 200 ms. */
  lingerMs?: number;
  /** Events per batch, at most MAX_EVENTS_PER_BATCH (the default). */
  maxBatchEvents?: number;
  /** A send that has neither resolved nor rejected after this long counts as failed. Default 30 s. */
  sendTimeoutMs?: number;
  /** Retry delays after a failed send (exponential with jitter). Default 500 ms .. 30 s. */
  retry?: { baseMs: number; maxMs: number };
  /** Spool bound in bytes. Default 256 MiB. */
  maxBytes?: number;
  segmentBytes?: number;
  /** See EventSpool: fdatasync at most this often; 0 = after every append. Default 1000. */
  fsyncIntervalMs?: number;
  /** When set, the id of every event accepted into the spool is appended to this file, one per line (the
   * exactly-once integration test compares it with the database). Events dropped by a full spool are not listed. */
  eventLogPath?: string;
  random?: () => number;
}

export interface PublisherDetails extends SpoolStats {
  /** Events in the batch awaiting the server's reply. */
  inFlight: number;
  batchesAcked: number;
  stored: number;
  duplicates: number;
  rejected: number;
  sendFailures: number;
  /** Torn or corrupt spool records skipped at start-up (a crash cut a write short). */
  corruptRecords: number;
}

class SendTimeoutError extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SendTimeoutError(`no reply within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class EventPublisher {
  private readonly spool: EventSpool;
  private readonly send: SendBatch;
  private readonly logger: PublishLogger;
  private readonly lingerMs: number;
  private readonly maxBatch: number;
  private readonly sendTimeoutMs: number;
  private readonly retry: { baseMs: number; maxMs: number };
  private readonly random: () => number;
  private timer: NodeJS.Timeout | undefined;
  private timerKind: "linger" | "retry" | null = null;
  private inFlight: SpoolRecord[] | null = null;
  private attempt = 0;
  private closed = false;
  private eventLogFd: number | null = null;
  private readonly listeners = new Set<(eventIds: string[]) => void>();
  private readonly flushWaiters = new Set<(delivered: boolean) => void>();
  private readonly counters = { batchesAcked: 0, stored: 0, duplicates: 0, rejected: 0, sendFailures: 0 };

  /** Opens (or creates) the spool; throws only if the directory cannot be used at all. */
  constructor(options: EventPublisherOptions) {
    this.send = options.send;
    this.logger = options.logger ?? silentLogger;
    this.lingerMs = Math.max(0, options.lingerMs ?? 200);
    this.maxBatch = Math.min(
      MAX_EVENTS_PER_BATCH,
      Math.max(1, Math.floor(options.maxBatchEvents ?? MAX_EVENTS_PER_BATCH)),
    );
    this.sendTimeoutMs = options.sendTimeoutMs ?? 30_000;
    this.retry = options.retry ?? { baseMs: 500, maxMs: 30_000 };
    this.random = options.random ?? Math.random;
    this.spool = new EventSpool({
      dir: options.dir,
      maxBytes: options.maxBytes,
      segmentBytes: options.segmentBytes,
      fsyncIntervalMs: options.fsyncIntervalMs,
      logger: this.logger,
    });
    if (options.eventLogPath) this.eventLogFd = openSync(options.eventLogPath, "a");
    // Whatever an earlier run left: try now (a failed send backs off until onConnected()).
    this.schedule(true);
  }

  /** Spools the event (write first), then sends it with the next batch. Never throws. */
  enqueue(event: DetectionEvent): void {
    try {
      if (!this.spool.append(event)) return;
      if (this.eventLogFd !== null) {
        try {
          writeSync(this.eventLogFd, `${event.eventId}\n`);
        } catch (error) {
          this.logger.warn({ error: (error as Error).message }, "event id log: write failed");
        }
      }
      this.schedule(this.flushWaiters.size > 0);
    } catch (error) {
      this.logger.error({ error: (error as Error).message }, "event publisher: enqueue failed");
    }
  }

  /** The worker (re)connected and registered: replay everything pending now, oldest first. */
  onConnected(): void {
    this.attempt = 0;
    this.schedule(true);
  }

  /** Called with the ids of each acknowledged batch that the server has (stored now or earlier; not rejected). */
  onDelivered(listener: (eventIds: string[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** For the heartbeat's `spool` field (exactly its four keys). */
  stats(): SpoolStats {
    return this.spool.stats();
  }

  details(): PublisherDetails {
    return {
      ...this.spool.stats(),
      inFlight: this.inFlight?.length ?? 0,
      ...this.counters,
      corruptRecords: this.spool.corruptRecords,
    };
  }

  /**
   * Graceful shutdown: sends what is pending now (no linger, no backoff wait) and resolves true once everything is
   * acknowledged, false at the timeout (what is left stays spooled for the next run). Syncs the spool either way.
   */
  flush(timeoutMs: number): Promise<boolean> {
    this.spool.sync();
    if (this.closed) return Promise.resolve(false);
    if (this.spool.pendingEvents === 0 && !this.inFlight) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (result: boolean) => {
        clearTimeout(timer);
        this.flushWaiters.delete(waiter);
        this.spool.sync();
        resolve(result);
      };
      const waiter = (delivered: boolean) => done(delivered);
      const timer = setTimeout(() => done(false), Math.max(0, timeoutMs));
      this.flushWaiters.add(waiter);
      this.schedule(true);
    });
  }

  /** Stops sending and closes the spool (pending events stay on disk). Idempotent. A reply to a batch in flight is
   * ignored: those events are replayed on the next run and the server counts them as duplicates. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearTimer();
    for (const waiter of [...this.flushWaiters]) waiter(false);
    this.flushWaiters.clear();
    this.spool.close();
    if (this.eventLogFd !== null) {
      try {
        closeSync(this.eventLogFd);
      } catch {
        // already closed
      }
      this.eventLogFd = null;
    }
  }

  // ---- sending ---------------------------------------------------------------------------------------------------

  private clearTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerKind = null;
  }

  /** Sends now (immediate, or a full batch is waiting), or arms the linger timer; a retry wait is only cut short by
   * an immediate request (onConnected, flush). */
  private schedule(immediate = false): void {
    if (this.closed || this.inFlight || this.spool.pendingEvents === 0) return;
    if (this.timerKind === "retry" && !immediate) return;
    if (immediate || this.spool.pendingEvents >= this.maxBatch) {
      this.clearTimer();
      void this.sendNext();
      return;
    }
    if (this.timer) return;
    this.timerKind = "linger";
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerKind = null;
      void this.sendNext();
    }, this.lingerMs);
    this.timer.unref();
  }

  private async sendNext(): Promise<void> {
    if (this.closed || this.inFlight) return;
    const records = this.spool.peek(this.maxBatch);
    if (records.length === 0) return;
    this.inFlight = records;
    const batch: EventBatch = { batchId: uuidv7(), events: records.map((r) => r.event) };
    let reply: EventBatchReply;
    try {
      const raw = await withTimeout(
        Promise.resolve().then(() => this.send(batch)),
        this.sendTimeoutMs,
      );
      const parsed = eventBatchReplySchema.safeParse(raw);
      if (!parsed.success) throw new Error(`malformed reply: ${parsed.error.issues[0]?.message ?? "?"}`);
      if (parsed.data.batchId !== batch.batchId) throw new Error("reply for another batch");
      reply = parsed.data;
    } catch (error) {
      this.inFlight = null;
      if (this.closed) return;
      this.counters.sendFailures += 1;
      const delay = backoffDelay(this.attempt++, this.retry, this.random);
      if (this.attempt === 1 || this.attempt % 10 === 0)
        this.logger.warn(
          {
            error: (error as Error).message,
            attempt: this.attempt,
            retryInMs: delay,
            pendingEvents: this.spool.pendingEvents,
          },
          "events not delivered; kept in the spool, retrying",
        );
      this.clearTimer();
      this.timerKind = "retry";
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.timerKind = null;
        void this.sendNext();
      }, delay);
      this.timer.unref();
      return;
    }
    this.inFlight = null;
    if (this.closed) return; // the spool is closed: these are replayed next run and deduplicated
    this.attempt = 0;
    const delivered = this.handleReply(records, reply);
    this.spool.ack(records);
    this.notify(delivered);
    if (this.spool.pendingEvents === 0) for (const waiter of [...this.flushWaiters]) waiter(true);
    this.schedule(this.flushWaiters.size > 0);
  }

  /** Counts and logs the reply; returns the ids the server has (stored now or earlier). */
  private handleReply(records: SpoolRecord[], reply: EventBatchReply): string[] {
    this.counters.batchesAcked += 1;
    this.counters.stored += reply.stored;
    this.counters.duplicates += reply.duplicates;
    this.counters.rejected += reply.rejected.length;
    const rejected = new Set<number>();
    for (const r of reply.rejected) {
      rejected.add(r.index);
      // Never accepted, never resent: say what and why.
      this.logger.error(
        { eventId: r.eventId ?? records[r.index]?.event.eventId, index: r.index, reason: r.message },
        "event rejected by the server; dropped",
      );
    }
    if (reply.stored + reply.duplicates + reply.rejected.length !== records.length)
      this.logger.warn(
        {
          events: records.length,
          stored: reply.stored,
          duplicates: reply.duplicates,
          rejected: reply.rejected.length,
        },
        "event batch reply does not add up; treating the batch as acknowledged",
      );
    return records.filter((_, i) => !rejected.has(i)).map((r) => r.event.eventId);
  }

  private notify(ids: string[]): void {
    for (const listener of this.listeners) {
      try {
        listener(ids);
      } catch (error) {
        this.logger.warn({ error: (error as Error).message }, "onDelivered listener threw");
      }
    }
  }
}
