// GET /api/v1/workers/credentials (list, never secrets) and POST {name} -> {id, name, credential} (shown once) (W8, A4).
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute, jsonBody, jsonWith } from "~/http/api-route.server";
import { credentialInputSchema, issueCredential } from "~/fleet/operations.server";

const route = defineApiRoute({ path: "/api/v1/workers/credentials", tag: "Workers" }, (op) => ({
  get: op({
    summary: "List worker credentials (never their secrets)",
    auth: tenantMember("admin"),
    responses: { 200: "`{credentials: [...]}`" },
    handler: async ({ auth: { scope }, context }) => ({
      credentials: await context.services.fleet.credentials.list(scope.tenantId),
    }),
  }),
  post: op({
    summary: "Issue a worker credential (the secret is returned once)",
    auth: tenantMember("admin"),
    body: jsonBody(credentialInputSchema),
    responses: { 201: "`{id, name, credential}` (Cache-Control: no-store)" },
    handler: async ({ auth: { scope }, body, context }) =>
      jsonWith(await issueCredential(context.services.fleet, scope, body), 201, { "cache-control": "no-store" }),
  }),
}));

export const loader = route.loader;
export const action = route.action;
