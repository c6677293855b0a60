// POST /api/v1/cameras/{id}/release: stop running it anywhere and stop wanting it placed (A3).
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute } from "~/http/api-route.server";
import { releaseCamera } from "~/fleet/operations.server";

const route = defineApiRoute({ path: "/api/v1/cameras/{cameraId}/release", tag: "Cameras" }, (op) => ({
  post: op({
    summary: "Release a camera from its worker",
    auth: tenantMember("operator"),
    responses: { 200: "`{placement}`" },
    handler: async ({ auth: { scope }, params, context }) => ({
      placement: await releaseCamera(context.services.fleet, scope, params.cameraId),
    }),
  }),
}));

export const loader = route.loader;
export const action = route.action;
