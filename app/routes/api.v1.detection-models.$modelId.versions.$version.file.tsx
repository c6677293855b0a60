// GET /api/v1/detection-models/{id}/versions/{version}/file (D1): the ONNX file, for WORKERS. Authenticated with
// the worker's signed token (`Authorization: Bearer <token>`, as on the /workers socket), revocation checked; a
// tenant's worker gets built-in and shared models and its own tenant's; a shared worker also those of the tenants whose
// cameras it holds (issue 12 follow-up). ETag and x-checksum-sha256 carry the
// SHA-256 the worker verifies against its assignment's model descriptor.
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { workerToken } from "~/http/api-route-guards.server";
import { binary, defineApiRoute } from "~/http/api-route.server";
import { modelFileFor } from "~/models/detections/models.server";

const route = defineApiRoute(
  { path: "/api/v1/detection-models/{modelId}/versions/{version}/file", tag: "Detection models" },
  (op) => ({
    get: op({
      summary: "Download a model's ONNX file (for workers)",
      description:
        "`ETag` and `x-checksum-sha256` carry the file's SHA-256; `If-None-Match` with it answers 304. A tenant's worker gets built-in and shared models and its own tenant's; a shared worker also gets the models of a tenant whose camera it holds.",
      auth: workerToken,
      responses: {
        200: { description: "The ONNX file", schema: binary, contentType: "application/octet-stream" },
        304: "Unchanged",
        404: "No such model version for this worker",
      },
      handler: async ({ auth: claims, params, request, context }) => {
        const { fleet, db } = context.services;
        const sharedCredentialId = fleet.credentials.isShared(claims.cid) ? claims.cid : undefined;
        const file = await modelFileFor(
          db,
          { tenantId: claims.tid, sharedCredentialId },
          params.modelId,
          params.version,
        );
        const headers = {
          etag: `"${file.sha256}"`,
          "x-checksum-sha256": file.sha256,
          "cache-control": "private, no-cache",
        };
        if (request.headers.get("if-none-match") === headers.etag) return new Response(null, { status: 304, headers });
        const body = Readable.toWeb(createReadStream(file.filePath)) as ReadableStream<Uint8Array>;
        return new Response(body, {
          headers: { ...headers, "content-type": "application/octet-stream", "content-length": String(file.sizeBytes) },
        });
      },
    }),
  }),
);

export const loader = route.loader;
export const action = route.action;
