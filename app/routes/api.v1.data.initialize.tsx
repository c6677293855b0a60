// POST /api/v1/data/initialize: clear events, seed sample entities, generate N days (P4: tenant admin
// session or an admin's API key). An empty body means the defaults (6 workers, 6 workstations, 7 days).
import { dataAdmin } from "~/http/api-route-guards.server";
import { optionalJsonBody } from "~/http/api-route-input.server";
import { defineApiRoute } from "~/http/api-route.server";
import { checkDrift } from "~/models/productivity/drift.server";
import { initializeSampleData } from "~/models/productivity/generate.server";
import { dataResult } from "~/models/productivity/openapi.server";
import { initializeInputSchema } from "~/models/productivity/schemas";

const route = defineApiRoute({ path: "/api/v1/data/initialize", tag: "Data management" }, (op) => ({
  post: op({
    summary: "Clear, seed and generate in one go",
    description: "Without a body: 6 workers, 6 workstations and 7 days of events.",
    auth: dataAdmin,
    body: optionalJsonBody(initializeInputSchema),
    responses: { 201: { description: "Initialised", schema: dataResult } },
    handler: async ({ auth: scope, body, context }) => {
      const result = await initializeSampleData(scope, body, { log: context.services.logger });
      const drift = await checkDrift(scope);
      context.services.realtime.emitToTenant(scope.tenantId, "productivity:events", {
        stored: result.generated.events,
        latest: result.generated.to,
      });
      return {
        message: "Sample data initialized",
        events_generated: result.generated.events,
        ...result,
        alerts_raised: drift.raised.length,
      };
    },
  }),
}));

export const loader = route.loader;
export const action = route.action;
