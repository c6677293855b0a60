// Data management (SPEC P4): sample workers/workstations, N days of realistic events generated in
// SQL (generate_series, one INSERT per day), aggregate refresh, and clearing a tenant's events.
import { sql } from "drizzle-orm";
import { factoryWorkers, factoryWorkstations } from "../../../db/schema";
import { recordAudit } from "../audit.server";
import { assertRole, type TenantScope } from "../scope.server";
import { refreshProductivityAggregates } from "./aggregates.server";
import { rowsOf } from "./ingest.server";
import { generateInputSchema, initializeInputSchema, seedInputSchema } from "./schemas";

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
        name: `${FIRST_NAMES[i % FIRST_NAMES.length]} ${Math.floor(i / FIRST_NAMES.length) + 1}`,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: factoryWorkers.id });
  const s = await scope.db
    .insert(factoryWorkstations)
    .values(
      Array.from({ length: workstations }, (_, i) => {
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
 */
export async function generateEvents(scope: TenantScope, input: unknown = {}): Promise<GenerateResult> {
  assertRole(scope, "admin");
  const { days, interval_minutes, simulate_drift } = generateInputSchema.parse(input);
  const started = performance.now();
  const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const first = new Date(Math.floor(now.getTime() / DAY) * DAY - (days - 1) * DAY);
  const driftFrom = simulate_drift ? new Date(now.getTime() - 90 * 60_000) : null;
  let events = 0;
  for (let day = first.getTime(); day <= now.getTime(); day += DAY) {
    const from = new Date(day);
    const to = new Date(Math.min(day + DAY, now.getTime() + 1));
    events += await generateSlice(scope, from, to, interval_minutes, driftFrom);
  }
  await refreshProductivityAggregates(scope.db, first, now);
  const result = {
    events,
    from: first.toISOString(),
    to: now.toISOString(),
    ms: Math.round(performance.now() - started),
  };
  await recordAudit(scope.db, {
    tenantId: scope.tenantId,
    userId: scope.userId,
    action: "productivity.generate",
    details: { ...result, simulate_drift },
  });
  return result;
}

async function generateSlice(
  scope: TenantScope,
  from: Date,
  to: Date,
  intervalMinutes: number,
  driftFrom: Date | null,
): Promise<number> {
  const drift = driftFrom ? sql`${driftFrom.toISOString()}::timestamptz` : sql`'infinity'::timestamptz`;
  const result = await scope.db.execute(sql`
    WITH w AS (
      SELECT external_id, row_number() OVER (ORDER BY length(external_id), external_id) AS rn FROM factory_workers WHERE tenant_id = ${scope.tenantId}::uuid
    ), s AS (
      SELECT external_id, row_number() OVER (ORDER BY length(external_id), external_id) AS rn, count(*) OVER () AS n FROM factory_workstations WHERE tenant_id = ${scope.tenantId}::uuid
    ), slots AS (
      SELECT ts, w.external_id AS worker_id, s.external_id AS workstation_id, 0.55 + ((w.rn * 37) % 31) / 100.0 AS p_work,
        random() AS r, random() AS rc, random() AS ru, ts >= ${drift} AS drifted
      FROM w JOIN s ON s.rn = ((w.rn - 1) % s.n) + 1
      CROSS JOIN generate_series(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz - interval '1 microsecond', ${`${intervalMinutes} minutes`}::interval) AS ts
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
    ), inserted AS (
      INSERT INTO productivity_events (time, tenant_id, worker_id, workstation_id, event_type, confidence, count, model_id, model_version)
      SELECT ts, ${scope.tenantId}::uuid, worker_id, workstation_id, event_type::productivity_event_type,
        CASE WHEN drifted THEN 0.35 + rc * 0.2 ELSE 0.75 + rc * 0.23 END, units, 'yolo-factory', CASE WHEN drifted THEN 'v2' ELSE 'v1' END
      FROM rows
      ON CONFLICT DO NOTHING
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM inserted`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}

/** Deletes every event of the tenant and re-materialises the aggregates over the span they covered. */
export async function clearEvents(scope: TenantScope): Promise<{ deleted: number }> {
  assertRole(scope, "admin");
  const [span] = rowsOf<{ min: string | null; max: string | null }>(
    await scope.db.execute(
      sql`SELECT min(time) AS min, max(time) AS max FROM productivity_events WHERE tenant_id = ${scope.tenantId}::uuid`,
    ),
  );
  const deleted = rowsOf<{ n: number }>(
    await scope.db.execute(
      sql`WITH d AS (DELETE FROM productivity_events WHERE tenant_id = ${scope.tenantId}::uuid RETURNING 1) SELECT count(*)::int AS n FROM d`,
    ),
  )[0].n;
  if (span?.min && span.max) await refreshProductivityAggregates(scope.db, new Date(span.min), new Date(span.max));
  await recordAudit(scope.db, {
    tenantId: scope.tenantId,
    userId: scope.userId,
    action: "productivity.clear",
    details: { deleted },
  });
  return { deleted: Number(deleted) };
}

export async function refreshAll(scope: TenantScope): Promise<{ ms: number }> {
  assertRole(scope, "admin");
  const started = performance.now();
  await refreshProductivityAggregates(scope.db);
  return { ms: Math.round(performance.now() - started) };
}

/** Fresh start: clear events, seed sample entities, generate `days` of events. */
export async function initializeSampleData(scope: TenantScope, input: unknown = {}) {
  assertRole(scope, "admin");
  const values = initializeInputSchema.parse(input);
  const cleared = await clearEvents(scope);
  const seeded = await seedSampleEntities(scope, { workers: values.workers, workstations: values.workstations });
  const generated = await generateEvents(scope, { days: values.days, simulate_drift: values.simulate_drift });
  return { cleared: cleared.deleted, seeded, generated };
}
