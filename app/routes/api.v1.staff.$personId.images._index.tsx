// /api/v1/staff/:personId/images: enrolment images (issue 14, S1, C6). Operators and admins only: a viewer sees
// names, never faces. POST takes multipart/form-data with one or more `images` parts (or `image` / `file`) (JPEG or PNG); each is decoded,
// its one face checked and embedded by the server; refused images come back with their reason.
import { z } from "zod";
import { tenantMember } from "~/http/api-route-guards.server";
import { binary, defineApiRoute, jsonWith, uuidParam } from "~/http/api-route.server";
import { customBody } from "~/http/api-route-input.server";
import { EnrolmentError, ENROLMENT_RULES, enrolImage, listImages } from "~/models/staff/images.server";
import { badRequest, HttpError } from "~/utils/errors.server";

const params = z.object({ personId: uuidParam("personId") });

/** At most this many images in one request (the server's 2 MiB body limit applies to the whole request). */
const MAX_FILES = 10;

async function readImages(request: Request): Promise<File[]> {
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data"))
    throw new HttpError(415, "Send the images as multipart/form-data in parts named `images`");
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw badRequest("The multipart body could not be read");
  }
  const files = [...form.getAll("images"), ...form.getAll("image"), ...form.getAll("file")].filter(
    (v): v is File => typeof v !== "string",
  );
  if (!files.length) throw badRequest("No image in the request: send files in parts named `images`");
  if (files.length > MAX_FILES) throw badRequest(`At most ${MAX_FILES} images per request`);
  return files;
}

const uploadDoc = z.object({ images: z.array(binary).describe("JPEG or PNG files, one face each") });

const route = defineApiRoute(
  { path: "/api/v1/staff/{personId}/images", tag: "Staff", params, unsupportedGuard: tenantMember("operator") },
  (op) => ({
    get: op({
      summary: "A person's enrolment images (metadata)",
      description:
        "Face found, face box, detector score and quality (sizePx, sharpness, frontal) of each stored image, and the embedder that computed its embedding. The files themselves: GET /api/v1/staff/{personId}/images/{imageId}.",
      auth: tenantMember("operator"),
      responses: { 200: "`{images: [...]}`", 403: "Viewers do not see enrolment images", 404: "No such person" },
      handler: async ({ auth: { scope }, params }) => ({ images: await listImages(scope, params.personId) }),
    }),
    post: op({
      summary: "Enrol face images",
      description: `Each image: JPEG or PNG, at most ${ENROLMENT_RULES.maxBytes / 1e6} MB (the whole request at most 2 MiB), exactly one face (another face at least half its size makes the image ambiguous), face at least ${ENROLMENT_RULES.minFacePx} px on its shorter side, sharpness (variance of the Laplacian) at least ${ENROLMENT_RULES.minSharpness}, frontal score at least ${ENROLMENT_RULES.minFrontal}; at most ${ENROLMENT_RULES.maxImagesPerPerson} images per person. 201 when at least one image was stored (the others in \`rejected\` with their reason); when none was, the first refusal's status (400 corrupt, 413 too large, 415 not an image, 422 no face / several faces / too small / too blurry / not frontal) with every reason in \`details\`.`,
      auth: tenantMember("operator"),
      body: customBody(uploadDoc, readImages, ["multipart/form-data"]),
      responses: {
        201: "`{image, images: [...], rejected: [{file, status, reason, message}]}` (`image`: the first stored)",
        400: "Corrupt image or bad request",
        413: "Image too large",
        415: "Not a JPEG or PNG image",
        422: "No usable face: none, several, too small, too blurry or not frontal",
        503: "The face models are not installed on the server",
      },
      handler: async ({ auth: { scope }, params, body: files }) => {
        const images = [];
        const rejected: Array<{ file: string; status: number; reason: string; message: string }> = [];
        for (const file of files) {
          try {
            const bytes = new Uint8Array(await file.arrayBuffer());
            images.push(await enrolImage(scope, params.personId, { bytes, mime: file.type, name: file.name }));
          } catch (error) {
            if (!(error instanceof EnrolmentError)) throw error;
            rejected.push({
              file: file.name.slice(0, 200),
              status: error.status,
              reason: error.reason,
              message: error.message,
            });
          }
        }
        if (!images.length) {
          const first = rejected[0]!;
          throw new HttpError(first.status, files.length > 1 ? `${first.file}: ${first.message}` : first.message, {
            reason: first.reason,
            rejected,
          });
        }
        return jsonWith({ image: images[0], images, rejected }, 201);
      },
    }),
  }),
);

export const loader = route.loader;
export const action = route.action;
