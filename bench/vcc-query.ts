// VCC dashboard query cost (issue 11, T3): p50/p95 of queryVcc (hierarchical continuous aggregates) against the
// same counts computed from raw detection_events, same run, same database.
//   npm run bench:vcc                                    embedded PGlite + TimescaleDB in a temporary data dir
//   npm run bench:vcc -- --cameras=50 --days=30 --rate=56 --runs=15
// Seeds through the generator (the ingest path, batches of 10,000), refreshes the aggregates as the periodic job
// would, then times: 1 day at 1m, 7 days at 5m, 30 days at 1h, 30 days at 1d (UTC, all cameras) and 30 days at 1d
// in Europe/Berlin (local days re-bucketed from the hourly aggregate).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { openDatabase, type DatabaseHandle } from "../db/client";
import { ensureSampleCameras, generateVccTraffic, refreshVccAggregates } from "../app/models/vcc/generate.server";
import { planVcc, queryVcc } from "../app/models/vcc/query.server";
import type { VccBucket, VccQuery } from "../app/models/vcc/types";

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const CAMERAS = arg("cameras", 50);
const DAYS = arg("days", 30);
const RATE = arg("rate", 56);
const RUNS = arg("runs", 15);
// --data-dir=DIR keeps the seeded database in DIR and reuses it on the next run (seeding takes minutes).
// --seed=sql writes the crossings with one INSERT ... SELECT per day instead of through ingestEventBatch: same shape
// (daily rhythm, class mix, 1-2 lines, direction split), minutes instead of tens of minutes on a busy machine.
const SQL_SEED = process.argv.includes("--seed=sql");
const DATA_DIR = process.argv.find((a) => a.startsWith("--data-dir="))?.split("=")[1];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const fmt = (ms: number) => (ms < 10 ? ms.toFixed(1) : Math.round(ms).toString());

async function main() {
  const dir = DATA_DIR ?? mkdtempSync(path.join(tmpdir(), "argus-bench-vcc-"));
  const handle = await openDatabase({ dataDir: dir });
  try {
    await handle.migrate();
    const db = handle.db;
    const [known] = await handle.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM tenants WHERE slug = 'bench-vcc'`,
    );
    if (Number(known.n) > 0) {
      const [seeded] = await handle.query<{ id: string; first: unknown; last: unknown }>(
        sql`SELECT t.id, min(e.corrected_utc) AS first, max(e.corrected_utc) AS last
            FROM tenants t JOIN detection_events e ON e.tenant_id = t.id WHERE t.slug = 'bench-vcc' GROUP BY 1`,
      );
      const endMs = Math.ceil(new Date(String(seeded.last)).getTime() / 60_000) * 60_000;
      const refreshStarted = performance.now();
      await refreshVccAggregates(db, new Date(String(seeded.first)).getTime(), endMs);
      console.log(
        `reused ${dir}; aggregates refreshed in ${((performance.now() - refreshStarted) / 1000).toFixed(1)} s`,
      );
      await measure(handle, seeded.id, endMs);
      return;
    }
    const [tenant] = await handle.query<{ id: string }>(
      sql`INSERT INTO tenants (name, slug) VALUES ('Bench', 'bench-vcc') RETURNING id`,
    );
    const cameraIds = await ensureSampleCameras(db, tenant.id, CAMERAS);
    const endMs = Math.floor(Date.now() / 60_000) * 60_000;
    if (SQL_SEED) {
      const seedStarted = performance.now();
      const events = await seedWithSql(handle, tenant.id, cameraIds, endMs);
      const refreshStarted = performance.now();
      await refreshVccAggregates(db, endMs - DAYS * 86_400_000, endMs);
      console.log(
        `seeded ${events.toLocaleString("en")} crossings with SQL (${CAMERAS} cameras x ${DAYS} days, rate ~${RATE}/h) in ${((refreshStarted - seedStarted) / 1000).toFixed(0)} s; aggregates refreshed in ${((performance.now() - refreshStarted) / 1000).toFixed(1)} s`,
      );
      await measure(handle, tenant.id, endMs);
      return;
    }
    let last = 0;
    const seeded = await generateVccTraffic(db, tenant.id, {
      cameraIds,
      days: DAYS,
      ratePerHour: RATE,
      endMs,
      batchSize: 10_000,
      skipRefresh: true,
      onProgress: ({ hoursDone, hours, events }) => {
        if (Date.now() - last < 5_000 && hoursDone < hours) return;
        last = Date.now();
        process.stderr.write(`seed: ${hoursDone}/${hours} h, ${events.toLocaleString("en")} events\n`);
      },
    });
    const refreshStarted = performance.now();
    await refreshVccAggregates(db, Date.parse(seeded.from), Date.parse(seeded.to));
    const refreshMs = performance.now() - refreshStarted;
    console.log(
      `seeded ${seeded.events.toLocaleString("en")} crossings (${CAMERAS} cameras x ${DAYS} days, rate ${RATE}/h) in ${(seeded.ms / 1000).toFixed(0)} s (${Math.round(seeded.events / (seeded.ms / 1000)).toLocaleString("en")}/s through ingestEventBatch); aggregates refreshed in ${(refreshMs / 1000).toFixed(1)} s`,
    );
    await measure(handle, tenant.id, endMs);
  } finally {
    await handle.close();
    if (!DATA_DIR) rmSync(dir, { recursive: true, force: true });
  }
}

async function seedWithSql(handle: DatabaseHandle, tenantId: string, cameraIds: string[], endMs: number) {
  const ids = `{${cameraIds.join(",")}}`;
  let events = 0;
  for (let d = DAYS; d > 0; d--) {
    const from = new Date(endMs - d * 86_400_000).toISOString();
    const to = new Date(endMs - (d - 1) * 86_400_000).toISOString();
    const [row] = await handle.query<{ n: number }>(sql`
      WITH ins AS (
        INSERT INTO detection_events (event_id, tenant_id, camera_id, worker_id, type, class, track_id, confidence,
          line_id, direction, model_id, model_version, utc_timestamp, local_time, timezone_offset, drift_offset,
          corrected_utc, lamport)
        SELECT gen_random_uuid(), ${tenantId}::uuid, c.id, 'vcc-generator', 'line_crossing',
          (ARRAY['person','person','person','person','car','car','car','bicycle','motorcycle','truck','bus'])[1 + floor(random() * 11)::int],
          i, 0.5 + 0.45 * random(), CASE WHEN c.k % 2 = 0 OR random() < 0.5 THEN 'entrance' ELSE 'exit' END,
          CASE WHEN random() < 0.5 THEN 'in' ELSE 'out' END, 'vcc-generator', '1', t.at, to_char(t.at, 'YYYY-MM-DD"T"HH24:MI:SS.MS'),
          0, 0, t.at, i
        FROM unnest(${ids}::uuid[]) WITH ORDINALITY AS c(id, k)
        CROSS JOIN generate_series(${from}::timestamptz, ${to}::timestamptz - INTERVAL '1 hour', INTERVAL '1 hour') AS h(start)
        CROSS JOIN LATERAL generate_series(1, (${RATE} * (0.4 + 1.2 * (0.5 + 0.5 * sin(pi() * (extract(hour FROM h.start) - 6) / 12))) * (0.3 + 1.4 * random()))::int) AS i
        -- One time per row, used three times below; naming i keeps the subquery per row (random() once per event).
        CROSS JOIN LATERAL (SELECT h.start + random() * INTERVAL '1 hour' + (i * 0) * INTERVAL '1 second' AS at) AS t
        RETURNING 1)
      SELECT count(*)::int AS n FROM ins`);
    events += Number(row.n);
    process.stderr.write(`seed: day ${DAYS - d + 1}/${DAYS}, ${events.toLocaleString("en")} events\n`);
  }
  return events;
}

async function measure(handle: DatabaseHandle, tenantId: string, endMs: number) {
  const db = handle.db;
  const cases: Array<{ label: string; days: number; bucket: VccBucket; tz: string }> = [
    { label: "1 day at 1m", days: 1, bucket: "1m", tz: "UTC" },
    { label: "7 days at 5m", days: 7, bucket: "5m", tz: "UTC" },
    { label: "30 days at 1h", days: 30, bucket: "1h", tz: "UTC" },
    { label: "30 days at 1d (UTC)", days: 30, bucket: "1d", tz: "UTC" },
    { label: "30 days at 1d (Berlin)", days: 30, bucket: "1d", tz: "Europe/Berlin" },
  ];
  console.log("| query | aggregate | p50 ms | p95 ms | raw p50 ms | raw p95 ms | raw/agg (p50) | same counts |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const c of cases) {
    const query: VccQuery = {
      startTime: new Date(endMs - c.days * 86_400_000).toISOString(),
      endTime: new Date(endMs).toISOString(),
      bucket: c.bucket,
      tz: c.tz,
      cameraId: null,
      siteId: null,
    };
    const plan = await planVcc(db, query);
    const first = new Date(plan.buckets[0]).toISOString();
    const end = new Date(plan.endMs).toISOString();
    // The same answer from raw events: the same bucket expression over corrected_utc, and top devices.
    const bucketOf =
      c.bucket === "1d"
        ? sql`time_bucket(INTERVAL '1 day', corrected_utc, ${c.tz}::text)`
        : sql`time_bucket(${`${c.bucket === "1h" ? "1 hour" : c.bucket === "5m" ? "5 minutes" : "1 minute"}`}::interval, corrected_utc)`;
    const raw = async () => {
      const where = sql`tenant_id = ${tenantId}::uuid AND type = 'line_crossing'
          AND corrected_utc >= ${first}::timestamptz AND corrected_utc < ${end}::timestamptz`;
      const [series] = await Promise.all([
        handle.query<{ n: number }>(
          sql`SELECT ${bucketOf} AS b, class, direction, count(*)::float8 AS n FROM detection_events WHERE ${where} GROUP BY 1, 2, 3`,
        ),
        handle.query(
          sql`SELECT camera_id, count(*) AS n FROM detection_events WHERE ${where} GROUP BY 1 ORDER BY 2 DESC LIMIT 20`,
        ),
      ]);
      return series.reduce((a, r) => a + Number(r.n), 0);
    };
    const agg: number[] = [];
    const rawMs: number[] = [];
    let aggTotal = 0;
    let rawTotal = 0;
    let source = "";
    for (let i = 0; i < RUNS; i++) {
      let t = performance.now();
      const result = await queryVcc(db, tenantId, query);
      agg.push(performance.now() - t);
      aggTotal = result.totals.total;
      source = result.source.aggregate;
      t = performance.now();
      rawTotal = await raw();
      rawMs.push(performance.now() - t);
    }
    const p50 = percentile(agg, 50);
    const rp50 = percentile(rawMs, 50);
    console.log(
      `| ${c.label} | ${source} | ${fmt(p50)} | ${fmt(percentile(agg, 95))} | ${fmt(rp50)} | ${fmt(percentile(rawMs, 95))} | ${(rp50 / p50).toFixed(1)}x | ${aggTotal === rawTotal ? "yes" : `NO ${aggTotal} vs ${rawTotal}`} |`,
    );
  }
}

await main();
