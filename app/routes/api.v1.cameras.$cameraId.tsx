// GET/PATCH/DELETE /api/v1/cameras/{id} (C1). Disabling or deleting releases the camera from its worker.
// GET also says whether its video reaches the SFU: live {status: live|offline|error, error: why or null}.
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute, jsonBody } from "~/http/api-route.server";
import { cameraJson } from "~/fleet/camera-json.server";
import { cameraAssignments, deleteCameraAndRelease, updateCameraAndPlace } from "~/fleet/operations.server";
import { cameraPatchSchema, getCamera } from "~/models/cameras.server";

// Writes always checked the operator role before the method, so a viewer's unsupported method is a 403, not a 405.
const route = defineApiRoute(
  { path: "/api/v1/cameras/{cameraId}", tag: "Cameras", unsupportedGuard: tenantMember("operator") },
  (op) => ({
    get: op({
      summary: "A camera, its live state and assignment history",
      auth: tenantMember("viewer"),
      responses: { 200: "`{camera, history}`", 404: "No such camera in the tenant" },
      handler: async ({ auth: { scope }, params, context }) => {
        const camera = await getCamera(scope, params.cameraId);
        return {
          camera: {
            ...(await cameraJson(context.services.fleet, camera, scope.role)),
            live: await context.services.sfu.liveState(camera.id),
          },
          history: await cameraAssignments(context.services.fleet, scope, camera.id),
        };
      },
    }),
    patch: op({
      summary: "Change a camera (a new URL restarts its ingest; disabling releases it)",
      auth: tenantMember("operator"),
      body: jsonBody(cameraPatchSchema),
      responses: { 200: "`{camera}`", 404: "No such camera in the tenant" },
      handler: async ({ auth: { scope }, params, body, context }) => {
        const { fleet, sfu } = context.services;
        const camera = await updateCameraAndPlace(fleet, scope, params.cameraId, body);
        await sfu.syncCamera(camera.id); // RTSP ingest (C1): new URL restarts it, disabling stops it
        if (!camera.enabled) await sfu.closeRoom(camera.id); // a disabled camera streams nothing
        return { camera: await cameraJson(fleet, camera, scope.role) };
      },
    }),
    delete: op({
      summary: "Delete a camera (released from its worker, its stream closed)",
      auth: tenantMember("operator"),
      responses: { 204: "Deleted", 404: "No such camera in the tenant" },
      handler: async ({ auth: { scope }, params, context }) => {
        const { fleet, sfu } = context.services;
        await deleteCameraAndRelease(fleet, scope, params.cameraId);
        await sfu.syncCamera(params.cameraId); // stops its RTSP ingest (C1)
        await sfu.closeRoom(params.cameraId);
        return new Response(null, { status: 204 });
      },
    }),
  }),
);

export const loader = route.loader;
export const action = route.action;
