// The productivity API's contract (SPEC P1-P6): these zod schemas validate every request and are
// also what openapi.server.ts turns into the OpenAPI 3.1 document, so the two cannot drift apart.
// No server imports here: the browser may use the types.
import { z } from "zod";
import { float4, safeText } from "../../../protocol/strings";

export const EVENT_TYPES = ["working", "idle", "absent", "product_count"] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export const STATE_EVENT_TYPES = ["working", "idle", "absent"] as const;
export const MAX_BATCH_EVENTS = 1000;
/** Clock skew tolerated on event timestamps; later ones are rejected as far-future. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
/** Earliest accepted event time: anything older is almost certainly a broken clock. */
export const MIN_EVENT_TIME = Date.parse("2000-01-01T00:00:00Z");

export const externalIdSchema = safeText()
  .trim()
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, "may contain letters, digits and . _ : - only")
  .describe('External id as the CV system sends it, e.g. "W1" or "S1"');

const isoDateTime = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 date-time with a time zone, e.g. 2025-01-15T10:00:00Z" })
  .describe("ISO 8601 date-time with a zone (Z or ±hh:mm)");

export const eventInputSchema = z
  .strictObject({
    timestamp: isoDateTime,
    worker_id: externalIdSchema,
    workstation_id: externalIdSchema
      .optional()
      .describe(
        'External id of the workstation, e.g. "S1". Optional: an event without one (the documented model-versioning example) counts for the worker and the factory, at no workstation',
      ),
    event_type: z.enum(EVENT_TYPES, { message: `must be one of ${EVENT_TYPES.join(", ")}` }),
    confidence: float4({ message: "must be a number" })
      .min(0, "must be between 0 and 1")
      .max(1, "must be between 0 and 1"),
    count: z
      .number({ message: "must be a number" })
      .int("must be a whole number")
      .min(0, "must be >= 0")
      .max(1_000_000, "must be at most 1000000")
      .optional()
      .describe("Units produced; required for product_count, ignored (stored as 0) for state events"),
    model_id: safeText().trim().min(1).max(100).optional(),
    model_version: safeText().trim().min(1).max(100).optional(),
  })
  .superRefine((event, ctx) => {
    const time = Date.parse(event.timestamp);
    if (time > Date.now() + MAX_FUTURE_SKEW_MS) {
      ctx.addIssue({
        code: "custom",
        path: ["timestamp"],
        message: "is in the future (more than 5 minutes ahead of the server clock)",
      });
    }
    if (time < MIN_EVENT_TIME) ctx.addIssue({ code: "custom", path: ["timestamp"], message: "is before 2000-01-01" });
    if (event.event_type === "product_count" && event.count === undefined) {
      ctx.addIssue({ code: "custom", path: ["count"], message: "is required for product_count events" });
    }
  })
  .describe("One event from a CV system");
export type EventInput = z.output<typeof eventInputSchema>;

/** The envelope is checked first (size, shape); each event is then validated on its own. */
export const eventBatchEnvelopeSchema = z.strictObject({
  events: z
    .array(z.unknown())
    .min(1, "events must hold at least one event")
    .max(MAX_BATCH_EVENTS, `A batch holds at most ${MAX_BATCH_EVENTS} events; split it into several requests`),
});
/** What the OpenAPI document shows for a batch: the envelope with its items' schema. */
export const eventBatchDocSchema = z.strictObject({ events: z.array(eventInputSchema).min(1).max(MAX_BATCH_EVENTS) });

export const storedEventSchema = z.object({
  id: z
    .number()
    .int()
    .describe(
      "Stable event id (a 53-bit number derived from the event's unique key, so a duplicate answers with the same id)",
    ),
  timestamp: z.string(),
  worker_id: z.string(),
  workstation_id: z.string().nullable().describe("null when the event was sent without a workstation_id"),
  event_type: z.enum(EVENT_TYPES),
  confidence: z.number(),
  count: z.number().int(),
  model_id: z.string().nullable(),
  model_version: z.string().nullable(),
  received_at: z.string(),
  duplicate: z.boolean().describe("True when an identical event was already stored (nothing was written)"),
});
export type StoredEvent = z.infer<typeof storedEventSchema>;

export const batchResultSchema = z.object({
  total_received: z.number().int(),
  successfully_stored: z.number().int(),
  duplicates_skipped: z.number().int(),
  errors: z.array(z.object({ index: z.number().int(), message: z.string() })),
});
export type BatchResult = z.infer<typeof batchResultSchema>;

export const rangeQuerySchema = z
  .strictObject({
    start_time: isoDateTime.optional().describe("Inclusive start (events with timestamp >= start_time)"),
    end_time: isoDateTime.optional().describe("Exclusive end (events with timestamp < end_time)"),
    worker_id: externalIdSchema.optional().describe("Only events of this worker"),
    workstation_id: externalIdSchema.optional().describe("Only events at this workstation"),
  })
  .refine((r) => !r.start_time || !r.end_time || Date.parse(r.start_time) < Date.parse(r.end_time), {
    message: "start_time must be before end_time",
    path: ["end_time"],
  });
export type RangeQuery = z.output<typeof rangeQuerySchema>;

const seconds = z.number().describe("Seconds");
const ratio = z.number().nullable().describe("0..1; null when the denominator is zero");
const rate = z.number().nullable().describe("Units per hour; null when the hours are zero");
// The documented productivity API's fields (docs/productivity-metrics.md, "Documented API"): hours and
// percentages rounded to 2 decimals, and 0 (never null) when the denominator is zero.
const hours = z.number().describe("Hours, rounded to 2 decimals");
const percent = z.number().describe("0..100, rounded to 2 decimals; 0 when the denominator is zero");
const docRate = z.number().describe("Units per hour, rounded to 2 decimals; 0 when the hours are zero");

export const workerMetricsSchema = z.object({
  worker_id: z.string(),
  name: z.string().nullable(),
  total_active_time_hours: hours.describe("#working x duration, in hours"),
  total_idle_time_hours: hours.describe("#idle x duration, in hours"),
  utilization_percentage: percent.describe("active / (active + idle) x 100; absent excluded"),
  total_units_produced: z.number().int().describe("Sum of count over product_count events"),
  units_per_hour: docRate.describe("total_units_produced / active hours"),
  active_seconds: seconds,
  idle_seconds: seconds,
  absent_seconds: seconds,
  utilisation: ratio.describe("active / (active + idle); absent excluded"),
  units_produced: z.number().int(),
  units_per_active_hour: rate,
  event_count: z.number().int(),
});
export type WorkerMetrics = z.infer<typeof workerMetricsSchema>;

export const workstationMetricsSchema = z.object({
  station_id: z.string().describe("The workstation's external id (same as workstation_id)"),
  workstation_id: z.string(),
  name: z.string().nullable(),
  station_type: z.string().nullable(),
  occupancy_time_hours: hours.describe("(#working + #idle) x duration, in hours"),
  utilization_percentage: percent.describe("working time / occupancy x 100"),
  total_units_produced: z.number().int(),
  throughput_rate: docRate.describe("total_units_produced / occupancy hours"),
  occupancy_seconds: seconds.describe("(working + idle events) x duration: time someone was at the station"),
  active_seconds: seconds,
  idle_seconds: seconds,
  utilisation: ratio.describe("active / occupancy"),
  units_produced: z.number().int(),
  throughput_per_occupied_hour: rate,
  event_count: z.number().int(),
});
export type WorkstationMetrics = z.infer<typeof workstationMetricsSchema>;

export const factoryMetricsSchema = z.object({
  total_productive_time_hours: hours.describe("#working x duration over all workers, in hours"),
  total_production_count: z.number().int().describe("Sum of count over product_count events"),
  avg_production_rate: docRate.describe("total_production_count / productive hours"),
  avg_worker_utilization: percent.describe("Mean of the workers' utilisation (workers with working/idle time)"),
  avg_workstation_utilization: percent.describe("Mean of the workstations' utilisation (occupied workstations)"),
  total_events: z.number().int().describe("All events in the range, all types"),
  total_productive_seconds: seconds,
  total_idle_seconds: seconds,
  total_production: z.number().int(),
  average_production_rate: rate.describe("total_production / productive hours"),
  average_worker_utilisation: ratio.describe("Mean of per-worker utilisation over workers with any working/idle time"),
  average_workstation_utilisation: ratio.describe("Mean of per-workstation utilisation over occupied workstations"),
  event_count: z.number().int(),
  active_workers: z.number().int().describe("Workers with any event in the range"),
  state_duration_seconds: z.number().int(),
});
export type FactoryMetrics = z.infer<typeof factoryMetricsSchema>;

/** The documented fields only, as /metrics/factory and the single-entity endpoints also give them at the top level. */
export const DOCUMENTED_FACTORY_FIELDS = [
  "total_productive_time_hours",
  "total_production_count",
  "avg_production_rate",
  "avg_worker_utilization",
  "avg_workstation_utilization",
  "total_events",
] as const satisfies ReadonlyArray<keyof FactoryMetrics>;
export const DOCUMENTED_WORKER_FIELDS = [
  "worker_id",
  "name",
  "total_active_time_hours",
  "total_idle_time_hours",
  "utilization_percentage",
  "total_units_produced",
  "units_per_hour",
] as const satisfies ReadonlyArray<keyof WorkerMetrics>;
export const DOCUMENTED_WORKSTATION_FIELDS = [
  "station_id",
  "name",
  "station_type",
  "occupancy_time_hours",
  "utilization_percentage",
  "total_units_produced",
  "throughput_rate",
] as const satisfies ReadonlyArray<keyof WorkstationMetrics>;

export function pickFields<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, value[k]])) as Pick<T, K>;
}

export const seriesPointSchema = z.object({
  bucket: z.string(),
  active_seconds: z.number(),
  idle_seconds: z.number(),
  utilisation: z.number().nullable(),
  units: z.number().int(),
});
export type SeriesPoint = z.infer<typeof seriesPointSchema>;

export const metricsRangeSchema = z.object({ start_time: z.string().nullable(), end_time: z.string().nullable() });

export const dashboardSchema = z.object({
  range: metricsRangeSchema,
  filter: z.object({ worker_id: z.string().nullable(), workstation_id: z.string().nullable() }),
  factory: factoryMetricsSchema,
  workers: z.array(workerMetricsSchema),
  workstations: z.array(workstationMetricsSchema),
  series: z.object({ step: z.enum(["1 hour", "1 day"]), points: z.array(seriesPointSchema) }),
});
export type Dashboard = z.infer<typeof dashboardSchema>;

export const workerInputSchema = z.strictObject({
  worker_id: externalIdSchema,
  name: safeText().trim().min(1, "Name is required").max(100),
});
export const workerUpdateSchema = z.strictObject({ name: safeText().trim().min(1, "Name is required").max(100) });
export const workerSchema = z.object({ worker_id: z.string(), name: z.string(), created_at: z.string() });

export const workstationInputSchema = z.strictObject({
  workstation_id: externalIdSchema,
  name: safeText().trim().min(1, "Name is required").max(100),
  station_type: safeText().trim().min(1).max(50).default("assembly"),
});
export const workstationUpdateSchema = z.strictObject({
  name: safeText().trim().min(1, "Name is required").max(100).optional(),
  station_type: safeText().trim().min(1).max(50).optional(),
});
export const workstationSchema = z.object({
  workstation_id: z.string(),
  name: z.string(),
  station_type: z.string(),
  created_at: z.string(),
});

export const settingsSchema = z.strictObject({
  state_duration_seconds: z
    .number()
    .int()
    .min(1)
    .max(86_400)
    .describe("How long each working/idle/absent event counts for"),
  auto_create_entities: z
    .boolean()
    .describe("Create unknown workers/workstations on ingest instead of rejecting the event"),
  drift_confidence_threshold: float4()
    .min(0)
    .max(1)
    .describe("Alert when a model's mean confidence in the window is below this"),
  drift_kl_threshold: float4().gt(0).max(20).describe("Alert when KL(window || baseline) of event types exceeds this"),
  drift_window_minutes: z.number().int().min(5).max(1440),
  drift_baseline_hours: z.number().int().min(1).max(720).describe("Baseline: this many hours before the window"),
  drift_min_events: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .describe("Fewer events in the window (or baseline) means no verdict"),
});
export type ProductivitySettingsValues = z.infer<typeof settingsSchema>;
export const settingsUpdateSchema = settingsSchema.partial();

export const apiKeyInputSchema = z.strictObject({ name: safeText().trim().min(1, "Name is required").max(100) });
export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});
export const createdApiKeySchema = apiKeySchema.extend({
  key: z.string().describe("The secret; shown only in this response"),
});

export const seedInputSchema = z.strictObject({
  workers: z.number().int().min(1).max(500).default(6),
  workstations: z.number().int().min(1).max(500).default(6),
});

const numDays = z.number().int().min(1).max(90);
const eventsPerDay = z
  .number()
  .int()
  .min(1)
  .max(100_000)
  .describe(
    "About this many working/idle/absent events per day over all workers (plus product_count events); instead of interval_minutes",
  );
export const generateInputSchema = z
  .strictObject({
    days: numDays.optional().describe("Days of events, ending now (default 7)"),
    num_days: numDays.optional().describe("Same as days (the documented name)"),
    interval_minutes: z
      .number()
      .int()
      .min(1)
      .max(60)
      .optional()
      .describe("Each worker reports every this many minutes during the shift (default 5)"),
    events_per_day: eventsPerDay.optional(),
    clear_existing: z.boolean().default(false).describe("Delete the tenant's events first"),
    simulate_drift: z.boolean().default(false).describe("Make the last 90 minutes come from a degraded model v2"),
  })
  .refine((v) => v.days === undefined || v.num_days === undefined || v.days === v.num_days, {
    message: "days and num_days are the same setting; send one",
    path: ["num_days"],
  })
  .refine((v) => v.interval_minutes === undefined || v.events_per_day === undefined, {
    message: "send interval_minutes or events_per_day, not both",
    path: ["events_per_day"],
  });
export type GenerateInput = z.output<typeof generateInputSchema>;

/** POST /data/refresh: clear the tenant's events and generate fresh ones (the documented meaning). */
export const refreshInputSchema = z.strictObject({
  num_days: numDays.default(7).describe("Days of events, ending now"),
  events_per_day: eventsPerDay.optional(),
  clear_existing: z.literal(true).optional().describe("Refresh always clears; accepted for compatibility"),
});
export const refreshResultSchema = z.object({
  message: z.string(),
  events_generated: z.number().int(),
  workers: z.number().int().describe("Workers in the tenant"),
  workstations: z.number().int().describe("Workstations in the tenant"),
  events_deleted: z.number().int(),
  from: z.string(),
  to: z.string(),
  ms: z.number().int(),
});

export const initializeInputSchema = z.strictObject({
  workers: z.number().int().min(1).max(500).default(6),
  workstations: z.number().int().min(1).max(500).default(6),
  days: z.number().int().min(1).max(90).default(7),
  simulate_drift: z.boolean().default(false),
});

export const alertSchema = z.object({
  id: z.string(),
  kind: z.enum(["low_confidence", "distribution_drift"]),
  model_id: z.string().nullable(),
  model_version: z.string().nullable(),
  message: z.string(),
  value: z.number(),
  threshold: z.number(),
  window_start: z.string(),
  window_end: z.string(),
  raised_at: z.string(),
  last_seen_at: z.string(),
  acknowledged_at: z.string().nullable(),
  resolved_at: z.string().nullable(),
});
export type AlertView = z.infer<typeof alertSchema>;
export const alertListQuerySchema = z.strictObject({ status: z.enum(["open", "all"]).default("all") });

export const modelVersionSchema = z.object({
  model_id: z.string().nullable(),
  model_version: z.string().nullable(),
  first_seen: z.string(),
  last_seen: z.string(),
  event_count: z.number().int(),
  average_confidence: z.number().nullable(),
  distribution: z.record(z.string(), z.number().describe("Share of events (0..1)")),
});
export type ModelVersion = z.infer<typeof modelVersionSchema>;

export const errorSchema = z.object({ error: z.string(), message: z.string(), details: z.unknown().optional() });

/** Turns URL search params into a plain object (empty values count as absent). */
export function searchParamsObject(params: URLSearchParams): Record<string, string> {
  return Object.fromEntries([...params.entries()].filter(([, v]) => v !== ""));
}
