// Data management (SPEC P4, O3): sample workers/workstations, N days of realistic events generated in
// SQL (generate_series), aggregate refresh, and clearing a tenant's events. Large deletes and generation run
// in bounded statements (at most about MAX_ROWS_PER_STATEMENT rows each, logged as they go): one statement
// over a whole tenant took the embedded database out of memory (issue 10 §2), and PGlite's WASM heap never
// shrinks once grown.
import { eq, sql } from "drizzle-orm";
import { factoryWorkers, factoryWorkstations } from "../../../db/schema";
import { recordAudit } from "../audit.server";
import { assertRole, type TenantScope } from "../scope.server";
import {
  daysBetween,
  refreshProductivityAggregates,
  refreshProductivityAggregatesForDays,
  refreshProductivityAggregatesInSlices,
} from "./aggregates.server";
import { rowsOf } from "./ingest.server";
import { generateInputSchema, initializeInputSchema, refreshInputSchema, seedInputSchema } from "./schemas";

const FIRST_NAMES = [
  "Ada",
  "Ben",
  "Chen",
  "Dana",
  "Emil",
  "Fatima",
  "Goran",
  "Hana",
  "Ivo",
  "Jun",
  "Kofi",
  "Lea",
  "Mateo",
  "Nia",
  "Omar",
  "Priya",
];
const STATION_TYPES = ["assembly", "welding", "packaging", "inspection", "painting", "machining"];
const DAY = 24 * 3600_000;
/** The generated shift, 06:00-22:00 UTC, in seconds (events_per_day is spread over it). */
const SHIFT_SECONDS = 16 * 3600;
/**
 * Rows one generating or deleting statement may touch. Measured in the embedded database (400k events of one
 * tenant): one `DELETE ... RETURNING` statement took 66 s and grew the process from 0.5 to 2.3 GB; 50k-row
 * slices took 1 s and no memory.
 */
export const MAX_ROWS_PER_STATEMENT = 50_000;

/** Where long data operations report progress (the server's logger in the routes). */
export interface ProgressLog {
  info(obj: object, msg: string): void;
}
export interface DataOptions {
  log?: ProgressLog;
  /** Rows per statement (tests lower it); default MAX_ROWS_PER_STATEMENT. */
  batchRows?: number;
}

/** Logs at most every 2 s, plus the last step, so a million-row operation leaves a readable trail. */
function progressReporter(log: ProgressLog | undefined, what: string, context: object) {
  let last = 0;
  return (done: number, extra: object = {}, final = false) => {
    const now = performance.now();
    if (!log || (!final && now - last < 2_000)) return;
    last = now;
    log.info({ ...context, done, ...extra }, final ? `${what}: done` : `${what}: in progress`);
  };
}

/** Rows a plain INSERT/DELETE touched, whichever driver (PGlite: affectedRows; postgres-js: count). */
function affected(result: unknown): number {
  const r = result as { affectedRows?: number; count?: number };
  return Number(r.affectedRows ?? r.count ?? 0);
}

/**
 * The sample factory of the documented productivity API ("Sample Setup": W1-W6, S1-S6): the first six
 * workers and workstations seeded get these names, so the documented examples read the same here.
 */
export const SAMPLE_WORKERS = [
  "John Martinez",
  "Sarah Chen",
  "Michael Johnson",
  "Emily Davis",
  "Robert Kim",
  "Lisa Thompson",
] as const;
export const SAMPLE_WORKSTATIONS = [
  { name: "Assembly Line A", type: "Assembly" },
  { name: "Assembly Line B", type: "Assembly" },
  { name: "Quality Control 1", type: "Quality Control" },
  { name: "Quality Control 2", type: "Quality Control" },
  { name: "Packaging Station", type: "Packaging" },
  { name: "Final Inspection", type: "Inspection" },
] as const;

export async function seedSampleEntities(
  scope: TenantScope,
  input: unknown = {},
): Promise<{ workers: number; workstations: number }> {
  assertRole(scope, "admin");
  const { workers, workstations } = seedInputSchema.parse(input);
  const w = await scope.db
    .insert(factoryWorkers)
    .values(
      Array.from({ length: workers }, (_, i) => ({
        tenantId: scope.tenantId,
        externalId: `W${i + 1}`,
        name: SAMPLE_WORKERS[i] ?? `${FIRST_NAMES[i % FIRST_NAMES.length]} ${Math.floor(i / FIRST_NAMES.length) + 1}`,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: factoryWorkers.id });
  const s = await scope.db
    .insert(factoryWorkstations)
    .values(
      Array.from({ length: workstations }, (_, i) => {
        const sample = SAMPLE_WORKSTATIONS[i];
        if (sample)
          return { tenantId: scope.tenantId, externalId: `S${i + 1}`, name: sample.name, stationType: sample.type };
        const type = STATION_TYPES[i % STATION_TYPES.length];
        return {
          tenantId: scope.tenantId,
          externalId: `S${i + 1}`,
          name: `${type[0].toUpperCase()}${type.slice(1)} ${i + 1}`,
          stationType: type,
        };
      }),
    )
    .onConflictDoNothing()
    .returning({ id: factoryWorkstations.id });
  await recordAudit(scope.db, {
    tenantId: scope.tenantId,
    userId: scope.userId,
    action: "productivity.seed",
    details: { workers: w.length, workstations: s.length },
  });
  return { workers: w.length, workstations: s.length };
}

export interface GenerateResult {
  events: number;
  /** Events deleted first (clear_existing). */
  deleted: number;
  from: string;
  to: string;
  ms: number;
}

/**
 * Each worker is paired with a workstation (round robin) and, every `interval_minutes` during the
 * 06:00-22:00 UTC shift, reports working / idle / absent with a per-worker working probability
 * (55-85 %); every working slot also reports a product_count of 0-3 units. Model yolo-factory v1,
 * confidence 0.75-0.98. With simulate_drift the last 90 minutes (shift or not) come from v2:
 * confidence 0.35-0.55 and mostly absent/idle, which the drift check flags.
 * `events_per_day` (the documented API's knob) sets the interval instead: about that many state events
 * per day over all workers (at least one report per worker per minute, at most one per shift).
 * `num_days` is the documented name of `days`; `clear_existing` deletes the tenant's events first.
 */
export async function generateEvents(
  scope: TenantScope,
  input: unknown = {},
  options: DataOptions = {},
): Promise<GenerateResult> {
  assertRole(scope, "admin");
  const values = generateInputSchema.parse(input);
  const days = values.num_days ?? values.days ?? 7;
  const started = performance.now();
  const deleted = values.clear_existing ? (await clearEvents(scope, options)).deleted : 0;
  const workers = await countWorkers(scope);
  const intervalSeconds =
    values.events_per_day === undefined
      ? (values.interval_minutes ?? 5) * 60
      : Math.min(SHIFT_SECONDS, Math.max(60, Math.round((SHIFT_SECONDS * workers) / values.events_per_day)));
  const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const first = new Date(Math.floor(now.getTime() / DAY) * DAY - (days - 1) * DAY);
  const driftFrom = values.simulate_drift ? new Date(now.getTime() - 90 * 60_000) : null;
  const sliceMs = generationSliceMs(workers, intervalSeconds, options.batchRows ?? MAX_ROWS_PER_STATEMENT);
  const report = progressReporter(options.log, "generating productivity events", {
    tenantId: scope.tenantId,
    days,
    workers,
    intervalSeconds,
    sliceMinutes: sliceMs / 60_000,
  });
  let events = 0;
  let statements = 0;
  for (let day = first.getTime(); day <= now.getTime(); day += DAY) {
    const dayEnd = Math.min(day + DAY, now.getTime() + 1);
    // Slices are whole multiples of the interval, so the reports keep their spacing within the day.
    for (let from = day; from < dayEnd; from += sliceMs) {
      const to = new Date(Math.min(from + sliceMs, dayEnd));
      events += await generateSlice(scope, new Date(from), to, intervalSeconds, driftFrom);
      statements++;
      report(events, { statements, through: to.toISOString() });
    }
  }
  await refreshProductivityAggregatesForDays(scope.db, daysBetween(first.getTime(), now.getTime()));
  report(events, { statements, ms: Math.round(performance.now() - started) }, true);
  const result = {
    events,
    deleted,
    from: first.toISOString(),
    to: now.toISOString(),
    ms: Math.round(performance.now() - started),
  };
  await recordAudit(scope.db, {
    tenantId: scope.tenantId,
    userId: scope.userId,
    action: "productivity.generate",
    details: { ...result, interval_seconds: intervalSeconds, simulate_drift: values.simulate_drift },
  });
  return result;
}

/**
 * How much time one generating statement covers: at most `budgetRows` rows (a state event, and for working
 * slots a product_count, per worker per interval: 2 rows per worker-slot at most), whole intervals, at most a day.
 */
export function generationSliceMs(workers: number, intervalSeconds: number, budgetRows: number): number {
  const slots = Math.max(1, Math.floor(budgetRows / (2 * Math.max(1, workers))));
  return Math.min(DAY, slots * intervalSeconds * 1000);
}

async function countWorkers(scope: TenantScope): Promise<number> {
  const [row] = await scope.db
    .select({ n: sql<number>`count(*)::int` })
    .from(factoryWorkers)
    .where(eq(factoryWorkers.tenantId, scope.tenantId));
  return Math.max(1, Number(row?.n ?? 0));
}

async function countEntities(scope: TenantScope): Promise<{ workers: number; workstations: number }> {
  const [row] = rowsOf<{ workers: number; workstations: number }>(
    await scope.db.execute(sql`SELECT
      (SELECT count(*)::int FROM factory_workers WHERE tenant_id = ${scope.tenantId}::uuid) AS workers,
      (SELECT count(*)::int FROM factory_workstations WHERE tenant_id = ${scope.tenantId}::uuid) AS workstations`),
  );
  return { workers: Number(row.workers), workstations: Number(row.workstations) };
}

async function generateSlice(
  scope: TenantScope,
  from: Date,
  to: Date,
  intervalSeconds: number,
  driftFrom: Date | null,
): Promise<number> {
  const drift = driftFrom ? sql`${driftFrom.toISOString()}::timestamptz` : sql`'infinity'::timestamptz`;
  // A plain INSERT (no RETURNING collected into a CTE): its row count comes back with the command tag.
  const result = await scope.db.execute(sql`
    WITH w AS (
      SELECT external_id, row_number() OVER (ORDER BY length(external_id), external_id) AS rn FROM factory_workers WHERE tenant_id = ${scope.tenantId}::uuid
    ), s AS (
      SELECT external_id, row_number() OVER (ORDER BY length(external_id), external_id) AS rn, count(*) OVER () AS n FROM factory_workstations WHERE tenant_id = ${scope.tenantId}::uuid
    ), slots AS (
      SELECT ts, w.external_id AS worker_id, s.external_id AS workstation_id, 0.55 + ((w.rn * 37) % 31) / 100.0 AS p_work,
        random() AS r, random() AS rc, random() AS ru, ts >= ${drift} AS drifted
      FROM w JOIN s ON s.rn = ((w.rn - 1) % s.n) + 1
      CROSS JOIN generate_series(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz - interval '1 microsecond', ${`${intervalSeconds} seconds`}::interval) AS ts
      WHERE extract(hour FROM ts AT TIME ZONE 'UTC') BETWEEN 6 AND 21 OR ts >= ${drift}
    ), states AS (
      SELECT *, CASE
          WHEN drifted THEN CASE WHEN r < 0.15 THEN 'working' WHEN r < 0.45 THEN 'idle' ELSE 'absent' END
          WHEN r < p_work THEN 'working' WHEN r < p_work + (1 - p_work) * 0.7 THEN 'idle' ELSE 'absent' END AS state
      FROM slots
    ), rows AS (
      SELECT ts, worker_id, workstation_id, state AS event_type, rc, 0 AS units, drifted FROM states
      UNION ALL
      SELECT ts, worker_id, workstation_id, 'product_count', rc, floor(ru * 4)::int, drifted FROM states WHERE state = 'working'
    )
    INSERT INTO productivity_events (time, tenant_id, worker_id, workstation_id, event_type, confidence, count, model_id, model_version)
    SELECT ts, ${scope.tenantId}::uuid, worker_id, workstation_id, event_type::productivity_event_type,
      CASE WHEN drifted THEN 0.35 + rc * 0.2 ELSE 0.75 + rc * 0.23 END, units, 'yolo-factory', CASE WHEN drifted THEN 'v2' ELSE 'v1' END
    FROM rows
    ON CONFLICT DO NOTHING`);
  return affected(result);
}

/**
 * Deletes every event of the tenant and re-materialises the aggregates over the span they covered. Tenant rows
 * share hypertable chunks with other tenants, so chunks are never dropped here: the rows go in time-ordered
 * slices of at most `batchRows` (DELETE ... WHERE tenant_id AND time in [a, b), b found through the
 * (tenant_id, time) index), each its own statement.
 */
export async function clearEvents(scope: TenantScope, options: DataOptions = {}): Promise<{ deleted: number }> {
  assertRole(scope, "admin");
  const started = performance.now();
  const tenant = sql`${scope.tenantId}::uuid`;
  const batch = Math.max(1, Math.floor(options.batchRows ?? MAX_ROWS_PER_STATEMENT));
  // Bounds as text: they keep the column's microseconds (a JS Date would round them).
  const [span] = rowsOf<{ first: string | null }>(
    await scope.db.execute(sql`SELECT min(time)::text AS first FROM productivity_events WHERE tenant_id = ${tenant}`),
  );
  const report = progressReporter(options.log, "deleting productivity events", { tenantId: scope.tenantId });
  let deleted = 0;
  let statements = 0;
  const days = new Set<number>();
  let from = span?.first ?? null;
  while (from !== null) {
    const [next] = rowsOf<{ at: string }>(
      await scope.db.execute(
        sql`SELECT time::text AS at FROM productivity_events WHERE tenant_id = ${tenant} AND time >= ${from}::timestamptz ORDER BY time OFFSET ${batch} LIMIT 1`,
      ),
    );
    const upTo = next?.at ?? null;
    // More than `batch` rows at one instant (only with as many worker/workstation pairs): that instant alone.
    const until =
      upTo === null
        ? sql``
        : upTo === from
          ? sql` AND time <= ${upTo}::timestamptz`
          : sql` AND time < ${upTo}::timestamptz`;
    const slice = sql`tenant_id = ${tenant} AND time >= ${from}::timestamptz${until}`;
    // The slice's own first and last row (index only): the aggregates are refreshed over those days alone.
    const [bounds] = rowsOf<{ lo: number | null; hi: number | null }>(
      await scope.db.execute(
        sql`SELECT (extract(epoch FROM min(time)) * 1000)::float8 AS lo, (extract(epoch FROM max(time)) * 1000)::float8 AS hi FROM productivity_events WHERE ${slice}`,
      ),
    );
    if (bounds?.lo != null && bounds.hi != null) for (const d of daysBetween(bounds.lo, bounds.hi)) days.add(d);
    deleted += affected(await scope.db.execute(sql`DELETE FROM productivity_events WHERE ${slice}`));
    statements++;
    report(deleted, { statements, through: upTo });
    if (upTo === null) from = null;
    else if (upTo !== from) from = upTo;
    else {
      const [after] = rowsOf<{ at: string | null }>(
        await scope.db.execute(
          sql`SELECT min(time)::text AS at FROM productivity_events WHERE tenant_id = ${tenant} AND time > ${upTo}::timestamptz`,
        ),
      );
      from = after?.at ?? null;
    }
  }
  const windows = await refreshProductivityAggregatesForDays(scope.db, days);
  report(deleted, { statements, refreshWindows: windows, ms: Math.round(performance.now() - started) }, true);
  await recordAudit(scope.db, {
    tenantId: scope.tenantId,
    userId: scope.userId,
    action: "productivity.clear",
    details: { deleted, statements },
  });
  return { deleted };
}

/** Re-materialises the productivity continuous aggregates (POST /api/v1/data/refresh-aggregates). */
export async function refreshAll(scope: TenantScope): Promise<{ ms: number }> {
  assertRole(scope, "admin");
  const started = performance.now();
  const [span] = rowsOf<{ min: string | null }>(
    await scope.db.execute(sql`SELECT min(time) AS min FROM productivity_events`),
  );
  // From the oldest event on, a few days per statement; with no events at all one (cheap) full refresh.
  if (span?.min) await refreshProductivityAggregatesInSlices(scope.db, new Date(span.min), new Date());
  else await refreshProductivityAggregates(scope.db);
  return { ms: Math.round(performance.now() - started) };
}

export interface RefreshResult {
  message: string;
  events_generated: number;
  workers: number;
  workstations: number;
  events_deleted: number;
  from: string;
  to: string;
  ms: number;
}

/**
 * POST /api/v1/data/refresh as documented: "clear and regenerate all events". The sample workers and
 * workstations are created first when the tenant has none, so a refresh always has someone to report.
 */
export async function refreshSampleData(
  scope: TenantScope,
  input: unknown = {},
  options: DataOptions = {},
): Promise<RefreshResult> {
  assertRole(scope, "admin");
  const values = refreshInputSchema.parse(input);
  const before = await countEntities(scope);
  if (!before.workers || !before.workstations) await seedSampleEntities(scope, {});
  const generated = await generateEvents(
    scope,
    {
      num_days: values.num_days,
      ...(values.events_per_day === undefined ? {} : { events_per_day: values.events_per_day }),
      clear_existing: true,
    },
    options,
  );
  const counts = await countEntities(scope);
  return {
    message: "Data refreshed successfully",
    events_generated: generated.events,
    workers: counts.workers,
    workstations: counts.workstations,
    events_deleted: generated.deleted,
    from: generated.from,
    to: generated.to,
    ms: generated.ms,
  };
}

/** Fresh start: clear events, seed sample entities, generate `days` of events. */
export async function initializeSampleData(scope: TenantScope, input: unknown = {}, options: DataOptions = {}) {
  assertRole(scope, "admin");
  const values = initializeInputSchema.parse(input);
  const cleared = await clearEvents(scope, options);
  const seeded = await seedSampleEntities(scope, { workers: values.workers, workstations: values.workstations });
  const generated = await generateEvents(scope, { days: values.days, simulate_drift: values.simulate_drift }, options);
  return { cleared: cleared.deleted, seeded, generated };
}
