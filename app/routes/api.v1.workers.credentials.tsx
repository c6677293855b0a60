// GET /api/v1/workers/credentials (list, never secrets) and POST {name} -> {id, name, credential} (shown once) (W8, A4).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { credentialInputSchema, issueCredential } from "~/fleet/operations.server";
import { fleetApi } from "~/fleet/http.server";
import { methodNotAllowed, readJson } from "~/utils/api.server";

export const loader = fleetApi(async ({ request, context }: LoaderFunctionArgs) => {
  const { scope } = await requireTenant(request, context, "admin");
  return Response.json({ credentials: await context.services.fleet.credentials.list(scope.tenantId) });
});

export const action = fleetApi(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const { scope } = await requireTenant(request, context, "admin");
  const input = await readJson(request, credentialInputSchema);
  const issued = await issueCredential(context.services.fleet, scope, input.name);
  return Response.json(issued, { status: 201, headers: { "cache-control": "no-store" } });
});
