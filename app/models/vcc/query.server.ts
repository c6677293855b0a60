// The VCC counts query (SPEC V1-V3, T3): line crossings per bucket, class and direction, totals, peak and top
// devices for one tenant, from the hierarchical continuous aggregates detection_counts_1m → _1h → _1d.
//
// Rule: the query reads the COARSEST aggregate whose bucket divides the chosen bucket in the chosen time zone, and
// re-buckets it with time_bucket in SQL:
// - 1d in UTC (every day of the range starts at 00:00 UTC): detection_counts_1d as is;
// - 1d in another zone: local days (23 or 25 hours on DST days) re-bucketed from detection_counts_1h with
//   time_bucket('1 day', bucket, tz), when every local midnight of the range is a whole UTC hour; in zones with
//   half-hour or 45-minute offsets (Asia/Kolkata, Asia/Kathmandu, ...) hours do not divide the day: detection_counts_1m;
// - 1h: detection_counts_1h when the zone's offset is a whole number of hours, else detection_counts_1m;
// - 1m, 2m, 5m, 15m: detection_counts_1m.
// Sub-day buckets are fixed lengths of real time aligned to the zone's clock at the range start (params.ts).
//
// Exactness: the range is widened to whole buckets, [start of the bucket holding start_time, end of the bucket
// holding end_time - 1 ms), so no bucket is cut by a range edge and every source bucket lies inside exactly one
// result bucket. The newest minute: all three aggregates are real-time (materialized_only = false), so rows above
// each one's materialisation watermark are computed from the level below (finally from detection_events) on read.
// "All cameras" reads the same three levels per tenant (detection_counts_tenant_*), 20-50x fewer rows; top devices
// read per-camera totals (detection_camera_totals_1h/_1d, no class, direction or line rows).
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { rowsOf } from "../productivity/ingest.server";
import { floorToBucket, subDayOriginMs } from "./params";
import { buildResult } from "./result";
import { BUCKET_MS, type VccBucket, type VccQuery, type VccResult } from "./types";

type Aggregate = VccResult["source"]["aggregate"];

const INTERVAL: Record<VccBucket, string> = {
  "1m": "1 minute",
  "2m": "2 minutes",
  "5m": "5 minutes",
  "15m": "15 minutes",
  "1h": "1 hour",
  "1d": "1 day",
};
const VIEW: Record<Aggregate, SQL> = {
  "1m": sql.raw("detection_counts_1m"),
  "1h": sql.raw("detection_counts_1h"),
  "1d": sql.raw("detection_counts_1d"),
};
/** Top devices: one row per camera x type x bucket (migration 0015); minutes at the range edges from the 1m level. */
const TOTALS_VIEW: Record<Aggregate, SQL> = {
  "1m": sql.raw("detection_counts_1m"),
  "1h": sql.raw("detection_camera_totals_1h"),
  "1d": sql.raw("detection_camera_totals_1d"),
};
/** "All cameras" reads the tenant-wide levels (migration 0013): no camera, line or zone rows to add up. */
const TENANT_VIEW: Record<Aggregate, SQL> = {
  "1m": sql.raw("detection_counts_tenant_1m"),
  "1h": sql.raw("detection_counts_tenant_1h"),
  "1d": sql.raw("detection_counts_tenant_1d"),
};
const HOUR = 3600_000;
const DAY = 86_400_000;
/** Top devices listed. */
export const TOP_DEVICES = 20;

export interface VccPlan {
  aggregate: Aggregate;
  /** Bucket starts (ms), ascending. */
  buckets: number[];
  /** End (exclusive) of the last bucket. */
  endMs: number;
  /** The result bucket of an aggregate row (`bucket` is the aggregate's column). */
  bucketExpr: SQL;
}

const toMs = (v: unknown) => (v instanceof Date ? v.getTime() : Date.parse(String(v)));

/** Which buckets the range has and which aggregate answers them (see the rule above). */
export async function planVcc(db: Db, query: VccQuery): Promise<VccPlan> {
  const startMs = Date.parse(query.startTime);
  const endMs = Date.parse(query.endTime);
  if (query.bucket !== "1d") {
    const size = BUCKET_MS[query.bucket];
    const origin = subDayOriginMs(query.tz, startMs);
    const first = floorToBucket(startMs, size, origin);
    const last = floorToBucket(endMs - 1, size, origin);
    const buckets: number[] = [];
    for (let b = first; b <= last; b += size) buckets.push(b);
    const aggregate: Aggregate = query.bucket === "1h" && origin % HOUR === 0 ? "1h" : "1m";
    const sameSize = BUCKET_MS[query.bucket] === BUCKET_MS[aggregate] && origin % size === 0;
    const bucketExpr = sameSize
      ? sql`bucket`
      : sql`time_bucket(${INTERVAL[query.bucket]}::interval, bucket, origin => ${new Date(origin).toISOString()}::timestamptz)`;
    return { aggregate, buckets, endMs: last + size, bucketExpr };
  }
  if (query.tz === "UTC" || query.tz === "Etc/UTC") {
    // UTC days need no zone rules: no round trip to the database.
    const buckets: number[] = [];
    for (let b = Math.floor(startMs / DAY) * DAY; b < endMs; b += DAY) buckets.push(b);
    return { aggregate: "1d", buckets, endMs: buckets[buckets.length - 1] + DAY, bucketExpr: sql`bucket` };
  }
  // Local days: from the database's own time_bucket, so the bucket list and the grouping always agree.
  const start = new Date(startMs).toISOString();
  const lastMs = new Date(endMs - 1).toISOString();
  const rows = rowsOf<{ b: unknown }>(
    await db.execute(sql`
      SELECT DISTINCT time_bucket(INTERVAL '1 day', h, ${query.tz}::text) AS b
      FROM generate_series(time_bucket(INTERVAL '1 day', ${start}::timestamptz, ${query.tz}::text),
        ${lastMs}::timestamptz, INTERVAL '1 hour') AS h
      UNION SELECT time_bucket(INTERVAL '1 day', ${lastMs}::timestamptz, ${query.tz}::text)
      UNION SELECT time_bucket(INTERVAL '1 day',
        time_bucket(INTERVAL '1 day', ${lastMs}::timestamptz, ${query.tz}::text) + INTERVAL '26 hours', ${query.tz}::text)
      ORDER BY 1`),
  );
  const all = rows.map((r) => toMs(r.b));
  const buckets = all.slice(0, -1);
  const end = all[all.length - 1];
  const aggregate: Aggregate = all.every((b) => b % DAY === 0) ? "1d" : all.every((b) => b % HOUR === 0) ? "1h" : "1m";
  const bucketExpr = aggregate === "1d" ? sql`bucket` : sql`time_bucket(INTERVAL '1 day', bucket, ${query.tz}::text)`;
  return { aggregate, buckets, endMs: end, bucketExpr };
}

/**
 * Top devices need one total per camera, not buckets: [startMs, endMs) (whole minutes) is tiled with whole UTC days
 * from detection_counts_1d in the middle, whole hours from detection_counts_1h beside them and minutes from
 * detection_counts_1m at the edges, so a long range reads few rows whatever the chart's bucket.
 */
export function tiles(startMs: number, endMs: number): Array<{ aggregate: Aggregate; start: number; end: number }> {
  const out: Array<{ aggregate: Aggregate; start: number; end: number }> = [];
  const push = (aggregate: Aggregate, start: number, end: number) => {
    if (start < end) out.push({ aggregate, start, end });
  };
  const hStart = Math.ceil(startMs / HOUR) * HOUR;
  const hEnd = Math.floor(endMs / HOUR) * HOUR;
  if (hStart >= hEnd) {
    push("1m", startMs, endMs);
    return out;
  }
  push("1m", startMs, hStart);
  const dStart = Math.ceil(hStart / DAY) * DAY;
  const dEnd = Math.floor(hEnd / DAY) * DAY;
  if (dStart < dEnd) {
    push("1h", hStart, dStart);
    push("1d", dStart, dEnd);
    push("1h", dEnd, hEnd);
  } else push("1h", hStart, hEnd);
  push("1m", hEnd, endMs);
  return out;
}

function cameraFilter(tenantId: string, query: Pick<VccQuery, "cameraId" | "siteId">, withCamera: boolean): SQL {
  const parts: SQL[] = [];
  if (withCamera && query.cameraId) parts.push(sql` AND camera_id = ${query.cameraId}::uuid`);
  if (query.siteId)
    parts.push(
      sql` AND camera_id IN (SELECT id FROM cameras WHERE tenant_id = ${tenantId}::uuid AND site_id = ${query.siteId}::uuid)`,
    );
  return sql.join(parts, sql``);
}

/** Counts for the dashboard, the JSON API and the CSV export. */
export async function queryVcc(db: Db, tenantId: string, query: VccQuery): Promise<VccResult> {
  const plan = await planVcc(db, query);
  const wholeTenant = !query.cameraId && !query.siteId;
  const view = (wholeTenant ? TENANT_VIEW : VIEW)[plan.aggregate];
  const first = plan.buckets.length ? plan.buckets[0] : plan.endMs;
  const where = sql`tenant_id = ${tenantId}::uuid AND type = 'line_crossing'
    AND bucket >= ${new Date(first).toISOString()}::timestamptz AND bucket < ${new Date(plan.endMs).toISOString()}::timestamptz`;
  const [series, top] = await Promise.all([
    // One row per class x direction with the buckets as arrays: a 30-day hourly chart is ~9k cells, and handing
    // them over as arrays costs the embedded database a fraction of 9k rows.
    db.execute(sql`
      SELECT class, direction, array_agg((extract(epoch FROM b) * 1000)::float8) AS bs, array_agg(n) AS ns
      FROM (SELECT ${plan.bucketExpr} AS b, coalesce(class, 'unknown') AS class, direction, sum(events)::float8 AS n
        FROM ${view} WHERE ${where}${cameraFilter(tenantId, query, true)}
        GROUP BY 1, 2, 3) AS cells
      GROUP BY 1, 2`),
    db.execute(sql`
      WITH t AS (SELECT camera_id, sum(n)::float8 AS n FROM (${sql.join(
        tiles(first, plan.endMs).map(
          (tile) => sql`SELECT camera_id, sum(events) AS n FROM ${TOTALS_VIEW[tile.aggregate]}
            WHERE tenant_id = ${tenantId}::uuid AND type = 'line_crossing'
              AND bucket >= ${new Date(tile.start).toISOString()}::timestamptz
              AND bucket < ${new Date(tile.end).toISOString()}::timestamptz${cameraFilter(tenantId, query, false)}
            GROUP BY 1`,
        ),
        sql` UNION ALL `,
      )}) AS pieces GROUP BY 1)
      SELECT t.camera_id, coalesce(c.name, 'Deleted camera') AS name, t.n
      FROM t LEFT JOIN cameras c ON c.id = t.camera_id AND c.tenant_id = ${tenantId}::uuid
      WHERE t.n > 0 ORDER BY t.n DESC, 2 LIMIT ${TOP_DEVICES}`),
  ]);
  const index = new Map(plan.buckets.map((b, i) => [b, i]));
  const n = plan.buckets.length;
  const zeros = () => new Array<number>(n).fill(0);
  const byClass: Record<string, number[]> = {};
  const direction = { in: zeros(), out: zeros() };
  for (const row of rowsOf<{ class: string; direction: string | null; bs: number[]; ns: number[] }>(series)) {
    const counts = (byClass[row.class] ??= zeros());
    const split = row.direction === "in" || row.direction === "out" ? direction[row.direction] : null;
    row.bs.forEach((bucketMs, k) => {
      const i = index.get(Number(bucketMs));
      if (i === undefined)
        throw new Error(
          `VCC: aggregate bucket ${new Date(Number(bucketMs)).toISOString()} outside the planned buckets`,
        );
      const count = Number(row.ns[k]);
      counts[i] += count;
      if (split) split[i] += count;
    });
  }
  return buildResult(
    query,
    plan.buckets.map((b) => new Date(b).toISOString()),
    byClass,
    direction,
    rowsOf<{ camera_id: string; name: string; n: number }>(top).map((r) => ({
      cameraId: r.camera_id,
      name: r.name,
      total: Number(r.n),
    })),
    { aggregate: plan.aggregate, rawTail: false },
    { start: new Date(first).toISOString(), end: new Date(plan.endMs).toISOString() },
  );
}
