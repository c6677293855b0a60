// POST /api/v1/data/generate-events: N days of realistic events, then a drift check (P4: tenant admin
// session or an admin's API key). Takes the documented body {num_days, events_per_day, clear_existing}
// as well as Argus's {days, interval_minutes, simulate_drift}; an empty body means the defaults.
import { dataAdmin } from "~/http/api-route-guards.server";
import { optionalJsonBody } from "~/http/api-route-input.server";
import { defineApiRoute } from "~/http/api-route.server";
import { checkDrift } from "~/models/productivity/drift.server";
import { generateEvents } from "~/models/productivity/generate.server";
import { dataResult } from "~/models/productivity/openapi.server";
import { generateInputSchema } from "~/models/productivity/schemas";

const route = defineApiRoute({ path: "/api/v1/data/generate-events", tag: "Data management" }, (op) => ({
  post: op({
    summary: "Generate N days of realistic events",
    description:
      'Takes the documented body `{"num_days": 14, "events_per_day": 200, "clear_existing": true}` as well as Argus\'s `days`, `interval_minutes` and `simulate_drift`; without a body, 7 days with a report from every worker every 5 minutes of the 06:00-22:00 UTC shift.',
    auth: dataAdmin,
    body: optionalJsonBody(generateInputSchema),
    responses: { 201: { description: "Generated", schema: dataResult } },
    handler: async ({ auth: scope, body, context }) => {
      const generated = await generateEvents(scope, body, { log: context.services.logger });
      const drift = await checkDrift(scope);
      context.services.realtime.emitToTenant(scope.tenantId, "productivity:events", {
        stored: generated.events,
        latest: generated.to,
      });
      return {
        message: `Generated ${generated.events} events`,
        events_generated: generated.events,
        ...generated,
        alerts_raised: drift.raised.length,
      };
    },
  }),
}));

export const loader = route.loader;
export const action = route.action;
