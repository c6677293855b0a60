// GET/PATCH/DELETE /api/v1/cameras/{id} (C1). Disabling or deleting releases the camera from its worker.
// GET also says whether its video reaches the SFU: live {status: live|offline|error, error: why or null}.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { cameraJson } from "~/fleet/camera-json.server";
import { cameraAssignments, deleteCameraAndRelease, updateCameraAndPlace } from "~/fleet/operations.server";
import { cameraPatchSchema, getCamera } from "~/models/cameras.server";
import { fleetApi } from "~/fleet/http.server";
import { methodNotAllowed, readJson } from "~/utils/api.server";

export const loader = fleetApi(async ({ request, context, params }: LoaderFunctionArgs) => {
  const { scope } = await requireTenant(request, context);
  const camera = await getCamera(scope, params.cameraId ?? "");
  return Response.json({
    camera: {
      ...(await cameraJson(context.services.fleet, camera, scope.role)),
      live: await context.services.sfu.liveState(camera.id),
    },
    history: await cameraAssignments(context.services.fleet, scope, camera.id),
  });
});

export const action = fleetApi(async ({ request, context, params }: ActionFunctionArgs) => {
  const { scope } = await requireTenant(request, context, "operator");
  const fleet = context.services.fleet;
  if (request.method === "PATCH") {
    const patch = await readJson(request, cameraPatchSchema);
    const camera = await updateCameraAndPlace(fleet, scope, params.cameraId ?? "", patch);
    await context.services.sfu.syncCamera(camera.id); // RTSP ingest (C1): new URL restarts it, disabling stops it
    if (!camera.enabled) await context.services.sfu.closeRoom(camera.id); // a disabled camera streams nothing
    return Response.json({ camera: await cameraJson(fleet, camera, scope.role) });
  }
  if (request.method === "DELETE") {
    await deleteCameraAndRelease(fleet, scope, params.cameraId ?? "");
    await context.services.sfu.syncCamera(params.cameraId ?? ""); // stops its RTSP ingest (C1)
    await context.services.sfu.closeRoom(params.cameraId ?? "");
    return new Response(null, { status: 204 });
  }
  return methodNotAllowed(["GET", "PATCH", "DELETE"]);
});
