// GET /api/v1/workers/stats: counts by status, capacity, camera placement (SPEC A1).
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute } from "~/http/api-route.server";
import { fleetStats } from "~/fleet/operations.server";
import { listCameras } from "~/models/cameras.server";

const route = defineApiRoute({ path: "/api/v1/workers/stats", tag: "Workers" }, (op) => ({
  get: op({
    summary: "Fleet counts: workers by status, capacity, camera placement",
    auth: tenantMember("viewer"),
    responses: { 200: "Counts" },
    handler: async ({ auth: { scope }, context }) =>
      fleetStats(context.services.fleet, scope, await listCameras(scope)),
  }),
}));

export const loader = route.loader;
export const action = route.action;
