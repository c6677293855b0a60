// /api/v1/sites/:siteId: read (viewer+), update (operator+), delete (admin) one site (docs/api.md).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireTenant } from "~/auth/guards.server";
import { deleteSite, getSite, serializeSite, updateSite } from "~/models/sites.server";
import { api, methodNotAllowed, readJson } from "~/utils/api.server";
import { badRequest } from "~/utils/errors.server";

// PATCH is partial: a missing field keeps its value (updateSite itself would default timezone to UTC).
const patchSchema = z
  .object({ name: z.string(), timezone: z.string() })
  .partial()
  .strict()
  .refine((v) => v.name !== undefined || v.timezone !== undefined, "Send name and/or timezone");

/** Ids go to a uuid column; a malformed one is the client's mistake (400), not a Postgres error (500). */
function parseSiteId(value: string | undefined): string {
  const parsed = z.uuid().safeParse(value);
  if (!parsed.success) throw badRequest("siteId must be a UUID");
  return parsed.data;
}

export const loader = api(async ({ request, context, params }: LoaderFunctionArgs) => {
  const { scope } = await requireTenant(request, context);
  const site = await getSite(scope, parseSiteId(params.siteId));
  return Response.json({ site: serializeSite(site) });
});

export const action = api(async ({ request, context, params }: ActionFunctionArgs) => {
  switch (request.method) {
    case "PATCH": {
      const { scope } = await requireTenant(request, context, "operator");
      const siteId = parseSiteId(params.siteId);
      const changes = await readJson(request, patchSchema);
      const current = await getSite(scope, siteId);
      const site = await updateSite(scope, siteId, {
        name: changes.name ?? current.name,
        timezone: changes.timezone ?? current.timezone,
      });
      return Response.json({ site: serializeSite(site) });
    }
    case "DELETE": {
      const { scope } = await requireTenant(request, context, "admin");
      await deleteSite(scope, parseSiteId(params.siteId));
      return new Response(null, { status: 204 });
    }
    default:
      await requireTenant(request, context);
      return methodNotAllowed(["GET", "PATCH", "DELETE"]);
  }
});
