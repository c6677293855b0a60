// GET/PUT /api/v1/cameras/{id}/analysis (C5, D1, W10): a camera's detection settings, its scene (counting lines with
// a direction, zones) and the model they resolve to. Viewers read; operators write. A change is pushed at once to
// the worker holding the camera (v1:camera-analysis); `pushed` says whether one was reached.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { fleetApi } from "~/fleet/http.server";
import { analysisPatchSchema, getCameraAnalysis, updateCameraAnalysis } from "~/models/detections/scenes.server";
import { methodNotAllowed, readJson } from "~/utils/api.server";

export const loader = fleetApi(async ({ request, context, params }: LoaderFunctionArgs) => {
  const { scope } = await requireTenant(request, context);
  const analysis = await getCameraAnalysis(context.services.db, scope, params.cameraId ?? "");
  return Response.json({ analysis });
});

export const action = fleetApi(async ({ request, context, params }: ActionFunctionArgs) => {
  if (request.method !== "PUT") return methodNotAllowed(["GET", "PUT"]);
  const { scope } = await requireTenant(request, context, "operator");
  const patch = await readJson(request, analysisPatchSchema);
  const cameraId = params.cameraId ?? "";
  const analysis = await updateCameraAnalysis(context.services.db, scope, cameraId, patch);
  const pushed = context.services.fleet.pushCameraAnalysis(scope.tenantId, cameraId, analysis);
  return Response.json({ analysis, pushed });
});
