// GET /api/v1/metrics/dashboard: factory summary, worker and workstation tables, utilisation series (P2, P3).
import { memberOrApiKey } from "~/http/api-route-guards.server";
import { defineApiRoute } from "~/http/api-route.server";
import { rangeQuery } from "~/models/productivity/http.server";
import { dashboardMetrics } from "~/models/productivity/metrics.server";
import { dashboardSchema } from "~/models/productivity/schemas";

const route = defineApiRoute({ path: "/api/v1/metrics/dashboard", tag: "Metrics" }, (op) => ({
  get: op({
    summary: "Factory summary, worker and workstation tables, utilisation series",
    auth: memberOrApiKey("viewer"),
    query: rangeQuery,
    responses: { 200: { description: "OK", schema: dashboardSchema } },
    handler: ({ auth: { scope }, query: { range, filter } }) => dashboardMetrics(scope, range, filter),
  }),
}));

export const loader = route.loader;
