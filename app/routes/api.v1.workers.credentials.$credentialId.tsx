// DELETE /api/v1/workers/credentials/{id}: revoke; connected workers using it are disconnected at once (W8).
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute } from "~/http/api-route.server";
import { revokeCredential } from "~/fleet/operations.server";

const route = defineApiRoute({ path: "/api/v1/workers/credentials/{credentialId}", tag: "Workers" }, (op) => ({
  delete: op({
    summary: "Revoke a worker credential (its workers are disconnected at once)",
    auth: tenantMember("admin"),
    responses: { 200: "`{credential}`", 404: "No such credential in the tenant" },
    handler: async ({ auth: { scope }, params, context }) => ({
      credential: await revokeCredential(context.services.fleet, scope, params.credentialId),
    }),
  }),
}));

export const loader = route.loader;
export const action = route.action;
