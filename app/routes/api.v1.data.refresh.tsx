// POST /api/v1/data/refresh: clear the tenant's events and generate fresh ones, as the documented
// productivity API does ("Refresh with new random data"); answers {message, events_generated, workers,
// workstations}. Optional body {num_days, events_per_day}. (P4: tenant admin session or an admin's API key.)
// Re-materialising the aggregates is POST /api/v1/data/refresh-aggregates.
import { dataAdmin } from "~/http/api-route-guards.server";
import { optionalJsonBody } from "~/http/api-route-input.server";
import { defineApiRoute } from "~/http/api-route.server";
import { checkDrift } from "~/models/productivity/drift.server";
import { refreshSampleData } from "~/models/productivity/generate.server";
import { refreshInputSchema, refreshResultSchema } from "~/models/productivity/schemas";

const route = defineApiRoute({ path: "/api/v1/data/refresh", tag: "Data management" }, (op) => ({
  post: op({
    summary: "Clear and regenerate all events",
    description:
      "Deletes the tenant's events and generates fresh ones (creating the sample workers and workstations first if the tenant has none). Answers the documented `{message, events_generated, workers, workstations}`.",
    auth: dataAdmin,
    body: optionalJsonBody(refreshInputSchema),
    responses: { 200: { description: "Refreshed", schema: refreshResultSchema.loose() } },
    handler: async ({ auth: scope, body, context }) => {
      const result = await refreshSampleData(scope, body, { log: context.services.logger });
      const drift = await checkDrift(scope);
      context.services.realtime.emitToTenant(scope.tenantId, "productivity:events", {
        stored: result.events_generated,
        latest: result.to,
      });
      return { ...result, alerts_raised: drift.raised.length };
    },
  }),
}));

export const loader = route.loader;
export const action = route.action;
