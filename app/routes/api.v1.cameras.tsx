// GET /api/v1/cameras (with placement) and POST (create; auto-assigned when AUTO_ASSIGN_CAMERAS) (C1, A3).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { cameraJson } from "~/fleet/camera-json.server";
import { createCameraAndPlace } from "~/fleet/operations.server";
import { cameraInputSchema, listCameras } from "~/models/cameras.server";
import { fleetApi } from "~/fleet/http.server";
import { methodNotAllowed, readJson } from "~/utils/api.server";

export const loader = fleetApi(async ({ request, context }: LoaderFunctionArgs) => {
  const { scope } = await requireTenant(request, context);
  const cameras = await listCameras(scope);
  const sfu = context.services.sfu;
  return Response.json({
    cameras: await Promise.all(
      cameras.map(async (c) => ({
        ...(await cameraJson(context.services.fleet, c, scope.role)),
        live: await sfu.liveState(c.id),
      })),
    ),
  });
});

export const action = fleetApi(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const { scope } = await requireTenant(request, context, "operator");
  const input = await readJson(request, cameraInputSchema);
  const camera = await createCameraAndPlace(context.services.fleet, scope, input);
  await context.services.sfu.syncCamera(camera.id); // an RTSP camera starts ingesting (C1)
  return Response.json({ camera: await cameraJson(context.services.fleet, camera, scope.role) }, { status: 201 });
});
