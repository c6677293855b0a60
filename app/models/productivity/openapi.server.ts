// The OpenAPI 3.1 description of the productivity REST API (SPEC P6), built from the same zod
// schemas the routes validate with (zod 4's z.toJSONSchema emits JSON Schema 2020-12, which is
// OpenAPI 3.1's schema dialect). Served at /api/v1/openapi.json and rendered at /api-docs.
import { z } from "zod";
import * as s from "./schemas";
import { generateVccInputSchema } from "../vcc/generate.server";
import { vccParamsSchema } from "../vcc/params";
import { vccResultSchema } from "../vcc/result-schema";

type Method = "get" | "post" | "patch" | "delete";
interface Operation {
  method: Method;
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Who may call it: the minimum tenant role for sessions, and whether API keys are accepted. */
  access: { role: "viewer" | "operator" | "admin"; apiKey: boolean };
  query?: z.ZodObject | z.ZodType;
  body?: z.ZodType;
  /** The body may be left out (or sent empty): it then means `{}`, i.e. the defaults. */
  bodyOptional?: boolean;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
}

const rangeParams = s.rangeQuerySchema;
const factoryDocumented = s.factoryMetricsSchema.pick(
  Object.fromEntries(s.DOCUMENTED_FACTORY_FIELDS.map((k) => [k, true])) as Record<
    (typeof s.DOCUMENTED_FACTORY_FIELDS)[number],
    true
  >,
);
const workerDocumented = s.workerMetricsSchema.pick(
  Object.fromEntries(s.DOCUMENTED_WORKER_FIELDS.map((k) => [k, true])) as Record<
    (typeof s.DOCUMENTED_WORKER_FIELDS)[number],
    true
  >,
);
const workstationDocumented = s.workstationMetricsSchema.pick(
  Object.fromEntries(s.DOCUMENTED_WORKSTATION_FIELDS.map((k) => [k, true])) as Record<
    (typeof s.DOCUMENTED_WORKSTATION_FIELDS)[number],
    true
  >,
);
const dataResult = z.object({ message: z.string() }).loose();
const list = <K extends string>(key: K, item: z.ZodType) =>
  z.object({ [key]: z.array(item) } as Record<K, z.ZodArray<z.ZodType>>);

export const operations: Operation[] = [
  {
    method: "post",
    path: "/api/v1/events",
    tag: "Ingestion",
    summary: "Ingest one event",
    access: { role: "operator", apiKey: true },
    body: s.eventInputSchema,
    description:
      "Stores the event and returns it (201) with its `id`. An identical event (same timestamp, worker_id, workstation_id, event_type) is not stored twice: the stored one is returned with 200, the same id and duplicate=true. `workstation_id` may be left out (the documented model-versioning example): the event then counts for the worker and the factory only.",
    responses: {
      201: { description: "Stored", schema: s.storedEventSchema },
      200: { description: "Duplicate; nothing written", schema: s.storedEventSchema },
      400: { description: "Invalid event or unknown worker/workstation" },
    },
  },
  {
    method: "post",
    path: "/api/v1/events/batch",
    tag: "Ingestion",
    summary: `Ingest up to ${s.MAX_BATCH_EVENTS} events`,
    access: { role: "operator", apiKey: true },
    body: s.eventBatchDocSchema,
    description:
      "Each event is validated on its own: bad events are reported by index in `errors` and never reject the good ones. Bodies over 2 MiB get 413; more than 1000 events get 400.",
    responses: {
      201: { description: "Some events stored", schema: s.batchResultSchema },
      200: { description: "Nothing new stored", schema: s.batchResultSchema },
      400: { description: "Not a batch (bad JSON, no events array, more than 1000 events)" },
      413: { description: "Body over 2 MiB" },
    },
  },
  {
    method: "get",
    path: "/api/v1/metrics/dashboard",
    tag: "Metrics",
    summary: "Factory summary, worker and workstation tables, utilisation series",
    access: { role: "viewer", apiKey: true },
    query: rangeParams,
    responses: { 200: { description: "OK", schema: s.dashboardSchema } },
  },
  {
    method: "get",
    path: "/api/v1/metrics/factory",
    tag: "Metrics",
    summary: "Factory metrics",
    access: { role: "viewer", apiKey: true },
    query: rangeParams,
    description:
      "The documented factory fields (total_productive_time_hours, total_production_count, avg_production_rate, avg_worker_utilization, avg_workstation_utilization, total_events) at the top level, and Argus's full `factory` object beside them.",
    responses: {
      200: {
        description: "OK",
        schema: factoryDocumented.extend({ range: s.metricsRangeSchema, factory: s.factoryMetricsSchema }),
      },
    },
  },
  {
    method: "get",
    path: "/api/v1/metrics/workers",
    tag: "Metrics",
    summary: "Per-worker metrics",
    access: { role: "viewer", apiKey: true },
    query: rangeParams,
    responses: { 200: { description: "OK", schema: list("workers", s.workerMetricsSchema) } },
  },
  {
    method: "get",
    path: "/api/v1/metrics/workers/{worker_id}",
    tag: "Metrics",
    summary: "One worker's metrics and series",
    description: "The documented worker fields at the top level, Argus's full `worker` object and series beside them.",
    access: { role: "viewer", apiKey: true },
    query: rangeParams,
    responses: {
      200: {
        description: "OK",
        schema: workerDocumented.extend({ worker: s.workerMetricsSchema, series: s.dashboardSchema.shape.series }),
      },
      404: { description: "Unknown worker" },
    },
  },
  {
    method: "get",
    path: "/api/v1/metrics/workstations",
    tag: "Metrics",
    summary: "Per-workstation metrics",
    access: { role: "viewer", apiKey: true },
    query: rangeParams,
    responses: { 200: { description: "OK", schema: list("workstations", s.workstationMetricsSchema) } },
  },
  {
    method: "get",
    path: "/api/v1/metrics/workstations/{workstation_id}",
    tag: "Metrics",
    summary: "One workstation's metrics and series",
    description:
      "The documented workstation fields at the top level, Argus's full `workstation` object and series beside them.",
    access: { role: "viewer", apiKey: true },
    query: rangeParams,
    responses: {
      200: {
        description: "OK",
        schema: workstationDocumented.extend({
          workstation: s.workstationMetricsSchema,
          series: s.dashboardSchema.shape.series,
        }),
      },
      404: { description: "Unknown workstation" },
    },
  },
  {
    method: "get",
    path: "/api/v1/factory/workers",
    tag: "Workers and workstations",
    summary: "List workers (people)",
    access: { role: "viewer", apiKey: false },
    responses: { 200: { description: "OK", schema: list("workers", s.workerSchema) } },
  },
  {
    method: "post",
    path: "/api/v1/factory/workers",
    tag: "Workers and workstations",
    summary: "Create a worker",
    access: { role: "operator", apiKey: false },
    body: s.workerInputSchema,
    responses: { 201: { description: "Created", schema: s.workerSchema }, 409: { description: "Id taken" } },
  },
  {
    method: "get",
    path: "/api/v1/factory/workers/{worker_id}",
    tag: "Workers and workstations",
    summary: "Get a worker",
    access: { role: "viewer", apiKey: false },
    responses: { 200: { description: "OK", schema: s.workerSchema }, 404: { description: "Not found" } },
  },
  {
    method: "patch",
    path: "/api/v1/factory/workers/{worker_id}",
    tag: "Workers and workstations",
    summary: "Rename a worker",
    access: { role: "operator", apiKey: false },
    body: s.workerUpdateSchema,
    responses: { 200: { description: "OK", schema: s.workerSchema } },
  },
  {
    method: "delete",
    path: "/api/v1/factory/workers/{worker_id}",
    tag: "Workers and workstations",
    summary: "Delete a worker (their events stay)",
    access: { role: "admin", apiKey: false },
    responses: { 204: { description: "Deleted" } },
  },
  {
    method: "get",
    path: "/api/v1/factory/workstations",
    tag: "Workers and workstations",
    summary: "List workstations",
    access: { role: "viewer", apiKey: false },
    responses: { 200: { description: "OK", schema: list("workstations", s.workstationSchema) } },
  },
  {
    method: "post",
    path: "/api/v1/factory/workstations",
    tag: "Workers and workstations",
    summary: "Create a workstation",
    access: { role: "operator", apiKey: false },
    body: s.workstationInputSchema,
    responses: { 201: { description: "Created", schema: s.workstationSchema }, 409: { description: "Id taken" } },
  },
  {
    method: "get",
    path: "/api/v1/factory/workstations/{workstation_id}",
    tag: "Workers and workstations",
    summary: "Get a workstation",
    access: { role: "viewer", apiKey: false },
    responses: { 200: { description: "OK", schema: s.workstationSchema } },
  },
  {
    method: "patch",
    path: "/api/v1/factory/workstations/{workstation_id}",
    tag: "Workers and workstations",
    summary: "Update a workstation",
    access: { role: "operator", apiKey: false },
    body: s.workstationUpdateSchema,
    responses: { 200: { description: "OK", schema: s.workstationSchema } },
  },
  {
    method: "delete",
    path: "/api/v1/factory/workstations/{workstation_id}",
    tag: "Workers and workstations",
    summary: "Delete a workstation",
    access: { role: "admin", apiKey: false },
    responses: { 204: { description: "Deleted" } },
  },
  {
    method: "get",
    path: "/api/v1/factory/settings",
    tag: "Settings",
    summary: "Productivity settings",
    access: { role: "viewer", apiKey: false },
    responses: { 200: { description: "OK", schema: s.settingsSchema } },
  },
  {
    method: "patch",
    path: "/api/v1/factory/settings",
    tag: "Settings",
    summary: "Change productivity settings",
    access: { role: "admin", apiKey: false },
    body: s.settingsUpdateSchema,
    responses: { 200: { description: "OK", schema: s.settingsSchema } },
  },
  {
    method: "get",
    path: "/api/v1/api-keys",
    tag: "Settings",
    summary: "List API keys",
    access: { role: "admin", apiKey: false },
    responses: { 200: { description: "OK", schema: list("api_keys", s.apiKeySchema) } },
  },
  {
    method: "post",
    path: "/api/v1/api-keys",
    tag: "Settings",
    summary: "Issue an API key (the secret is returned once)",
    access: { role: "admin", apiKey: false },
    body: s.apiKeyInputSchema,
    responses: { 201: { description: "Created", schema: s.createdApiKeySchema } },
  },
  {
    method: "delete",
    path: "/api/v1/api-keys/{id}",
    tag: "Settings",
    summary: "Revoke an API key",
    access: { role: "admin", apiKey: false },
    responses: { 200: { description: "Revoked", schema: s.apiKeySchema } },
  },
  {
    method: "post",
    path: "/api/v1/data/seed",
    tag: "Data management",
    summary: "Create sample workers and workstations",
    description: "Without a body: the documented sample factory, W1-W6 and S1-S6. Existing ids are kept.",
    access: { role: "admin", apiKey: true },
    body: s.seedInputSchema,
    bodyOptional: true,
    responses: { 201: { description: "Seeded", schema: dataResult } },
  },
  {
    method: "post",
    path: "/api/v1/data/generate-events",
    tag: "Data management",
    summary: "Generate N days of realistic events",
    description:
      'Takes the documented body `{"num_days": 14, "events_per_day": 200, "clear_existing": true}` as well as Argus\'s `days`, `interval_minutes` and `simulate_drift`; without a body, 7 days with a report from every worker every 5 minutes of the 06:00-22:00 UTC shift.',
    access: { role: "admin", apiKey: true },
    body: s.generateInputSchema,
    bodyOptional: true,
    responses: { 201: { description: "Generated", schema: dataResult } },
  },
  {
    method: "post",
    path: "/api/v1/data/initialize",
    tag: "Data management",
    summary: "Clear, seed and generate in one go",
    access: { role: "admin", apiKey: true },
    body: s.initializeInputSchema,
    bodyOptional: true,
    responses: { 201: { description: "Initialised", schema: dataResult } },
  },
  {
    method: "post",
    path: "/api/v1/data/refresh",
    tag: "Data management",
    summary: "Clear and regenerate all events",
    description:
      "Deletes the tenant's events and generates fresh ones (creating the sample workers and workstations first if the tenant has none). Answers the documented `{message, events_generated, workers, workstations}`.",
    access: { role: "admin", apiKey: true },
    body: s.refreshInputSchema,
    bodyOptional: true,
    responses: { 200: { description: "Refreshed", schema: s.refreshResultSchema.loose() } },
  },
  {
    method: "post",
    path: "/api/v1/data/refresh-aggregates",
    tag: "Data management",
    summary: "Re-materialise the continuous aggregates",
    access: { role: "admin", apiKey: true },
    responses: { 200: { description: "Refreshed", schema: z.object({ ms: z.number().int() }) } },
  },
  {
    method: "delete",
    path: "/api/v1/data/events",
    tag: "Data management",
    summary: "Delete all of the tenant's events",
    access: { role: "admin", apiKey: true },
    responses: {
      200: { description: "Deleted", schema: z.object({ deleted: z.number().int(), message: z.string() }) },
    },
  },
  {
    method: "get",
    path: "/api/v1/models",
    tag: "Model operations",
    summary: "Model versions with confidence and event-type distribution",
    access: { role: "viewer", apiKey: true },
    query: rangeParams,
    responses: { 200: { description: "OK", schema: list("models", s.modelVersionSchema) } },
  },
  {
    method: "get",
    path: "/api/v1/alerts",
    tag: "Model operations",
    summary: "Drift alerts",
    access: { role: "viewer", apiKey: true },
    query: s.alertListQuerySchema,
    responses: { 200: { description: "OK", schema: list("alerts", s.alertSchema) } },
  },
  {
    method: "post",
    path: "/api/v1/alerts/{id}/acknowledge",
    tag: "Model operations",
    summary: "Acknowledge an alert",
    access: { role: "operator", apiKey: false },
    responses: { 200: { description: "OK", schema: s.alertSchema }, 404: { description: "Not found" } },
  },
  {
    method: "post",
    path: "/api/v1/alerts/check",
    tag: "Model operations",
    summary: "Run the drift check now",
    access: { role: "admin", apiKey: false },
    responses: { 200: { description: "Check result" } },
  },
  {
    method: "post",
    path: "/api/v1/data/generate-vcc",
    tag: "Data management",
    summary: "Generate sample line-crossing traffic for the VCC dashboard",
    description:
      "Realistic crossings (daily rhythm, class mix weighted to person and car, direction split, noise, per-camera rates) written through the detection ingest path, then the touched aggregate buckets refreshed. Uses the tenant's first `cameras` cameras by name and creates `Sample camera N` ones when there are fewer. At most 3,000,000 events per request (`npm run seed:vcc` for more). Answers the number of events, the span and the time taken.",
    access: { role: "admin", apiKey: true },
    body: generateVccInputSchema,
    bodyOptional: true,
    responses: {
      201: { description: "Generated", schema: dataResult },
      400: { description: "Invalid body or too many events" },
    },
  },
  {
    method: "get",
    path: "/api/v1/analytics/vcc",
    tag: "Analytics",
    summary: "Line-crossing counts per bucket, class and direction (VCC)",
    description:
      "Counts of line crossings of the tenant's cameras (or one camera, or one site's) per bucket, class and direction, with totals, the peak bucket and the top devices. The range is widened to whole buckets (see `range`); 1d buckets are days of `tz` (23 or 25 hours on DST days), shorter buckets are fixed lengths aligned to the zone's clock. At most 2000 buckets. Answered from the hierarchical continuous aggregates (per minute, hour, day): the coarsest one whose bucket divides the chosen bucket in `tz` (`source.aggregate`). The newest minute is included (real-time aggregates). docs/analytics.md.",
    access: { role: "viewer", apiKey: true },
    query: vccParamsSchema,
    responses: {
      200: { description: "OK", schema: vccResultSchema },
      400: { description: "Invalid parameters (time, bucket, ids, tz, end before start, too many buckets)" },
    },
  },
  {
    method: "get",
    path: "/api/v1/analytics/vcc.csv",
    tag: "Analytics",
    summary: "The same counts as CSV (V5)",
    description:
      "Same parameters as /api/v1/analytics/vcc and exactly its buckets, streamed as `text/csv` (an attachment): `bucket_start` (local ISO 8601 with the offset of `tz`), one column per class (most counted first), `in`, `out`, `total`.",
    access: { role: "viewer", apiKey: true },
    query: vccParamsSchema,
    responses: {
      200: { description: "CSV (text/csv)" },
      400: { description: "Invalid parameters" },
    },
  },
];

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return rest;
}

function queryParameters(schema: z.ZodType | undefined) {
  if (!schema) return [];
  const json = jsonSchema(schema, "input") as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, prop]) => ({
    name,
    in: "query",
    required: json.required?.includes(name) ?? false,
    description: prop.description,
    schema: prop,
  }));
}

function pathParameters(path: string) {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
}

export function buildOpenApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(op.responses)) {
      responses[status] = {
        description: r.description,
        ...(r.schema ? { content: { "application/json": { schema: jsonSchema(r.schema, "output") } } } : {}),
      };
    }
    responses["401"] ??= {
      description: "Not signed in, or an invalid/revoked API key",
      content: { "application/json": { schema: jsonSchema(s.errorSchema, "output") } },
    };
    const keyRule = !op.access.apiKey
      ? "; API keys are not accepted"
      : op.access.role === "admin"
        ? "; an API key must have been issued by a current admin of the tenant"
        : "";
    responses["403"] ??= { description: `Needs the ${op.access.role} role in the tenant${keyRule}` };
    (paths[op.path] ??= {})[op.method] = {
      tags: [op.tag],
      summary: op.summary,
      description: [
        op.description,
        `Access: ${op.access.role}+ session${!op.access.apiKey ? "" : op.access.role === "admin" ? " or an API key issued by a current tenant admin" : " or tenant API key"}.`,
      ]
        .filter(Boolean)
        .join("\n\n"),
      operationId: `${op.method}${op.path
        .replace(/^\/api\/v1/, "")
        .replace(/\{(\w+)\}/g, "By_$1")
        .replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
      parameters: [...pathParameters(op.path), ...queryParameters(op.query)],
      ...(op.body
        ? {
            requestBody: {
              required: !op.bodyOptional,
              content: { "application/json": { schema: jsonSchema(op.body, "input") } },
            },
          }
        : {}),
      responses,
      security: op.access.apiKey ? [{ session: [] }, { apiKey: [] }] : [{ session: [] }],
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Argus factory productivity API",
      version: "1.0.0",
      description:
        "Ingest worker/workstation events from CV systems and read productivity metrics (SPEC P1-P6). Sign in for a session cookie, or send a tenant API key as `Authorization: Bearer argus_pk_...`. Members of several tenants choose one with the `X-Argus-Tenant` header. Compatible with the documented productivity API: its requests work unchanged (plus the API key) and its response fields come in their documented names and units (hours, percentages, units per hour, rounded to 2 decimals) beside Argus's own (seconds, 0-1 ratios, null when undefined). /docs leads here. Formulas: docs/productivity-metrics.md.",
    },
    servers: [{ url: "/" }],
    tags: [...new Set(operations.map((o) => o.tag))].map((name) => ({ name })),
    components: {
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "argus_session" },
        apiKey: {
          type: "http",
          scheme: "bearer",
          description: "Tenant API key (issued under Productivity → Settings)",
        },
      },
    },
    paths,
  };
}
export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
