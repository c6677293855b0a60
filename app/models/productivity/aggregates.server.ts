// Keeps the productivity continuous aggregates exact. Real-time aggregates only compute rows above
// the materialisation watermark on the fly; a late (out-of-order) event below it stays invisible
// until its bucket is refreshed. db/timescale/jobs.ts refreshes recent buckets periodically; this
// module refreshes exactly the buckets late events touched, debounced, right after they arrive.
import { sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { singleton } from "../../utils/singleton.server";

const HOUR = 3600_000;
const DAY = 24 * HOUR;
// Lags match db/timescale/jobs.ts: the newest buckets stay real-time (computed from raw rows on
// read), so events for them are visible at once without any refresh.
const VIEWS = [
  { view: "productivity_events_1h", unit: HOUR, lag: HOUR },
  { view: "productivity_events_1d", unit: DAY, lag: DAY },
] as const;

/** Events older than this are behind the hourly watermark and need their buckets refreshed. */
export function realtimeHorizon(now = Date.now()): number {
  return Math.floor((now - HOUR) / HOUR) * HOUR;
}

export async function refreshProductivityAggregates(
  db: Db,
  from: Date | null = null,
  to: Date | null = null,
): Promise<void> {
  const now = Date.now();
  for (const { view, unit, lag } of VIEWS) {
    const open = Math.floor((now - lag) / unit) * unit;
    const end = Math.min(to ? Math.ceil(to.getTime() / unit) * unit : open, open);
    const start = from ? Math.floor(from.getTime() / unit) * unit : null;
    if (start !== null && start >= end) continue;
    const startSql = start === null ? sql`NULL::timestamptz` : sql`${new Date(start).toISOString()}::timestamptz`;
    await db.execute(
      sql`CALL refresh_continuous_aggregate(${view}::regclass, ${startSql}, ${new Date(end).toISOString()}::timestamptz)`,
    );
  }
}

/**
 * The same over [from, to] in day-aligned windows of `sliceMs` (O3): a refresh materialises its whole window in
 * one statement (every tenant's rows in it), so a large span goes a few days at a time, bounded in memory.
 */
export async function refreshProductivityAggregatesInSlices(
  db: Db,
  from: Date,
  to: Date,
  sliceMs = 2 * DAY,
): Promise<number> {
  return refreshProductivityAggregatesForDays(
    db,
    daysBetween(from.getTime(), to.getTime()),
    Math.max(1, Math.floor(sliceMs / DAY)),
  );
}

/**
 * Refreshes the aggregates over the given UTC days only (day starts in ms; any order, repeats fine), runs of
 * consecutive days together up to `maxDaysPerWindow`. For deletes and generation: only the days that had rows.
 * Returns the number of windows refreshed.
 */
export async function refreshProductivityAggregatesForDays(
  db: Db,
  dayStarts: Iterable<number>,
  maxDaysPerWindow = 2,
): Promise<number> {
  const days = [...new Set([...dayStarts].map((d) => Math.floor(d / DAY) * DAY))].sort((x, y) => x - y);
  let windows = 0;
  for (let i = 0; i < days.length;) {
    let j = i + 1;
    while (j < days.length && j - i < maxDaysPerWindow && days[j] === days[j - 1] + DAY) j++;
    await refreshProductivityAggregates(db, new Date(days[i]), new Date(days[j - 1] + DAY));
    windows++;
    i = j;
  }
  return windows;
}

/** The UTC day starts (ms) that [fromMs, toMs] touches. */
export function daysBetween(fromMs: number, toMs: number): number[] {
  const days: number[] = [];
  for (let day = Math.floor(fromMs / DAY) * DAY; day <= toMs; day += DAY) days.push(day);
  return days;
}

interface LateWindow {
  from: number;
  to: number;
}

class LateRefreshQueue {
  private pending: LateWindow | null = null;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private db: Db | undefined;
  onError: (error: unknown) => void = () => {};

  schedule(db: Db, from: Date, to: Date, delayMs = 300): void {
    this.db = db;
    this.pending = this.pending
      ? { from: Math.min(this.pending.from, from.getTime()), to: Math.max(this.pending.to, to.getTime()) }
      : { from: from.getTime(), to: to.getTime() };
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
    this.timer.unref();
  }

  /** Runs whatever is pending now; resolves when the refresh (and any earlier one) is done. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const window = this.pending;
    const db = this.db;
    this.pending = null;
    if (!window || !db) return this.running;
    this.running = this.running
      .then(() => refreshProductivityAggregates(db, new Date(window.from), new Date(window.to + 1)))
      .catch((error) => this.onError(error));
    return this.running;
  }
}

export const lateRefreshQueue = singleton("productivity-late-refresh", () => new LateRefreshQueue());

/**
 * Called after ingest with the stored events' time span. Only events behind the real-time horizon
 * need it; the returned promise settles when their buckets are refreshed, so the ingest response
 * comes after the data is visible (read-your-writes). Concurrent late batches coalesce.
 */
export function noteStoredSpan(db: Db, min: Date, max: Date): Promise<void> {
  if (min.getTime() >= realtimeHorizon()) return Promise.resolve();
  lateRefreshQueue.schedule(db, min, max);
  return lateRefreshQueue.flush();
}
