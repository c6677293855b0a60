// DELETE /api/v1/api-keys/{id}: revokes the key (admin); it stops working at once.
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute } from "~/http/api-route.server";
import { revokeApiKey } from "~/models/productivity/api-keys.server";
import { apiKeySchema } from "~/models/productivity/schemas";

const route = defineApiRoute({ path: "/api/v1/api-keys/{keyId}", tag: "Settings" }, (op) => ({
  delete: op({
    summary: "Revoke an API key (it stops working at once)",
    auth: tenantMember("admin"),
    responses: { 200: { description: "Revoked", schema: apiKeySchema }, 404: "Not found" },
    handler: ({ auth: { scope }, params }) => revokeApiKey(scope, params.keyId),
  }),
}));

export const loader = route.loader;
export const action = route.action;
