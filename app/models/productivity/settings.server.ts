// Per-tenant productivity settings (state duration, auto-create, drift thresholds). No row = defaults.
import { eq } from "drizzle-orm";
import { productivitySettings } from "../../../db/schema";
import { recordAudit } from "../audit.server";
import { assertRole, type TenantScope } from "../scope.server";
import { settingsUpdateSchema, type ProductivitySettingsValues } from "./schemas";
import type { ProductivityScope } from "./scope";

export const DEFAULT_SETTINGS: ProductivitySettingsValues = {
  state_duration_seconds: 300,
  auto_create_entities: false,
  drift_confidence_threshold: 0.6,
  drift_kl_threshold: 0.5,
  drift_window_minutes: 60,
  drift_baseline_hours: 24,
  drift_min_events: 20,
};

type Row = typeof productivitySettings.$inferSelect;

export function toSettingsValues(row: Row | undefined): ProductivitySettingsValues {
  if (!row) return { ...DEFAULT_SETTINGS };
  return {
    state_duration_seconds: row.stateDurationSeconds,
    auto_create_entities: row.autoCreateEntities,
    drift_confidence_threshold: row.driftConfidenceThreshold,
    drift_kl_threshold: row.driftKlThreshold,
    drift_window_minutes: row.driftWindowMinutes,
    drift_baseline_hours: row.driftBaselineHours,
    drift_min_events: row.driftMinEvents,
  };
}

export async function getSettings(scope: ProductivityScope): Promise<ProductivitySettingsValues> {
  const [row] = await scope.db
    .select()
    .from(productivitySettings)
    .where(eq(productivitySettings.tenantId, scope.tenantId));
  return toSettingsValues(row);
}

export async function updateSettings(scope: TenantScope, input: unknown): Promise<ProductivitySettingsValues> {
  assertRole(scope, "admin");
  const next = { ...(await getSettings(scope)), ...settingsUpdateSchema.parse(input) };
  const values = {
    stateDurationSeconds: next.state_duration_seconds,
    autoCreateEntities: next.auto_create_entities,
    driftConfidenceThreshold: next.drift_confidence_threshold,
    driftKlThreshold: next.drift_kl_threshold,
    driftWindowMinutes: next.drift_window_minutes,
    driftBaselineHours: next.drift_baseline_hours,
    driftMinEvents: next.drift_min_events,
    updatedAt: new Date(),
  };
  await scope.db
    .insert(productivitySettings)
    .values({ tenantId: scope.tenantId, ...values })
    .onConflictDoUpdate({ target: productivitySettings.tenantId, set: values });
  await recordAudit(scope.db, {
    tenantId: scope.tenantId,
    userId: scope.userId,
    action: "productivity.settings.update",
    details: next,
  });
  return next;
}
