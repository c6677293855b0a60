// DELETE /api/v1/workers/credentials/{id}: revoke; connected workers using it are disconnected at once (W8).
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { revokeCredential } from "~/fleet/operations.server";
import { fleetApi } from "~/fleet/http.server";
import { methodNotAllowed } from "~/utils/api.server";

export const loader = () => methodNotAllowed(["DELETE"]);

export const action = fleetApi(async ({ request, context, params }: ActionFunctionArgs) => {
  if (request.method !== "DELETE") return methodNotAllowed(["DELETE"]);
  const { scope } = await requireTenant(request, context, "admin");
  const credential = await revokeCredential(context.services.fleet, scope, params.credentialId ?? "");
  return Response.json({ credential });
});
