// Keeps the detection count aggregates exact for late events (T2, T3). Real-time aggregates compute rows above the
// materialisation watermark on read; db/timescale/jobs.ts refreshes the last 3 hours (1m) and 2 days (1h) every
// run. A spool replayed after a longer outage lands below that: its buckets are refreshed here, debounced.
import { sql } from "drizzle-orm";
import type { Db } from "../../../db/client";

const MINUTE = 60_000;
const HOUR = 3600_000;
const DAY = 24 * HOUR;
// Matches db/timescale/jobs.ts: lookback of the periodic refresh, lag left to real-time aggregation. Hierarchical
// levels come after the level they read. Daily levels are materialised up to the current UTC day (lag one hour, and
// a refresh only materialises whole buckets), so only today is computed on read.
export const DETECTION_COUNT_VIEWS = [
  { view: "detection_counts_1m", unit: MINUTE, lag: MINUTE, lookback: 3 * HOUR },
  { view: "detection_counts_1h", unit: HOUR, lag: HOUR, lookback: 48 * HOUR },
  // Daily (UTC) counts on the hourly ones (migration 0010), refreshed after them.
  { view: "detection_counts_1d", unit: DAY, lag: HOUR, lookback: 7 * DAY },
  // Tenant-wide levels for "All cameras" (migration 0013).
  { view: "detection_counts_tenant_1m", unit: MINUTE, lag: MINUTE, lookback: 3 * HOUR },
  { view: "detection_counts_tenant_1h", unit: HOUR, lag: HOUR, lookback: 48 * HOUR },
  { view: "detection_counts_tenant_1d", unit: DAY, lag: HOUR, lookback: 7 * DAY },
  // Per-camera totals for "Top devices" (migration 0015), on detection_counts_1m.
  { view: "detection_camera_totals_1h", unit: HOUR, lag: HOUR, lookback: 48 * HOUR },
  { view: "detection_camera_totals_1d", unit: DAY, lag: HOUR, lookback: 7 * DAY },
] as const;

export interface RefreshWindow {
  view: string;
  start: Date;
  end: Date;
}

/**
 * Pure: bucket-aligned refreshes of every level for events between `from` and `to`, never into the still-open
 * buckets. `onlyLate` keeps the levels whose periodic refresh will not reach them (older than its lookback, with a
 * margin).
 */
export function refreshWindows(from: Date, to: Date, now: number, onlyLate: boolean): RefreshWindow[] {
  const windows: RefreshWindow[] = [];
  for (const { view, unit, lag, lookback } of DETECTION_COUNT_VIEWS) {
    if (onlyLate && from.getTime() > now - lookback + 5 * MINUTE) continue;
    const start = Math.floor(from.getTime() / unit) * unit;
    const end = Math.min(Math.ceil((to.getTime() + 1) / unit) * unit, Math.floor((now - lag) / unit) * unit);
    if (start < end) windows.push({ view, start: new Date(start), end: new Date(end) });
  }
  return windows;
}

/** Pure: the refreshes late events between `from` and `to` need (see refreshWindows). */
export function lateRefreshWindows(from: Date, to: Date, now = Date.now()): RefreshWindow[] {
  return refreshWindows(from, to, now, true);
}

export async function refreshWindow(db: Db, w: RefreshWindow): Promise<void> {
  await db.execute(
    sql`CALL refresh_continuous_aggregate(${w.view}::regclass, ${w.start.toISOString()}::timestamptz, ${w.end.toISOString()}::timestamptz)`,
  );
}

/** Debounced: late spans coalesce into one refresh per view. */
export class LateAggregateRefresher {
  private pending: { from: number; to: number } | null = null;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly onError: (error: unknown) => void,
    private readonly delayMs = 500,
  ) {}

  note(from: Date, to: Date): void {
    if (!lateRefreshWindows(from, to).length) return;
    this.pending = this.pending
      ? { from: Math.min(this.pending.from, from.getTime()), to: Math.max(this.pending.to, to.getTime()) }
      : { from: from.getTime(), to: to.getTime() };
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const span = this.pending;
      this.pending = null;
      if (span) this.running = this.running.then(() => this.refresh(new Date(span.from), new Date(span.to)));
    }, this.delayMs);
    this.timer.unref();
  }

  private async refresh(from: Date, to: Date): Promise<void> {
    for (const w of lateRefreshWindows(from, to)) {
      try {
        await refreshWindow(this.db, w);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  /** Waits for a scheduled refresh (tests, shutdown). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      const span = this.pending;
      this.pending = null;
      if (span) this.running = this.running.then(() => this.refresh(new Date(span.from), new Date(span.to)));
    }
    await this.running;
  }
}
