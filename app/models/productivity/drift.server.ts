// Model drift detection and alerts (SPEC P5). For each model version seen in the recent window:
// - low_confidence: mean confidence below the tenant's threshold;
// - distribution_drift: KL(window || baseline) of event types above the threshold, the baseline
//   being the same model_id (any version) in the hours before the window.
// One open alert per (tenant, kind, model) while the condition lasts (a partial unique index makes
// that race-free); a check that finds the condition gone resolves it, and only then may it re-raise.
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { productivityAlerts, type AlertKind } from "../../../db/schema";
import { notFound } from "../../utils/errors.server";
import { singleton } from "../../utils/singleton.server";
import { assertRole, type TenantScope } from "../scope.server";
import { klDivergence, type Distribution } from "./drift";
import { rowsOf } from "./ingest.server";
import type { MetricsRange } from "./metrics.server";
import { eventSource } from "./metrics.server";
import { EVENT_TYPES, type AlertView, type ModelVersion } from "./schemas";
import type { ProductivityScope } from "./scope";
import { getSettings } from "./settings.server";
import { isUuid } from "../../../protocol/strings";

type AlertListener = (tenantId: string, alert: AlertView) => void;
const listeners = singleton("productivity-alert-listeners", () => new Set<AlertListener>());
export function onAlertRaised(listener: AlertListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const modelKey = (id: string | null, version: string | null) => `${id ?? ""}@${version ?? ""}`;
const splitKey = (key: string) => {
  const at = key.lastIndexOf("@");
  return { model_id: key.slice(0, at) || null, model_version: key.slice(at + 1) || null };
};
const iso = (v: Date | string | null) => (v ? new Date(v).toISOString() : null);

function toView(r: typeof productivityAlerts.$inferSelect): AlertView {
  return {
    id: r.id,
    kind: r.kind,
    ...splitKey(r.modelKey),
    message: r.message,
    value: r.value,
    threshold: r.threshold,
    window_start: iso(r.windowStart)!,
    window_end: iso(r.windowEnd)!,
    raised_at: iso(r.raisedAt)!,
    last_seen_at: iso(r.lastSeenAt)!,
    acknowledged_at: iso(r.acknowledgedAt),
    resolved_at: iso(r.resolvedAt),
  };
}

interface Condition {
  kind: AlertKind;
  key: string;
  value: number;
  threshold: number;
  message: string;
}

export interface DriftCheckResult {
  raised: AlertView[];
  ongoing: number;
  resolved: number;
}

export async function checkDrift(scope: ProductivityScope, now = new Date()): Promise<DriftCheckResult> {
  const settings = await getSettings(scope);
  const windowStart = new Date(now.getTime() - settings.drift_window_minutes * 60_000);
  const baselineStart = new Date(windowStart.getTime() - settings.drift_baseline_hours * 3600_000);
  const rows = rowsOf<{
    model_id: string | null;
    model_version: string | null;
    event_type: string;
    w_n: number;
    w_conf: number | null;
    b_n: number;
  }>(
    await scope.db.execute(sql`
      SELECT model_id, model_version, event_type::text AS event_type,
        count(*) FILTER (WHERE time >= ${windowStart.toISOString()}::timestamptz)::int AS w_n,
        sum(confidence) FILTER (WHERE time >= ${windowStart.toISOString()}::timestamptz)::float8 AS w_conf,
        count(*) FILTER (WHERE time < ${windowStart.toISOString()}::timestamptz)::int AS b_n
      FROM productivity_events
      WHERE tenant_id = ${scope.tenantId}::uuid AND time >= ${baselineStart.toISOString()}::timestamptz AND time < ${now.toISOString()}::timestamptz
      GROUP BY 1, 2, 3`),
  );
  const windows = new Map<string, { modelId: string | null; n: number; conf: number; dist: Distribution }>();
  const baselines = new Map<string, Distribution>();
  for (const r of rows) {
    const wn = Number(r.w_n);
    if (wn > 0) {
      const key = modelKey(r.model_id, r.model_version);
      const w = windows.get(key) ?? { modelId: r.model_id, n: 0, conf: 0, dist: {} };
      w.n += wn;
      w.conf += Number(r.w_conf ?? 0);
      w.dist[r.event_type] = (w.dist[r.event_type] ?? 0) + wn;
      windows.set(key, w);
    }
    const base = baselines.get(r.model_id ?? "") ?? {};
    base[r.event_type] = (base[r.event_type] ?? 0) + Number(r.b_n);
    baselines.set(r.model_id ?? "", base);
  }

  const conditions: Condition[] = [];
  const minutes = settings.drift_window_minutes;
  for (const [key, w] of windows) {
    if (w.n < settings.drift_min_events) continue;
    const mean = w.conf / w.n;
    if (mean < settings.drift_confidence_threshold) {
      conditions.push({
        kind: "low_confidence",
        key,
        value: mean,
        threshold: settings.drift_confidence_threshold,
        message: `Mean confidence of ${key} was ${mean.toFixed(2)} over the last ${minutes} min (threshold ${settings.drift_confidence_threshold})`,
      });
    }
    const base = baselines.get(w.modelId ?? "") ?? {};
    const baseTotal = Object.values(base).reduce((a, b) => a + b, 0);
    if (baseTotal >= settings.drift_min_events) {
      const kl = klDivergence(w.dist, base);
      if (kl > settings.drift_kl_threshold) {
        conditions.push({
          kind: "distribution_drift",
          key,
          value: kl,
          threshold: settings.drift_kl_threshold,
          message: `Event-type distribution of ${key} drifted: KL ${kl.toFixed(2)} vs the previous ${settings.drift_baseline_hours} h (threshold ${settings.drift_kl_threshold})`,
        });
      }
    }
  }

  const raised: AlertView[] = [];
  let ongoing = 0;
  for (const c of conditions) {
    const [row] = rowsOf<{ id: string; inserted: boolean }>(
      await scope.db.execute(sql`
        INSERT INTO productivity_alerts (tenant_id, kind, model_key, message, value, threshold, window_start, window_end)
        VALUES (${scope.tenantId}::uuid, ${c.kind}, ${c.key}, ${c.message}, ${c.value}, ${c.threshold}, ${windowStart.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz)
        ON CONFLICT (tenant_id, kind, model_key) WHERE resolved_at IS NULL
        DO UPDATE SET last_seen_at = now(), value = EXCLUDED.value, window_end = EXCLUDED.window_end
        RETURNING id, (xmax = 0) AS inserted`),
    );
    if (row.inserted) {
      const [alert] = await scope.db.select().from(productivityAlerts).where(eq(productivityAlerts.id, row.id));
      raised.push(toView(alert));
    } else ongoing++;
  }

  // Resolve open alerts whose condition is gone.
  const active = new Set(conditions.map((c) => `${c.kind}|${c.key}`));
  const open = await scope.db
    .select({ id: productivityAlerts.id, kind: productivityAlerts.kind, key: productivityAlerts.modelKey })
    .from(productivityAlerts)
    .where(and(eq(productivityAlerts.tenantId, scope.tenantId), isNull(productivityAlerts.resolvedAt)));
  let resolved = 0;
  for (const a of open) {
    if (active.has(`${a.kind}|${a.key}`)) continue;
    await scope.db.update(productivityAlerts).set({ resolvedAt: now }).where(eq(productivityAlerts.id, a.id));
    resolved++;
  }
  for (const alert of raised) for (const listener of listeners) listener(scope.tenantId, alert);
  return { raised, ongoing, resolved };
}

/** Runs the check for every tenant with events in the last day (the scheduler calls this). */
export async function checkDriftForAllTenants(db: Db, now = new Date()): Promise<DriftCheckResult[]> {
  const tenants = rowsOf<{ tenant_id: string }>(
    await db.execute(
      sql`SELECT DISTINCT tenant_id FROM productivity_events WHERE time >= ${new Date(now.getTime() - 24 * 3600_000).toISOString()}::timestamptz AND time <= ${now.toISOString()}::timestamptz`,
    ),
  );
  const results: DriftCheckResult[] = [];
  for (const t of tenants) results.push(await checkDrift({ db, tenantId: t.tenant_id }, now));
  return results;
}

export async function listAlerts(
  scope: ProductivityScope,
  status: "open" | "all" = "all",
  limit = 100,
): Promise<AlertView[]> {
  const where =
    status === "open"
      ? and(
          eq(productivityAlerts.tenantId, scope.tenantId),
          isNull(productivityAlerts.acknowledgedAt),
          isNull(productivityAlerts.resolvedAt),
        )
      : eq(productivityAlerts.tenantId, scope.tenantId);
  const rows = await scope.db
    .select()
    .from(productivityAlerts)
    .where(where)
    .orderBy(desc(productivityAlerts.raisedAt))
    .limit(limit);
  return rows.map(toView);
}

export async function acknowledgeAlert(scope: TenantScope, id: string): Promise<AlertView> {
  assertRole(scope, "operator");
  if (!isUuid(id)) throw notFound("Alert not found");
  const [row] = await scope.db
    .update(productivityAlerts)
    .set({
      acknowledgedAt: sql`coalesce(${productivityAlerts.acknowledgedAt}, now())`,
      acknowledgedBy: sql`coalesce(${productivityAlerts.acknowledgedBy}, ${scope.userId}::uuid)`,
    })
    .where(and(eq(productivityAlerts.tenantId, scope.tenantId), eq(productivityAlerts.id, id)))
    .returning();
  if (!row) throw notFound("Alert not found");
  return toView(row);
}

/** Model versions seen in the range with their event count, mean confidence and event-type mix. */
export async function listModelVersions(scope: ProductivityScope, range: MetricsRange): Promise<ModelVersion[]> {
  const rows = rowsOf<{
    model_id: string | null;
    model_version: string | null;
    event_type: string;
    first_seen: string;
    last_seen: string;
    events: number;
    conf: number;
  }>(
    await scope.db.execute(sql`
      SELECT model_id, model_version, event_type::text AS event_type, min(bucket) AS first_seen, max(bucket) AS last_seen,
        sum(events)::bigint AS events, sum(confidence_sum)::float8 AS conf
      FROM (${eventSource(scope, range)}) src GROUP BY 1, 2, 3`),
  );
  const byKey = new Map<string, ModelVersion & { conf: number }>();
  for (const r of rows) {
    const key = modelKey(r.model_id, r.model_version);
    const m = byKey.get(key) ?? {
      model_id: r.model_id,
      model_version: r.model_version,
      first_seen: iso(r.first_seen)!,
      last_seen: iso(r.last_seen)!,
      event_count: 0,
      average_confidence: null,
      distribution: {},
      conf: 0,
    };
    m.event_count += Number(r.events);
    m.conf += Number(r.conf);
    m.distribution[r.event_type] = Number(r.events);
    if (iso(r.first_seen)! < m.first_seen) m.first_seen = iso(r.first_seen)!;
    if (iso(r.last_seen)! > m.last_seen) m.last_seen = iso(r.last_seen)!;
    byKey.set(key, m);
  }
  return [...byKey.values()]
    .map(({ conf, ...m }) => ({
      ...m,
      average_confidence: m.event_count ? conf / m.event_count : null,
      distribution: Object.fromEntries(
        EVENT_TYPES.map((t) => [t, m.event_count ? (m.distribution[t] ?? 0) / m.event_count : 0]),
      ),
    }))
    .sort((a, b) => b.last_seen.localeCompare(a.last_seen));
}

/** Mean confidence per model version per bucket (the model-operations trend chart). */
export async function confidenceTrend(
  scope: ProductivityScope,
  range: MetricsRange,
  step: "1 hour" | "1 day",
): Promise<Array<{ bucket: string; model: string; confidence: number; events: number }>> {
  const rows = rowsOf<{
    t: string;
    model_id: string | null;
    model_version: string | null;
    events: number;
    conf: number;
  }>(
    await scope.db.execute(sql`
      SELECT time_bucket(${step}::interval, bucket) AS t, model_id, model_version, sum(events)::bigint AS events, sum(confidence_sum)::float8 AS conf
      FROM (${eventSource(scope, range, {}, { useDaily: step === "1 day" })}) src GROUP BY 1, 2, 3 ORDER BY 1`),
  );
  return rows.map((r) => ({
    bucket: iso(r.t)!,
    model: modelKey(r.model_id, r.model_version),
    events: Number(r.events),
    confidence: Number(r.events) ? Number(r.conf) / Number(r.events) : 0,
  }));
}
