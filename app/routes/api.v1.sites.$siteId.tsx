// /api/v1/sites/:siteId: read (viewer+), update (operator+), delete (admin) one site (docs/api.md).
import { z } from "zod";
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute, jsonBody, uuidParam } from "~/http/api-route.server";
import { deleteSite, getSite, serializeSite, updateSite } from "~/models/sites.server";

// PATCH is partial: a missing field keeps its value (updateSite itself would default timezone to UTC).
const patchSchema = z
  .object({ name: z.string(), timezone: z.string() })
  .partial()
  .strict()
  .refine((v) => v.name !== undefined || v.timezone !== undefined, "Send name and/or timezone");

// Ids go to a uuid column; a malformed one is the client's mistake (400), not a Postgres error (500).
const params = z.object({ siteId: uuidParam("siteId") });

const route = defineApiRoute(
  { path: "/api/v1/sites/{siteId}", tag: "Sites", params, unsupportedGuard: tenantMember("viewer") },
  (op) => ({
    get: op({
      summary: "A site",
      auth: tenantMember("viewer"),
      responses: { 200: "`{site}`", 404: "No such site in the tenant" },
      handler: async ({ auth: { scope }, params }) => ({ site: serializeSite(await getSite(scope, params.siteId)) }),
    }),
    patch: op({
      summary: "Rename a site or change its time zone",
      auth: tenantMember("operator"),
      body: jsonBody(patchSchema),
      responses: { 200: "`{site}`", 404: "No such site in the tenant" },
      handler: async ({ auth: { scope }, params, body }) => {
        const current = await getSite(scope, params.siteId);
        const site = await updateSite(scope, params.siteId, {
          name: body.name ?? current.name,
          timezone: body.timezone ?? current.timezone,
        });
        return { site: serializeSite(site) };
      },
    }),
    delete: op({
      summary: "Delete a site",
      auth: tenantMember("admin"),
      responses: { 204: "Deleted", 404: "No such site in the tenant" },
      handler: async ({ auth: { scope }, params }) => {
        await deleteSite(scope, params.siteId);
        return new Response(null, { status: 204 });
      },
    }),
  }),
);

export const loader = route.loader;
export const action = route.action;
