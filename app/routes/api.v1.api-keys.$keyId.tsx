// DELETE /api/v1/api-keys/{id}: revokes the key (admin); it stops working at once.
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { revokeApiKey } from "~/models/productivity/api-keys.server";
import { api, methodNotAllowed } from "~/utils/api.server";

export const loader = () => methodNotAllowed(["DELETE"]);

export const action = api(async ({ request, context, params }: ActionFunctionArgs) => {
  if (request.method !== "DELETE") return methodNotAllowed(["DELETE"]);
  const { scope } = await requireTenant(request, context, "admin");
  return Response.json(await revokeApiKey(scope, params.keyId!));
});
