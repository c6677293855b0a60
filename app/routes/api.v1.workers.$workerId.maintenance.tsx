// POST /api/v1/workers/{id}/maintenance {on}: no new cameras; current ones move to other workers (A4).
import { z } from "zod";
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute, jsonBody } from "~/http/api-route.server";
import { setMaintenance } from "~/fleet/operations.server";

const route = defineApiRoute({ path: "/api/v1/workers/{workerId}/maintenance", tag: "Workers" }, (op) => ({
  post: op({
    summary: "Put a worker in (or out of) maintenance",
    description: "In maintenance a worker takes no new cameras; its current ones move to other workers.",
    auth: tenantMember("operator"),
    body: jsonBody(z.object({ on: z.boolean() }).strict()),
    responses: { 200: "`{worker}`", 404: "No such worker in the tenant" },
    handler: async ({ auth: { scope }, params, body, context }) => ({
      worker: await setMaintenance(context.services.fleet, scope, params.workerId, body.on),
    }),
  }),
}));

export const loader = route.loader;
export const action = route.action;
