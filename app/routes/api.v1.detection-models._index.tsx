// GET /api/v1/detection-models (D1): the models this tenant may use (built-in, shared, its own); viewers and up.
// POST /api/v1/detection-models: upload a YOLOv8/v11-style ONNX model (tenant admins for their tenant, platform
// admins also `shared=true` for every tenant). Either multipart/form-data (fields id, version, classes as a JSON
// array or a comma list, inputSize "640" or inputWidth/inputHeight, optional licence, source, shared; the file
// in a file part) or the raw file as application/octet-stream with those fields as query parameters. The file is
// streamed to DATA_DIR/models/<sha256>.onnx with its checksum; over DETECTION_MODEL_MAX_MB -> 413; empty or not
// ONNX -> 400; an existing id + version -> 409.
import { unstable_parseMultipartFormData, type AppLoadContext, type UploadHandler } from "@remix-run/node";
import { z } from "zod";
import type { Db } from "../../db/client";
import { requireTenant } from "~/auth/guards.server";
import { signedIn, tenantMember } from "~/http/api-route-guards.server";
import { binary, defineApiRoute } from "~/http/api-route.server";
import { customBody } from "~/http/api-route-input.server";
import { recordAudit } from "~/models/audit.server";
import {
  createModel,
  defaultModelId,
  discardModelFile,
  listModels,
  modelUploadSchema,
  saveModelFile,
  type StoredModelFile,
} from "~/models/detections/models.server";
import type { RequestAuth } from "~/services.server";
import { formatIssues } from "~/utils/api.server";
import { badRequest, forbidden, HttpError } from "~/utils/errors.server";

/** What the document shows: the metadata fields and the file part (the handler streams the body itself). */
const uploadDoc = (modelUploadSchema.in as z.ZodObject).extend({ file: binary.describe("The .onnx file") });

const route = defineApiRoute({ path: "/api/v1/detection-models", tag: "Detection models" }, (op) => ({
  get: op({
    summary: "Models this tenant may use (built-in, shared, its own)",
    auth: tenantMember("viewer"),
    responses: { 200: "`{models: [...], defaultModelId}`" },
    handler: async ({ auth: { scope }, context }) => ({
      models: await listModels(context.services.db, scope.tenantId),
      defaultModelId: defaultModelId(),
    }),
  }),
  post: op({
    summary: "Upload a YOLOv8/v11-style ONNX model",
    description:
      'Either `multipart/form-data` (the fields below, the file in a part with a filename) or the raw file as `application/octet-stream` with the fields as query parameters. `classes` is a JSON array or a comma list; `inputSize` is "640" or "640x384". Tenant admins upload for their tenant; platform admins may also set `shared=true` (every tenant).',
    auth: signedIn,
    body: customBody(uploadDoc, () => Promise.resolve(undefined), ["multipart/form-data", "application/octet-stream"]),
    responses: {
      201: "`{model}`",
      400: "Empty, not ONNX, or invalid metadata",
      403: "Not a tenant admin (or `shared` without being a platform admin)",
      409: "That id and version exist",
      413: "Over DETECTION_MODEL_MAX_MB",
      415: "Neither multipart/form-data nor application/octet-stream",
    },
    onError: (request, context) => drainUnread(request, uploadLimit(context)),
    handler: ({ auth, request, context }) => upload(auth, request, context),
  }),
}));

export const loader = route.loader;
export const action = route.action;

const uploadLimit = (context: AppLoadContext) => context.services.config.DETECTION_MODEL_MAX_MB * 1024 * 1024;

const MAX_FIELD_BYTES = 64 * 1024;

/**
 * A refusal before the body was read (403, 415) leaves the client's upload on the keep-alive socket, which would
 * then stall the next request on it: read and drop it (bounded by the upload limit, past which the socket goes).
 */
async function drainUnread(request: Request, maxBytes: number): Promise<void> {
  if (!request.body || request.bodyUsed) return;
  let seen = 0;
  try {
    for await (const chunk of iterate(request.body)) {
      seen += chunk.length;
      if (seen > maxBytes) break;
    }
  } catch {
    // the client went away: nothing to drain
  }
}

async function upload(auth: RequestAuth, request: Request, context: AppLoadContext): Promise<Response> {
  const { config, db } = context.services;
  // Tenant admins upload for their tenant; a platform admin may also upload shared models.
  const tenant = await requireTenant(request, context, "admin").catch((error) => {
    if (auth.user.isPlatformAdmin) return null;
    throw error;
  });
  const maxBytes = uploadLimit(context);
  const type = request.headers.get("content-type") ?? "";
  let fields: Record<string, string>;
  let file: StoredModelFile | null = null;
  if (type.startsWith("multipart/form-data")) {
    const parsed = await readMultipart(request, db, config.DATA_DIR, maxBytes);
    fields = parsed.fields;
    file = parsed.file;
  } else if (type.startsWith("application/octet-stream")) {
    fields = Object.fromEntries(new URL(request.url).searchParams);
    if (!request.body) throw badRequest("The model file is empty");
    file = await saveModelFile(iterate(request.body), config.DATA_DIR, maxBytes);
  } else {
    throw new HttpError(415, "Send multipart/form-data with a file part, or the file as application/octet-stream");
  }
  try {
    if (!file) throw badRequest("No model file: send it in a part with a filename");
    const meta = modelUploadSchema.safeParse(fields);
    if (!meta.success) throw badRequest("Invalid model metadata", formatIssues(meta.error));
    if (meta.data.shared && !auth.user.isPlatformAdmin) throw forbidden("Only platform admins upload shared models");
    if (!meta.data.shared && !tenant) throw forbidden("Upload for a tenant you administer, or set shared=true");
    const tenantId = meta.data.shared ? null : tenant!.scope.tenantId;
    const model = await createModel(db, tenantId, meta.data, file);
    await recordAudit(db, {
      tenantId,
      userId: auth.user.id,
      action: "detection-model.upload",
      details: { id: model.id, version: model.version, sha256: model.sha256, sizeBytes: file.sizeBytes },
    });
    return Response.json(
      { model: { ...model, sizeBytes: file.sizeBytes, shared: tenantId === null } },
      { status: 201 },
    );
  } catch (error) {
    if (file) await discardModelFile(db, file);
    throw error;
  }
}

async function readMultipart(
  request: Request,
  db: Db,
  dataDir: string,
  maxBytes: number,
): Promise<{ fields: Record<string, string>; file: StoredModelFile | null }> {
  let file: StoredModelFile | null = null;
  const handler: UploadHandler = async (part) => {
    if (part.filename !== undefined) {
      if (file) throw badRequest("Send one model file per upload");
      file = await saveModelFile(part.data, dataDir, maxBytes);
      return null;
    }
    let text = "";
    const decoder = new TextDecoder();
    for await (const chunk of part.data) {
      text += decoder.decode(chunk, { stream: true });
      if (text.length > MAX_FIELD_BYTES) throw badRequest(`Field ${part.name} is too long`);
    }
    return text + decoder.decode();
  };
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(request, handler);
  } catch (error) {
    if (file) await discardModelFile(db, file);
    if (error instanceof HttpError) throw error;
    throw badRequest("Malformed multipart body");
  }
  const fields: Record<string, string> = {};
  for (const [key, value] of form.entries()) if (typeof value === "string") fields[key] = value;
  return { fields, file };
}

/** A web stream as an async iterable; stopping early cancels the stream (the rest of the body is not wanted). */
async function* iterate(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
