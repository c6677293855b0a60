// Background jobs for time series (SPEC T3, O3): continuous-aggregate refresh and retention.
// One registry says what exists; one scheduler decides who runs it. A TimescaleDB server with
// background workers runs its own policies; embedded PGlite runs none, so the app refreshes.
import { type SQL, sql } from "drizzle-orm";
import type { DatabaseHandle } from "../client";

export interface ContinuousAggregateJob {
  view: string;
  /** How far back each incremental refresh looks (catches late and out-of-order rows). */
  lookback: string;
  /** Newest data left to real-time aggregation (the still-open bucket). */
  lag: string;
}

export interface RetentionJob {
  hypertable: string;
  dropAfter: string;
}

/** Order matters: hierarchical aggregates come after the aggregates they read. */
export const continuousAggregates: ContinuousAggregateJob[] = [
  { view: "audit_activity_1m", lookback: "3 hours", lag: "1 minute" },
  { view: "audit_activity_1h", lookback: "2 days", lag: "1 hour" },
  // Factory productivity (P2). Older late rows are refreshed on ingest (app/models/productivity/aggregates.server.ts).
  { view: "productivity_events_1h", lookback: "2 days", lag: "1 hour" },
  { view: "productivity_events_1d", lookback: "7 days", lag: "1 day" },
  // Detection counts (T3, D3). Spool replays older than the lookback are refreshed on ingest
  // (app/models/detections/aggregates.server.ts).
  { view: "detection_counts_1m", lookback: "3 hours", lag: "1 minute" },
  { view: "detection_counts_1h", lookback: "2 days", lag: "1 hour" },
  // Daily counts on the hourly ones (V2, migration 0010): UTC days, read for 1d buckets in UTC.
  // Materialised up to the current UTC day (only whole buckets are), so only today is computed on read.
  { view: "detection_counts_1d", lookback: "7 days", lag: "1 hour" },
  // Tenant-wide levels for "All cameras" (migration 0013), same rhythm.
  { view: "detection_counts_tenant_1m", lookback: "3 hours", lag: "1 minute" },
  { view: "detection_counts_tenant_1h", lookback: "2 days", lag: "1 hour" },
  { view: "detection_counts_tenant_1d", lookback: "7 days", lag: "1 hour" },
  // Per-camera totals for "Top devices" (migration 0015), on detection_counts_1m.
  { view: "detection_camera_totals_1h", lookback: "2 days", lag: "1 hour" },
  { view: "detection_camera_totals_1d", lookback: "7 days", lag: "1 hour" },
];

export const retentionJobs: RetentionJob[] = [
  { hypertable: "audit_events", dropAfter: "400 days" },
  { hypertable: "productivity_events", dropAfter: "400 days" }, // P1
];

/** T3: detection retention comes from config (DETECTION_RAW_RETENTION_DAYS, DETECTION_AGGREGATE_RETENTION_DAYS). */
export function detectionRetentionJobs(rawDays: number, aggregateDays: number): RetentionJob[] {
  return [
    { hypertable: "detection_events", dropAfter: `${rawDays} days` },
    { hypertable: "detection_counts_1m", dropAfter: `${aggregateDays} days` },
    { hypertable: "detection_counts_1h", dropAfter: `${aggregateDays} days` },
    { hypertable: "detection_counts_1d", dropAfter: `${aggregateDays} days` },
    { hypertable: "detection_counts_tenant_1m", dropAfter: `${aggregateDays} days` },
    { hypertable: "detection_counts_tenant_1h", dropAfter: `${aggregateDays} days` },
    { hypertable: "detection_counts_tenant_1d", dropAfter: `${aggregateDays} days` },
    { hypertable: "detection_camera_totals_1h", dropAfter: `${aggregateDays} days` },
    { hypertable: "detection_camera_totals_1d", dropAfter: `${aggregateDays} days` },
  ];
}

/**
 * Row-level retention the drop_chunks policies cannot express (a per-tenant period). Run by the app in both modes
 * (TimescaleDB's own jobs only drop whole chunks).
 */
export interface RetentionSweep {
  name: string;
  statement: SQL;
}

/**
 * Issue 14 (S1, docs/staff.md): face events older than their tenant's face_settings.event_retention_days; a tenant
 * without settings keeps them `defaultDays` (the settings' default, 30: shorter than detection events).
 */
export function faceEventRetentionSweep(defaultDays: number): RetentionSweep {
  return {
    name: "face_events (per-tenant retention)",
    statement: sql`DELETE FROM face_events f WHERE f.corrected_utc < now() - INTERVAL '1 day'
      AND f.corrected_utc < now() - make_interval(days => COALESCE(
        (SELECT s.event_retention_days FROM face_settings s WHERE s.tenant_id = f.tenant_id), ${defaultDays}::int))`,
  };
}

export type JobsMode = "app" | "database";

export interface JobsLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

/** Embedded: always the app. Server: the database when TimescaleDB's job launcher is running. */
export async function detectJobsMode(handle: DatabaseHandle, requested: "auto" | JobsMode): Promise<JobsMode> {
  if (requested !== "auto") return requested;
  if (handle.kind === "embedded") return "app";
  const rows = await handle.query<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type ILIKE 'TimescaleDB Background Worker Launcher%'`,
  );
  return Number(rows[0]?.n ?? 0) > 0 ? "database" : "app";
}

export class TimescaleJobs {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private firstRun = true;

  constructor(
    private readonly handle: DatabaseHandle,
    readonly mode: JobsMode,
    private readonly logger: JobsLogger,
    private readonly intervalMs: number,
    /** Retention to apply: the fixed jobs above plus configured ones (detectionRetentionJobs). */
    private readonly retention: RetentionJob[] = retentionJobs,
    /** Row-level retention (faceEventRetentionSweep), run by the app in both modes. */
    private readonly sweeps: RetentionSweep[] = [],
  ) {}

  /** Installs the policies (database mode) or runs once and schedules the loop (app mode); close() stops it. */
  static async create(
    handle: DatabaseHandle,
    mode: JobsMode,
    logger: JobsLogger,
    intervalMs: number,
    retention: RetentionJob[] = retentionJobs,
    sweeps: RetentionSweep[] = [],
  ): Promise<TimescaleJobs> {
    const jobs = new TimescaleJobs(handle, mode, logger, intervalMs, retention, sweeps);
    await jobs.start();
    return jobs;
  }

  private async start(): Promise<void> {
    if (this.mode === "database") {
      await this.installPolicies();
      if (!this.sweeps.length) return;
      await this.runSweeps();
    } else await this.runOnce();
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const run = this.mode === "database" ? this.runSweeps() : this.runOnce();
      this.running = run.finally(() => this.schedule());
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Refreshes every aggregate (all history on the first run) and applies retention. */
  async runOnce(): Promise<void> {
    const full = this.firstRun;
    this.firstRun = false;
    for (const job of continuousAggregates) {
      const started = performance.now();
      try {
        const start = full ? sql`NULL` : sql`now() - ${job.lookback}::interval`;
        await this.handle.query(
          sql`CALL refresh_continuous_aggregate(${job.view}::regclass, ${start}, now() - ${job.lag}::interval)`,
        );
        this.logger.debug(
          { view: job.view, full, ms: Math.round(performance.now() - started) },
          "continuous aggregate refreshed",
        );
      } catch (error) {
        this.logger.warn({ view: job.view, err: error }, "continuous aggregate refresh failed");
      }
    }
    for (const job of this.retention) {
      try {
        await this.handle.query(
          sql`SELECT drop_chunks(${job.hypertable}::regclass, older_than => ${job.dropAfter}::interval)`,
        );
      } catch (error) {
        this.logger.warn({ hypertable: job.hypertable, err: error }, "retention failed");
      }
    }
    await this.runSweeps();
  }

  /** Row-level retention; a failure is logged and retried on the next run. */
  async runSweeps(): Promise<void> {
    for (const sweep of this.sweeps) {
      try {
        await this.handle.query(sweep.statement);
      } catch (error) {
        this.logger.warn({ sweep: sweep.name, err: error }, "retention sweep failed");
      }
    }
  }

  private async installPolicies(): Promise<void> {
    for (const job of continuousAggregates) {
      await this.handle.query(sql`SELECT add_continuous_aggregate_policy(${job.view}::regclass,
        start_offset => ${job.lookback}::interval, end_offset => ${job.lag}::interval,
        schedule_interval => INTERVAL '1 minute', if_not_exists => true)`);
    }
    for (const job of this.retention) {
      await this.handle.query(
        sql`SELECT add_retention_policy(${job.hypertable}::regclass, drop_after => ${job.dropAfter}::interval, if_not_exists => true)`,
      );
    }
    this.logger.info(
      { aggregates: continuousAggregates.length, retention: this.retention.length },
      "timescaledb policies installed",
    );
  }

  /** Idempotent: stops the loop and waits for a run in progress. */
  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
