// /api/v1/staff/settings: the tenant's face recognition switch and settings (issue 14, S1, D6; docs/staff.md).
// Recognition is OFF until an admin turns it on; every change reaches the workers within seconds (gallery push).
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute, jsonBody } from "~/http/api-route.server";
import {
  faceSettingsUpdateSchema,
  getFaceSettings,
  serializeFaceSettings,
  updateFaceSettings,
} from "~/models/staff/settings.server";

const route = defineApiRoute(
  { path: "/api/v1/staff/settings", tag: "Staff", unsupportedGuard: tenantMember("viewer") },
  (op) => ({
    get: op({
      summary: "Face recognition switch and settings",
      auth: tenantMember("viewer"),
      responses: {
        200: "`{settings: {enabled, threshold, margin, minFacePx, reclassifySeconds, eventRetentionDays, timezone, galleryRevision}}`",
      },
      handler: async ({ auth: { scope } }) => ({
        settings: serializeFaceSettings(await getFaceSettings(scope.db, scope.tenantId)),
      }),
    }),
    patch: op({
      summary: "Turn recognition on/off or change its settings",
      description:
        "Any subset of the fields. `enabled` is the privacy switch (audited); `eventRetentionDays` is how long face events are kept; `timezone` is the zone attendance days are counted in.",
      auth: tenantMember("admin"),
      body: jsonBody(faceSettingsUpdateSchema),
      aliases: ["put"],
      responses: { 200: "`{settings}` after the change", 403: "Admins only" },
      handler: async ({ auth: { scope }, body }) => ({
        settings: serializeFaceSettings(await updateFaceSettings(scope, body)),
      }),
    }),
  }),
);

export const loader = route.loader;
export const action = route.action;
