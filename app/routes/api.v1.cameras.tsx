// GET /api/v1/cameras (with placement) and POST (create; auto-assigned when AUTO_ASSIGN_CAMERAS) (C1, A3).
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute, jsonBody } from "~/http/api-route.server";
import { cameraJson } from "~/fleet/camera-json.server";
import { createCameraAndPlace } from "~/fleet/operations.server";
import { cameraInputSchema, listCameras } from "~/models/cameras.server";

const route = defineApiRoute({ path: "/api/v1/cameras", tag: "Cameras" }, (op) => ({
  get: op({
    summary: "List cameras with their placement and live state",
    auth: tenantMember("viewer"),
    responses: { 200: "`{cameras: [...]}`; each with its assignment and `live` {status, error}" },
    handler: async ({ auth: { scope }, context }) => {
      const cameras = await listCameras(scope);
      const { fleet, sfu } = context.services;
      return {
        cameras: await Promise.all(
          cameras.map(async (c) => ({ ...(await cameraJson(fleet, c, scope.role)), live: await sfu.liveState(c.id) })),
        ),
      };
    },
  }),
  post: op({
    summary: "Add a camera",
    description: "Placed on a worker at once when AUTO_ASSIGN_CAMERAS is on; an RTSP camera starts ingesting.",
    auth: tenantMember("operator"),
    body: jsonBody(cameraInputSchema),
    responses: { 201: "`{camera}`" },
    handler: async ({ auth: { scope }, body, context }) => {
      const camera = await createCameraAndPlace(context.services.fleet, scope, body);
      await context.services.sfu.syncCamera(camera.id); // an RTSP camera starts ingesting (C1)
      return { camera: await cameraJson(context.services.fleet, camera, scope.role) };
    },
  }),
}));

export const loader = route.loader;
export const action = route.action;
