// POST /api/v1/cameras/{id}/assign {"mode":"round-robin"} | {"mode":"worker","workerId":...} (A3).
// 202: assignment pending until the worker acks (then active; watch fleet:camera or GET the camera).
// 409: no capacity, worker offline or in maintenance, camera disabled.
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute, jsonBody, jsonWith } from "~/http/api-route.server";
import { assignCamera, assignInputSchema } from "~/fleet/operations.server";

const route = defineApiRoute({ path: "/api/v1/cameras/{cameraId}/assign", tag: "Cameras" }, (op) => ({
  post: op({
    summary: "Assign (or move) a camera to a worker",
    auth: tenantMember("operator"),
    body: jsonBody(assignInputSchema),
    responses: {
      200: "`{placement}`: already running there",
      202: "`{placement}`: pending until the worker acknowledges",
      409: "No capacity, the worker is offline or in maintenance, or the camera is disabled",
    },
    handler: async ({ auth: { scope }, params, body, context }) => {
      const placement = await assignCamera(context.services.fleet, scope, params.cameraId, body);
      return jsonWith({ placement }, placement.assignment?.state === "active" ? 200 : 202);
    },
  }),
}));

export const loader = route.loader;
export const action = route.action;
