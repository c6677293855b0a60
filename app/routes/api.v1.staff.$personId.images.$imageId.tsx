// /api/v1/staff/:personId/images/:imageId: the enrolment image file (operators and admins, for the staff pages only;
// a viewer gets 403) and its deletion, which removes its embedding from the gallery at once (issue 14, S1, C6).
import { z } from "zod";
import { tenantMember } from "~/http/api-route-guards.server";
import { binary, defineApiRoute, uuidParam } from "~/http/api-route.server";
import { deleteImage, readImageFile } from "~/models/staff/images.server";

const params = z.object({ personId: uuidParam("personId"), imageId: uuidParam("imageId") });

const route = defineApiRoute(
  {
    path: "/api/v1/staff/{personId}/images/{imageId}",
    tag: "Staff",
    params,
    unsupportedGuard: tenantMember("operator"),
  },
  (op) => ({
    get: op({
      summary: "An enrolment image file",
      auth: tenantMember("operator"),
      responses: {
        200: { description: "The image as uploaded", schema: binary, contentType: "image/jpeg" },
        403: "Viewers do not see enrolment images",
        404: "No such image",
      },
      handler: async ({ auth: { scope }, params }) => {
        const file = await readImageFile(scope, params.personId, params.imageId);
        return new Response(new Uint8Array(file.bytes), {
          headers: {
            "content-type": file.mime,
            "content-length": String(file.bytes.byteLength),
            // Biometric data: never kept by a browser cache or a proxy.
            "cache-control": "private, no-store",
            "x-content-type-options": "nosniff",
            "content-disposition": "inline",
          },
        });
      },
    }),
    delete: op({
      summary: "Delete an enrolment image and its embedding",
      auth: tenantMember("operator"),
      responses: { 204: "Deleted", 404: "No such image" },
      handler: async ({ auth: { scope }, params }) => {
        await deleteImage(scope, params.personId, params.imageId);
        return new Response(null, { status: 204 });
      },
    }),
  }),
);

export const loader = route.loader;
export const action = route.action;
