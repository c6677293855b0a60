// GET /api/v1/metrics/factory (P2): the documented factory fields at the top level (as the documented API
// answers), Argus's `range` and full `factory` object beside them.
import { memberOrApiKey } from "~/http/api-route-guards.server";
import { defineApiRoute } from "~/http/api-route.server";
import { rangeQuery } from "~/models/productivity/http.server";
import { factoryMetrics } from "~/models/productivity/metrics.server";
import { factoryMetricsResponse } from "~/models/productivity/openapi.server";
import { DOCUMENTED_FACTORY_FIELDS, pickFields } from "~/models/productivity/schemas";

const route = defineApiRoute({ path: "/api/v1/metrics/factory", tag: "Metrics" }, (op) => ({
  get: op({
    summary: "Factory metrics",
    description:
      "The documented factory fields (total_productive_time_hours, total_production_count, avg_production_rate, avg_worker_utilization, avg_workstation_utilization, total_events) at the top level, and Argus's full `factory` object beside them.",
    auth: memberOrApiKey("viewer"),
    query: rangeQuery,
    responses: { 200: { description: "OK", schema: factoryMetricsResponse } },
    handler: async ({ auth: { scope }, query: { range, filter } }) => {
      const factory = await factoryMetrics(scope, range, filter);
      return {
        ...pickFields(factory, DOCUMENTED_FACTORY_FIELDS),
        range: { start_time: range.start?.toISOString() ?? null, end_time: range.end?.toISOString() ?? null },
        factory,
      };
    },
  }),
}));

export const loader = route.loader;
