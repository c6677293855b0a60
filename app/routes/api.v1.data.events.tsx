// DELETE /api/v1/data/events: delete all of the tenant's productivity events (P4: tenant admin session or
// an admin's API key).
import { z } from "zod";
import { dataAdmin } from "~/http/api-route-guards.server";
import { defineApiRoute } from "~/http/api-route.server";
import { clearEvents } from "~/models/productivity/generate.server";

const route = defineApiRoute({ path: "/api/v1/data/events", tag: "Data management" }, (op) => ({
  delete: op({
    summary: "Delete all of the tenant's events",
    auth: dataAdmin,
    responses: {
      200: { description: "Deleted", schema: z.object({ deleted: z.number().int(), message: z.string() }) },
    },
    handler: async ({ auth: scope, context }) => {
      const result = await clearEvents(scope, { log: context.services.logger });
      context.services.realtime.emitToTenant(scope.tenantId, "productivity:events", { stored: 0, latest: null });
      return { ...result, message: `Deleted ${result.deleted} events` };
    },
  }),
}));

export const loader = route.loader;
export const action = route.action;
