// /api/v1/sites: list (viewer+) and create (operator+) sites of the request's tenant (docs/api.md).
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute, jsonBody } from "~/http/api-route.server";
import { createSite, listSites, serializeSite, siteInputSchema } from "~/models/sites.server";

const route = defineApiRoute(
  { path: "/api/v1/sites", tag: "Sites", unsupportedGuard: tenantMember("viewer") },
  (op) => ({
    get: op({
      summary: "List sites",
      auth: tenantMember("viewer"),
      responses: { 200: "`{sites: [...]}`" },
      handler: async ({ auth: { scope } }) => ({ sites: (await listSites(scope)).map(serializeSite) }),
    }),
    post: op({
      summary: "Create a site",
      auth: tenantMember("operator"),
      body: jsonBody(siteInputSchema),
      responses: { 201: "`{site}`", 409: "A site of that name exists" },
      handler: async ({ auth: { scope }, body }) => ({ site: serializeSite(await createSite(scope, body)) }),
    }),
  }),
);

export const loader = route.loader;
export const action = route.action;
