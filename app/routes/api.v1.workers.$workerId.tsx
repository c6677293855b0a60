// GET /api/v1/workers/{id} (detail: assignments, commands, status history) and DELETE (remove, W7).
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute } from "~/http/api-route.server";
import { removeWorker, workerDetail } from "~/fleet/operations.server";

const route = defineApiRoute({ path: "/api/v1/workers/{workerId}", tag: "Workers" }, (op) => ({
  get: op({
    summary: "A worker: assignments, commands, status history",
    auth: tenantMember("viewer"),
    responses: { 200: "The worker's detail", 404: "No such worker in the tenant" },
    handler: ({ auth: { scope }, params, context }) => workerDetail(context.services.fleet, scope, params.workerId),
  }),
  delete: op({
    summary: "Remove a worker",
    auth: tenantMember("admin"),
    responses: { 204: "Removed", 404: "No such worker in the tenant" },
    handler: async ({ auth: { scope }, params, context }) => {
      await removeWorker(context.services.fleet, scope, params.workerId);
      return new Response(null, { status: 204 });
    },
  }),
}));

export const loader = route.loader;
export const action = route.action;
