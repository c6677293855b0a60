// GET /api/v1/alerts?status=open|all: model drift alerts (P5). Session or API key.
import { memberOrApiKey } from "~/http/api-route-guards.server";
import { defineApiRoute, queryOf } from "~/http/api-route.server";
import { listAlerts } from "~/models/productivity/drift.server";
import { listOf } from "~/models/productivity/openapi.server";
import { alertListQuerySchema, alertSchema } from "~/models/productivity/schemas";

const route = defineApiRoute({ path: "/api/v1/alerts", tag: "Model operations" }, (op) => ({
  get: op({
    summary: "Drift alerts",
    auth: memberOrApiKey("viewer"),
    query: queryOf(alertListQuerySchema),
    responses: { 200: { description: "OK", schema: listOf("alerts", alertSchema) } },
    handler: async ({ auth: { scope }, query }) => ({ alerts: await listAlerts(scope, query.status) }),
  }),
}));

export const loader = route.loader;
