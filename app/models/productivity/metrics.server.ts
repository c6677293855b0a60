// Productivity metrics (SPEC P2), computed in SQL. Formulas and edge cases: docs/productivity-metrics.md.
// Each working/idle/absent event counts for D seconds (tenant setting, default 300). Rows come from
// the cheapest exact source per piece of the range (range.ts): raw edges, hourly and daily aggregates.
import { sql, type SQL } from "drizzle-orm";
import { badRequest } from "../../utils/errors.server";
import { NO_WORKSTATION, rowsOf } from "./ingest.server";
import { planSegments, type Segment } from "./range";
import {
  rangeQuerySchema,
  type Dashboard,
  type FactoryMetrics,
  type SeriesPoint,
  type WorkerMetrics,
  type WorkstationMetrics,
} from "./schemas";
import type { ProductivityScope } from "./scope";
import { getSettings } from "./settings.server";
import { formatIssues } from "../../utils/api.server";

export interface MetricsRange {
  start: Date | null;
  end: Date | null;
}
export interface MetricsFilter {
  workerId?: string | null;
  workstationId?: string | null;
}

/** Parses `start_time`, `end_time`, `worker_id`, `workstation_id` query parameters, or throws 400. */
export function parseRangeQuery(params: Record<string, string>): { range: MetricsRange; filter: MetricsFilter } {
  const parsed = rangeQuerySchema.safeParse(params);
  if (!parsed.success) throw badRequest("Invalid query parameters", formatIssues(parsed.error));
  const q = parsed.data;
  return {
    range: { start: q.start_time ? new Date(q.start_time) : null, end: q.end_time ? new Date(q.end_time) : null },
    filter: { workerId: q.worker_id ?? null, workstationId: q.workstation_id ?? null },
  };
}

const SOURCE_TABLE = { "1h": sql.raw("productivity_events_1h"), "1d": sql.raw("productivity_events_1d") } as const;

/** UNION ALL of the range's pieces, as rows (bucket, worker_id, workstation_id, event_type, model_id, model_version, events, confidence_sum, units). */
export function eventSource(
  scope: ProductivityScope,
  range: MetricsRange,
  filter: MetricsFilter = {},
  options = { useDaily: true },
): SQL {
  const segments = planSegments(range.start, range.end, options);
  if (!segments.length) {
    return sql`SELECT NULL::timestamptz AS bucket, NULL::text AS worker_id, NULL::text AS workstation_id, NULL::productivity_event_type AS event_type,
      NULL::text AS model_id, NULL::text AS model_version, 0::bigint AS events, 0::float8 AS confidence_sum, 0::bigint AS units WHERE false`;
  }
  return sql.join(
    segments.map((s) => segmentSql(scope, s, filter)),
    sql` UNION ALL `,
  );
}

function segmentSql(scope: ProductivityScope, segment: Segment, filter: MetricsFilter): SQL {
  const timeCol = segment.source === "raw" ? sql.raw("time") : sql.raw("bucket");
  const conditions: SQL[] = [sql`tenant_id = ${scope.tenantId}::uuid`];
  if (segment.from) conditions.push(sql`${timeCol} >= ${segment.from.toISOString()}::timestamptz`);
  if (segment.to) conditions.push(sql`${timeCol} < ${segment.to.toISOString()}::timestamptz`);
  if (filter.workerId) conditions.push(sql`worker_id = ${filter.workerId}`);
  if (filter.workstationId) conditions.push(sql`workstation_id = ${filter.workstationId}`);
  const where = sql.join(conditions, sql` AND `);
  if (segment.source === "raw") {
    return sql`(SELECT time AS bucket, worker_id, workstation_id, event_type, model_id, model_version,
      1::bigint AS events, confidence::float8 AS confidence_sum, count::bigint AS units FROM productivity_events WHERE ${where})`;
  }
  return sql`(SELECT bucket, worker_id, workstation_id, event_type, model_id, model_version, events, confidence_sum, units
    FROM ${SOURCE_TABLE[segment.source]} WHERE ${where})`;
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

// The documented API's units (docs/productivity-metrics.md, "Documented API"): hours, percentages and
// rates rounded to 2 decimals, 0 where Argus's own fields say null (division by zero).
const round2 = (v: number) => Math.round(v * 100) / 100;
export const toHours = (seconds: number) => round2(seconds / 3600);
export const toPercent = (ratio: number | null) => (ratio === null ? 0 : round2(ratio * 100));
export const toRate = (rate: number | null) => (rate === null ? 0 : round2(rate));

export async function workerMetrics(
  scope: ProductivityScope,
  range: MetricsRange,
  filter: MetricsFilter = {},
  onlyWorker?: string,
): Promise<WorkerMetrics[]> {
  const { state_duration_seconds: d } = await getSettings(scope);
  const only = onlyWorker ? sql`AND coalesce(w.external_id, p.id) = ${onlyWorker}` : sql``;
  const result = await scope.db.execute(sql`
    WITH src AS (${eventSource(scope, range, { ...filter, workerId: onlyWorker ?? filter.workerId })}),
    per AS (
      SELECT worker_id AS id,
        coalesce(sum(events) FILTER (WHERE event_type = 'working'), 0) AS working,
        coalesce(sum(events) FILTER (WHERE event_type = 'idle'), 0) AS idle,
        coalesce(sum(events) FILTER (WHERE event_type = 'absent'), 0) AS absent,
        coalesce(sum(units) FILTER (WHERE event_type = 'product_count'), 0) AS units,
        coalesce(sum(events), 0) AS events
      FROM src GROUP BY worker_id
    ),
    w AS (SELECT external_id, name FROM factory_workers WHERE tenant_id = ${scope.tenantId}::uuid)
    SELECT coalesce(w.external_id, p.id) AS worker_id, w.name,
      coalesce(p.working, 0) * ${d}::int AS active_seconds,
      coalesce(p.idle, 0) * ${d}::int AS idle_seconds,
      coalesce(p.absent, 0) * ${d}::int AS absent_seconds,
      CASE WHEN p.working + p.idle > 0 THEN p.working::float8 / (p.working + p.idle) END AS utilisation,
      coalesce(p.units, 0) AS units_produced,
      CASE WHEN p.working > 0 THEN p.units::float8 / (p.working * ${d}::int / 3600.0) END AS units_per_active_hour,
      coalesce(p.events, 0) AS event_count
    FROM w FULL JOIN per p ON p.id = w.external_id
    WHERE true ${only}
    ORDER BY length(coalesce(w.external_id, p.id)), coalesce(w.external_id, p.id)`);
  return rowsOf<Record<string, unknown>>(result).map((r) => {
    const active = num(r.active_seconds);
    const idle = num(r.idle_seconds);
    const utilisation = numOrNull(r.utilisation);
    const units = num(r.units_produced);
    const perHour = numOrNull(r.units_per_active_hour);
    return {
      worker_id: String(r.worker_id),
      name: (r.name as string | null) ?? null,
      total_active_time_hours: toHours(active),
      total_idle_time_hours: toHours(idle),
      utilization_percentage: toPercent(utilisation),
      total_units_produced: units,
      units_per_hour: toRate(perHour),
      active_seconds: active,
      idle_seconds: idle,
      absent_seconds: num(r.absent_seconds),
      utilisation,
      units_produced: units,
      units_per_active_hour: perHour,
      event_count: num(r.event_count),
    };
  });
}

export async function workstationMetrics(
  scope: ProductivityScope,
  range: MetricsRange,
  filter: MetricsFilter = {},
  onlyStation?: string,
): Promise<WorkstationMetrics[]> {
  const { state_duration_seconds: d } = await getSettings(scope);
  const only = onlyStation ? sql`AND coalesce(s.external_id, p.id) = ${onlyStation}` : sql``;
  const result = await scope.db.execute(sql`
    WITH src AS (${eventSource(scope, range, { ...filter, workstationId: onlyStation ?? filter.workstationId })}),
    per AS (
      SELECT workstation_id AS id,
        coalesce(sum(events) FILTER (WHERE event_type = 'working'), 0) AS working,
        coalesce(sum(events) FILTER (WHERE event_type = 'idle'), 0) AS idle,
        coalesce(sum(units) FILTER (WHERE event_type = 'product_count'), 0) AS units,
        coalesce(sum(events), 0) AS events
      FROM src WHERE workstation_id <> ${NO_WORKSTATION} GROUP BY workstation_id
    ),
    s AS (SELECT external_id, name, station_type FROM factory_workstations WHERE tenant_id = ${scope.tenantId}::uuid)
    SELECT coalesce(s.external_id, p.id) AS workstation_id, s.name, s.station_type,
      (coalesce(p.working, 0) + coalesce(p.idle, 0)) * ${d}::int AS occupancy_seconds,
      coalesce(p.working, 0) * ${d}::int AS active_seconds,
      coalesce(p.idle, 0) * ${d}::int AS idle_seconds,
      CASE WHEN p.working + p.idle > 0 THEN p.working::float8 / (p.working + p.idle) END AS utilisation,
      coalesce(p.units, 0) AS units_produced,
      CASE WHEN p.working + p.idle > 0 THEN p.units::float8 / ((p.working + p.idle) * ${d}::int / 3600.0) END AS throughput_per_occupied_hour,
      coalesce(p.events, 0) AS event_count
    FROM s FULL JOIN per p ON p.id = s.external_id
    WHERE true ${only}
    ORDER BY length(coalesce(s.external_id, p.id)), coalesce(s.external_id, p.id)`);
  return rowsOf<Record<string, unknown>>(result).map((r) => {
    const occupancy = num(r.occupancy_seconds);
    const utilisation = numOrNull(r.utilisation);
    const units = num(r.units_produced);
    const throughput = numOrNull(r.throughput_per_occupied_hour);
    return {
      station_id: String(r.workstation_id),
      workstation_id: String(r.workstation_id),
      name: (r.name as string | null) ?? null,
      station_type: (r.station_type as string | null) ?? null,
      occupancy_time_hours: toHours(occupancy),
      utilization_percentage: toPercent(utilisation),
      total_units_produced: units,
      throughput_rate: toRate(throughput),
      occupancy_seconds: occupancy,
      active_seconds: num(r.active_seconds),
      idle_seconds: num(r.idle_seconds),
      utilisation,
      units_produced: units,
      throughput_per_occupied_hour: throughput,
      event_count: num(r.event_count),
    };
  });
}

export async function factoryMetrics(
  scope: ProductivityScope,
  range: MetricsRange,
  filter: MetricsFilter = {},
): Promise<FactoryMetrics> {
  const { state_duration_seconds: d } = await getSettings(scope);
  const result = await scope.db.execute(sql`
    WITH src AS MATERIALIZED (${eventSource(scope, range, filter)}),
    w AS (SELECT sum(events) FILTER (WHERE event_type = 'working') AS working, sum(events) FILTER (WHERE event_type = 'idle') AS idle FROM src GROUP BY worker_id),
    s AS (SELECT sum(events) FILTER (WHERE event_type = 'working') AS working, sum(events) FILTER (WHERE event_type = 'idle') AS idle FROM src WHERE workstation_id <> ${NO_WORKSTATION} GROUP BY workstation_id),
    t AS (
      SELECT coalesce(sum(events) FILTER (WHERE event_type = 'working'), 0) AS working,
        coalesce(sum(events) FILTER (WHERE event_type = 'idle'), 0) AS idle,
        coalesce(sum(units) FILTER (WHERE event_type = 'product_count'), 0) AS units,
        coalesce(sum(events), 0) AS events,
        count(DISTINCT worker_id) AS workers
      FROM src
    )
    SELECT t.working * ${d}::int AS total_productive_seconds, t.idle * ${d}::int AS total_idle_seconds, t.units AS total_production,
      CASE WHEN t.working > 0 THEN t.units::float8 / (t.working * ${d}::int / 3600.0) END AS average_production_rate,
      (SELECT avg(coalesce(working, 0)::float8 / (coalesce(working, 0) + coalesce(idle, 0))) FROM w WHERE coalesce(working, 0) + coalesce(idle, 0) > 0) AS average_worker_utilisation,
      (SELECT avg(coalesce(working, 0)::float8 / (coalesce(working, 0) + coalesce(idle, 0))) FROM s WHERE coalesce(working, 0) + coalesce(idle, 0) > 0) AS average_workstation_utilisation,
      t.events AS event_count, t.workers AS active_workers
    FROM t`);
  const [r] = rowsOf<Record<string, unknown>>(result);
  const productive = num(r.total_productive_seconds);
  const production = num(r.total_production);
  const rate = numOrNull(r.average_production_rate);
  const workerUtilisation = numOrNull(r.average_worker_utilisation);
  const stationUtilisation = numOrNull(r.average_workstation_utilisation);
  const events = num(r.event_count);
  return {
    total_productive_time_hours: toHours(productive),
    total_production_count: production,
    avg_production_rate: toRate(rate),
    avg_worker_utilization: toPercent(workerUtilisation),
    avg_workstation_utilization: toPercent(stationUtilisation),
    total_events: events,
    total_productive_seconds: productive,
    total_idle_seconds: num(r.total_idle_seconds),
    total_production: production,
    average_production_rate: rate,
    average_worker_utilisation: workerUtilisation,
    average_workstation_utilisation: stationUtilisation,
    event_count: events,
    active_workers: num(r.active_workers),
    state_duration_seconds: d,
  };
}

const DAY_MS = 24 * 3600_000;

/** Hourly buckets for ranges up to two days, daily beyond (and for unbounded ranges). */
export function seriesStep(range: MetricsRange): "1 hour" | "1 day" {
  if (!range.start || !range.end) return "1 day";
  return range.end.getTime() - range.start.getTime() <= 2 * DAY_MS ? "1 hour" : "1 day";
}

export async function utilisationSeries(
  scope: ProductivityScope,
  range: MetricsRange,
  filter: MetricsFilter = {},
): Promise<{ step: "1 hour" | "1 day"; points: SeriesPoint[] }> {
  const { state_duration_seconds: d } = await getSettings(scope);
  const step = seriesStep(range);
  const result = await scope.db.execute(sql`
    SELECT time_bucket(${step}::interval, bucket) AS t,
      coalesce(sum(events) FILTER (WHERE event_type = 'working'), 0) AS working,
      coalesce(sum(events) FILTER (WHERE event_type = 'idle'), 0) AS idle,
      coalesce(sum(units) FILTER (WHERE event_type = 'product_count'), 0) AS units
    FROM (${eventSource(scope, range, filter, { useDaily: step === "1 day" })}) src
    GROUP BY 1 ORDER BY 1`);
  const points = rowsOf<Record<string, unknown>>(result).map((r) => {
    const working = num(r.working);
    const idle = num(r.idle);
    return {
      bucket: new Date(r.t as string).toISOString(),
      active_seconds: working * d,
      idle_seconds: idle * d,
      utilisation: working + idle > 0 ? working / (working + idle) : null,
      units: num(r.units),
    };
  });
  return { step, points };
}

/** Everything the dashboard shows. Each table ignores its own dimension's filter so it can still be clicked. */
export async function dashboardMetrics(
  scope: ProductivityScope,
  range: MetricsRange,
  filter: MetricsFilter = {},
): Promise<Dashboard> {
  const factory = await factoryMetrics(scope, range, filter);
  const workers = await workerMetrics(scope, range, { workstationId: filter.workstationId });
  const workstations = await workstationMetrics(scope, range, { workerId: filter.workerId });
  const series = await utilisationSeries(scope, range, filter);
  return {
    range: { start_time: range.start?.toISOString() ?? null, end_time: range.end?.toISOString() ?? null },
    filter: { worker_id: filter.workerId ?? null, workstation_id: filter.workstationId ?? null },
    factory,
    workers,
    workstations,
    series,
  };
}
