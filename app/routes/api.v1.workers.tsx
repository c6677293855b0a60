// GET /api/v1/workers?status=ONLINE&q=text (SPEC A1): the tenant's workers with live state.
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute, queryOf } from "~/http/api-route.server";
import { listWorkerViews, workerFilterSchema } from "~/fleet/operations.server";

const route = defineApiRoute({ path: "/api/v1/workers", tag: "Workers" }, (op) => ({
  get: op({
    summary: "List worker processes with their live state",
    auth: tenantMember("viewer"),
    query: queryOf(workerFilterSchema),
    responses: { 200: "`{workers: [...]}`" },
    handler: async ({ auth: { scope }, query, context }) => ({
      workers: listWorkerViews(context.services.fleet, scope, query),
    }),
  }),
}));

export const loader = route.loader;
export const action = route.action;
