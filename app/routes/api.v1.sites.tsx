// /api/v1/sites: list (viewer+) and create (operator+) sites of the request's tenant (docs/api.md).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { createSite, listSites, serializeSite, siteInputSchema } from "~/models/sites.server";
import { api, methodNotAllowed, readJson } from "~/utils/api.server";

export const loader = api(async ({ request, context }: LoaderFunctionArgs) => {
  const { scope } = await requireTenant(request, context);
  const sites = await listSites(scope);
  return Response.json({ sites: sites.map(serializeSite) });
});

export const action = api(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") {
    await requireTenant(request, context);
    return methodNotAllowed(["GET", "POST"]);
  }
  const { scope } = await requireTenant(request, context, "operator");
  const site = await createSite(scope, await readJson(request, siteInputSchema));
  return Response.json({ site: serializeSite(site) }, { status: 201 });
});
