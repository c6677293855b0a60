// Response schemas the productivity routes document (SPEC P6): the documented API's fields at the top level beside
// Argus's full objects. The OpenAPI document itself is generated from the route declarations
// (app/http/openapi.server.ts); these only describe answers that no single model schema does.
import { z } from "zod";
import * as s from "./schemas";

// The documented fields are a fixed list of each schema's keys (checked by the documented-API test).
const pick = (schema: z.ZodObject, keys: readonly string[]) =>
  schema.pick(Object.fromEntries(keys.map((k) => [k, true])) as Record<string, true>);

/** GET /api/v1/metrics/factory */
export const factoryMetricsResponse = pick(s.factoryMetricsSchema, s.DOCUMENTED_FACTORY_FIELDS).extend({
  range: s.metricsRangeSchema,
  factory: s.factoryMetricsSchema,
});

/** GET /api/v1/metrics/workers/{worker_id} */
export const workerMetricsResponse = pick(s.workerMetricsSchema, s.DOCUMENTED_WORKER_FIELDS).extend({
  worker: s.workerMetricsSchema,
  series: s.dashboardSchema.shape.series,
});

/** GET /api/v1/metrics/workstations/{workstation_id} */
export const workstationMetricsResponse = pick(s.workstationMetricsSchema, s.DOCUMENTED_WORKSTATION_FIELDS).extend({
  workstation: s.workstationMetricsSchema,
  series: s.dashboardSchema.shape.series,
});

/** The data endpoints answer a message and what they did. */
export const dataResult = z.object({ message: z.string() }).loose();

/** `{key: [item, ...]}` */
export const listOf = <K extends string>(key: K, item: z.ZodType) =>
  z.object({ [key]: z.array(item) } as Record<K, z.ZodArray<z.ZodType>>);
