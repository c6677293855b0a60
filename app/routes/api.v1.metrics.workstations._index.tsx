// GET /api/v1/metrics/workstations (P2).
import { memberOrApiKey } from "~/http/api-route-guards.server";
import { defineApiRoute } from "~/http/api-route.server";
import { rangeQuery } from "~/models/productivity/http.server";
import { workstationMetrics } from "~/models/productivity/metrics.server";
import { listOf } from "~/models/productivity/openapi.server";
import { workstationMetricsSchema } from "~/models/productivity/schemas";

const route = defineApiRoute({ path: "/api/v1/metrics/workstations", tag: "Metrics" }, (op) => ({
  get: op({
    summary: "Per-workstation metrics",
    auth: memberOrApiKey("viewer"),
    query: rangeQuery,
    responses: { 200: { description: "OK", schema: listOf("workstations", workstationMetricsSchema) } },
    handler: async ({ auth: { scope }, query: { range, filter } }) => ({
      workstations: await workstationMetrics(scope, range, filter),
    }),
  }),
}));

export const loader = route.loader;
