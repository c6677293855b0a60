// GET/PUT /api/v1/cameras/{id}/analysis (C5, D1, W10): a camera's detection settings, its scene (counting lines with
// a direction, zones) and the model they resolve to. Viewers read; operators write. A change is pushed at once to
// the worker holding the camera (v1:camera-analysis); `pushed` says whether one was reached.
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute, jsonBody } from "~/http/api-route.server";
import { analysisPatchSchema, getCameraAnalysis, updateCameraAnalysis } from "~/models/detections/scenes.server";

const route = defineApiRoute({ path: "/api/v1/cameras/{cameraId}/analysis", tag: "Cameras" }, (op) => ({
  get: op({
    summary: "A camera's detection settings, scene and resolved model",
    auth: tenantMember("viewer"),
    responses: { 200: "`{analysis}`", 404: "No such camera in the tenant" },
    handler: async ({ auth: { scope }, params, context }) => ({
      analysis: await getCameraAnalysis(context.services.db, scope, params.cameraId),
    }),
  }),
  put: op({
    summary: "Change a camera's detection settings and scene",
    description: "Pushed at once to the worker holding the camera; `pushed` says whether one was reached.",
    auth: tenantMember("operator"),
    body: jsonBody(analysisPatchSchema),
    responses: { 200: "`{analysis, pushed}`", 404: "No such camera in the tenant" },
    handler: async ({ auth: { scope }, params, body, context }) => {
      const analysis = await updateCameraAnalysis(context.services.db, scope, params.cameraId, body);
      const pushed = context.services.fleet.pushCameraAnalysis(scope.tenantId, params.cameraId, analysis);
      return { analysis, pushed };
    },
  }),
}));

export const loader = route.loader;
export const action = route.action;
