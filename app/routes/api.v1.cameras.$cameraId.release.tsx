// POST /api/v1/cameras/{id}/release: stop running it anywhere and stop wanting it placed (A3).
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { releaseCamera } from "~/fleet/operations.server";
import { fleetApi } from "~/fleet/http.server";
import { methodNotAllowed } from "~/utils/api.server";

export const loader = () => methodNotAllowed(["POST"]);

export const action = fleetApi(async ({ request, context, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const { scope } = await requireTenant(request, context, "operator");
  return Response.json({ placement: await releaseCamera(context.services.fleet, scope, params.cameraId ?? "") });
});
