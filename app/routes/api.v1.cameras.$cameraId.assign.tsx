// POST /api/v1/cameras/{id}/assign {"mode":"round-robin"} | {"mode":"worker","workerId":...} (A3).
// 202: assignment pending until the worker acks (then active; watch fleet:camera or GET the camera).
// 409: no capacity, worker offline or in maintenance, camera disabled.
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { assignCamera, assignInputSchema } from "~/fleet/operations.server";
import { fleetApi } from "~/fleet/http.server";
import { methodNotAllowed, readJson } from "~/utils/api.server";

export const loader = () => methodNotAllowed(["POST"]);

export const action = fleetApi(async ({ request, context, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const { scope } = await requireTenant(request, context, "operator");
  const input = await readJson(request, assignInputSchema);
  const placement = await assignCamera(context.services.fleet, scope, params.cameraId ?? "", input);
  return Response.json({ placement }, { status: placement.assignment?.state === "active" ? 200 : 202 });
});
