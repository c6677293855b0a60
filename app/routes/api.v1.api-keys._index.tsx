// /api/v1/api-keys: tenant API keys (admin). GET lists (never the secret), POST issues one and
// returns the secret once.
import { tenantMember } from "~/http/api-route-guards.server";
import { jsonBodyExplained } from "~/http/api-route-input.server";
import { defineApiRoute } from "~/http/api-route.server";
import { createApiKey, listApiKeys } from "~/models/productivity/api-keys.server";
import { listOf } from "~/models/productivity/openapi.server";
import { apiKeyInputSchema, apiKeySchema, createdApiKeySchema } from "~/models/productivity/schemas";

const route = defineApiRoute({ path: "/api/v1/api-keys", tag: "Settings" }, (op) => ({
  get: op({
    summary: "List API keys (never their secrets)",
    auth: tenantMember("admin"),
    responses: { 200: { description: "OK", schema: listOf("api_keys", apiKeySchema) } },
    handler: async ({ auth: { scope } }) => ({ api_keys: await listApiKeys(scope) }),
  }),
  post: op({
    summary: "Issue an API key (the secret is returned once)",
    auth: tenantMember("admin"),
    body: jsonBodyExplained(apiKeyInputSchema),
    responses: { 201: { description: "Created", schema: createdApiKeySchema } },
    handler: ({ auth: { scope }, body }) => createApiKey(scope, body),
  }),
}));

export const loader = route.loader;
export const action = route.action;
