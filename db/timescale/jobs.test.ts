// T3/O3: the audit hypertable, its (hierarchical) continuous aggregates, and the app-side job
// runner that refreshes them and applies retention where the database runs no background jobs.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { timescaledb } from "@electric-sql/pglite/timescaledb";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../client";
import { continuousAggregates, detectJobsMode, retentionJobs, TimescaleJobs, type JobsLogger } from "./jobs";

const warnings: unknown[] = [];
const logger: JobsLogger = { info() {}, debug() {}, warn: (obj) => warnings.push(obj) };

let dataDir: string;
let handle: DatabaseHandle;
let jobs: TimescaleJobs;
const tenant = randomUUID();

interface Cagg {
  view_name: string;
  hypertable_name: string;
  materialization_hypertable_name: string;
  materialized_only: boolean;
}

async function caggs(): Promise<Record<string, Cagg>> {
  const rows =
    await handle.query<Cagg>(sql`SELECT view_name, hypertable_name, materialization_hypertable_name, materialized_only
    FROM timescaledb_information.continuous_aggregates`);
  return Object.fromEntries(rows.map((r) => [r.view_name, r]));
}

/** Sum of events for our tenant in the materialised rows only (what a refresh wrote). */
async function materialisedSum(view: string): Promise<number> {
  const table = (await caggs())[view].materialization_hypertable_name;
  const [row] = await handle.query<{ n: number }>(
    sql`SELECT coalesce(sum(events), 0)::int AS n FROM ${sql.identifier("_timescaledb_internal")}.${sql.identifier(table)} WHERE tenant_id = ${tenant}`,
  );
  return Number(row.n);
}

/** Sum through the real-time view (materialised + not yet materialised). */
async function viewSum(view: string): Promise<number> {
  const [row] = await handle.query<{ n: number }>(
    sql`SELECT coalesce(sum(events), 0)::int AS n FROM ${sql.identifier(view)} WHERE tenant_id = ${tenant}`,
  );
  return Number(row.n);
}

async function watermark(view: string): Promise<Date | null> {
  const [row] = await handle.query<{ w: Date | string | null }>(sql`
    SELECT _timescaledb_functions.to_timestamp(_timescaledb_functions.cagg_watermark(c.mat_hypertable_id)) AS w
    FROM _timescaledb_catalog.continuous_agg c WHERE c.user_view_name = ${view}`);
  const w = row?.w;
  if (w === null || w === undefined || w === "-infinity") return null;
  const date = new Date(w);
  return Number.isFinite(date.getTime()) && date.getUTCFullYear() > 1000 ? date : null;
}

/** Inserts `count` audit rows at `now() - ago`. */
async function insertAt(ago: string, count: number, action = "test.event"): Promise<void> {
  await handle.query(sql`INSERT INTO audit_events (time, tenant_id, action)
    SELECT now() - ${ago}::interval, ${tenant}::uuid, ${action} FROM generate_series(1, ${count})`);
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "argus-jobs-"));
  handle = await openDatabase({ dataDir });
  await handle.migrate();
  jobs = new TimescaleJobs(handle, "app", logger, 60_000);
}, 60_000);

afterAll(async () => {
  await jobs?.close();
  await handle?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("T3 TimescaleDB objects", () => {
  it("T3: audit_events is a hypertable", async () => {
    const rows = await handle.query<{ hypertable_name: string }>(
      sql`SELECT hypertable_name FROM timescaledb_information.hypertables WHERE hypertable_schema = 'public'`,
    );
    expect(rows.map((r) => r.hypertable_name)).toContain("audit_events");
  });

  it("T3/O3: every aggregate and retention target the job registry names exists in the database", async () => {
    const all = await caggs();
    for (const job of continuousAggregates) expect(all[job.view], job.view).toBeDefined();
    const hypertables = await handle.query<{ hypertable_name: string }>(
      sql`SELECT hypertable_name FROM timescaledb_information.hypertables`,
    );
    for (const job of retentionJobs) expect(hypertables.map((h) => h.hypertable_name)).toContain(job.hypertable);
  });

  it("T3: both audit continuous aggregates exist, real-time, and audit_activity_1h is built on audit_activity_1m", async () => {
    const all = await caggs();
    expect(Object.keys(all)).toEqual(expect.arrayContaining(["audit_activity_1h", "audit_activity_1m"]));
    expect(all.audit_activity_1m.hypertable_name).toBe("audit_events");
    // Hierarchical: the hourly aggregate's source hypertable is the minute aggregate's materialisation.
    expect(all.audit_activity_1h.hypertable_name).toBe(all.audit_activity_1m.materialization_hypertable_name);
    expect(all.audit_activity_1m.materialized_only).toBe(false);
    expect(all.audit_activity_1h.materialized_only).toBe(false);
  });

  it("O3: detectJobsMode picks the app for the embedded database and honours an explicit choice", async () => {
    expect(await detectJobsMode(handle, "auto")).toBe("app");
    expect(await detectJobsMode(handle, "database")).toBe("database");
  });
});

describe("O3 app-side jobs: refresh and retention", () => {
  it("T3/O3: runOnce materialises both aggregates (minute and hour buckets) and moves the watermark", async () => {
    await insertAt("5 hours", 3);
    await insertAt("4 hours", 2);
    await insertAt("150 minutes", 4);
    const newestRowNotBefore = Date.now() - 149 * 60_000;
    await insertAt("149 minutes", 1);
    // Nothing materialised yet (created WITH NO DATA), but real-time views already count every row.
    expect(await materialisedSum("audit_activity_1m")).toBe(0);
    expect(await materialisedSum("audit_activity_1h")).toBe(0);
    expect(await watermark("audit_activity_1m")).toBeNull();
    expect(await viewSum("audit_activity_1m")).toBe(10);
    expect(await viewSum("audit_activity_1h")).toBe(10);

    await jobs.runOnce();
    expect(warnings).toEqual([]);
    expect(await materialisedSum("audit_activity_1m")).toBe(10);
    expect(await materialisedSum("audit_activity_1h")).toBe(10);
    const [buckets] = await handle.query<{ minutes: number; hours: number }>(sql`SELECT
      (SELECT count(*)::int FROM audit_activity_1m WHERE tenant_id = ${tenant}) AS minutes,
      (SELECT count(*)::int FROM audit_activity_1h WHERE tenant_id = ${tenant}) AS hours`);
    expect(buckets.minutes).toBe(4);
    expect(buckets.hours).toBeGreaterThanOrEqual(3);
    const mark = await watermark("audit_activity_1m");
    expect(mark).not.toBeNull();
    // The watermark is the end of the newest materialised bucket: past the newest row (149 min before its insert;
    // measured from then, not from now, which a slow run can push past the end of that row's minute).
    expect(mark!.getTime()).toBeGreaterThan(newestRowNotBefore);
    // Views do not double count materialised + real-time rows.
    expect(await viewSum("audit_activity_1m")).toBe(10);
    expect(await viewSum("audit_activity_1h")).toBe(10);
  });

  it("O3: later runs refresh incrementally inside the lookback window", async () => {
    await insertAt("30 minutes", 5);
    await insertAt("100 minutes", 2, "late.event"); // late arrival into an already materialised range
    expect(await materialisedSum("audit_activity_1m")).toBe(10);
    await jobs.runOnce();
    expect(await materialisedSum("audit_activity_1m")).toBe(17);
    expect((await watermark("audit_activity_1m"))!.getTime()).toBeGreaterThan(Date.now() - 30 * 60_000);
    expect(await viewSum("audit_activity_1m")).toBe(17);
    expect(await viewSum("audit_activity_1h")).toBe(17);
  });

  it("T3/O3: retention drops rows older than 400 days and keeps recent ones", async () => {
    await insertAt("500 days", 1, "ancient.event");
    const before = await handle.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'ancient.event'`,
    );
    expect(before[0].n).toBe(1);
    await jobs.runOnce();
    const [after] = await handle.query<{ ancient: number; recent: number }>(sql`SELECT
      count(*) FILTER (WHERE action = 'ancient.event')::int AS ancient,
      count(*) FILTER (WHERE action <> 'ancient.event')::int AS recent
      FROM audit_events WHERE tenant_id = ${tenant}`);
    expect(after).toEqual({ ancient: 0, recent: 17 });
    expect(warnings).toEqual([]);
  });
});

describe("T3 reopening a persisted data dir", () => {
  it("T3: close + reopen, migrate() is a no-op, inserts into the hypertable work", async () => {
    const [{ n: migrationsBefore }] = await handle.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`,
    );
    expect(migrationsBefore).toBeGreaterThanOrEqual(2);
    await jobs.close();
    await handle.close();

    handle = await openDatabase({ dataDir });
    await handle.migrate();
    const [{ n: migrationsAfter }] = await handle.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`,
    );
    expect(migrationsAfter).toBe(migrationsBefore);
    await insertAt("1 minute", 3, "after.reopen");
    const [row] = await handle.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = ${tenant}`,
    );
    expect(row.n).toBe(20);
    // Aggregates survived the restart and a fresh runner refreshes them again.
    jobs = new TimescaleJobs(handle, "app", logger, 60_000);
    await jobs.runOnce();
    expect(await materialisedSum("audit_activity_1m")).toBeGreaterThanOrEqual(17);
    expect(await viewSum("audit_activity_1m")).toBe(20);
    expect(warnings).toEqual([]);
  }, 60_000);

  it("T3: documents the pitfall openDatabase guards against: without LOAD 'timescaledb' a reopened dir rejects hypertable inserts", async () => {
    await jobs.close();
    await handle.close();
    const raw = await PGlite.create({ dataDir: path.resolve(dataDir, "pglite"), extensions: { timescaledb } });
    try {
      await expect(raw.query(`INSERT INTO audit_events (action) VALUES ('raw.insert')`)).rejects.toThrow(/hypertable/i);
    } finally {
      await raw.close();
    }
    handle = await openDatabase({ dataDir });
  }, 60_000);
});
