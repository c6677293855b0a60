// GET /api/v1/detection-models/{id}/versions/{version}/file (D1): the ONNX file, for WORKERS. Authenticated with
// the worker's signed token (`Authorization: Bearer <token>`, as on the /workers socket), revocation checked; a
// tenant's worker gets built-in and shared models and its own tenant's. ETag and x-checksum-sha256 carry the
// SHA-256 the worker verifies against its assignment's model descriptor.
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { fleetApi } from "~/fleet/http.server";
import { modelFileFor } from "~/models/detections/models.server";
import { methodNotAllowed } from "~/utils/api.server";
import { HttpError } from "~/utils/errors.server";

export const action = () => methodNotAllowed(["GET"]);

export const loader = fleetApi(async ({ request, context, params }: LoaderFunctionArgs) => {
  const match = /^Bearer\s+(\S{10,4096})$/i.exec(request.headers.get("authorization") ?? "");
  if (!match) throw new HttpError(401, "Send the worker token as Authorization: Bearer <token>");
  const verified = context.services.fleet.credentials.verify(match[1]);
  if (!verified.ok) throw new HttpError(401, verified.message);
  const file = await modelFileFor(context.services.db, verified.claims.tid, params.modelId ?? "", params.version ?? "");
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
});
