// GET /api/v1/metrics/workers (P2).
import { memberOrApiKey } from "~/http/api-route-guards.server";
import { defineApiRoute } from "~/http/api-route.server";
import { rangeQuery } from "~/models/productivity/http.server";
import { workerMetrics } from "~/models/productivity/metrics.server";
import { listOf } from "~/models/productivity/openapi.server";
import { workerMetricsSchema } from "~/models/productivity/schemas";

const route = defineApiRoute({ path: "/api/v1/metrics/workers", tag: "Metrics" }, (op) => ({
  get: op({
    summary: "Per-worker metrics",
    auth: memberOrApiKey("viewer"),
    query: rangeQuery,
    responses: { 200: { description: "OK", schema: listOf("workers", workerMetricsSchema) } },
    handler: async ({ auth: { scope }, query: { range, filter } }) => ({
      workers: await workerMetrics(scope, range, filter),
    }),
  }),
}));

export const loader = route.loader;
