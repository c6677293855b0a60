// D1: the detection model registry. Built-in models come from the setup cache (worker/detect/builtin-models.ts)
// and are registered at every server start; admins upload YOLOv8/v11-style ONNX files, stored once per content
// under DATA_DIR/models/<sha256>.onnx. Workers fetch files with their own token (the route checks it) and verify
// the checksum from the descriptor their assignment carries.
import { createHash, randomUUID } from "node:crypto";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { and, desc, eq, inArray, isNull, or } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { cameraAssignments, cameras, detectionModels, workers, type DetectionModelRow } from "../../../db/schema";
import { idSchema, modelDescriptorSchema, type ModelDescriptor } from "../../../protocol";
import { singleton } from "../../utils/singleton.server";
import { badRequest, conflict, HttpError, notFound } from "../../utils/errors.server";

/** POST here uploads a model; server.ts gives this route its own body limit (DETECTION_MODEL_MAX_MB). */
export const MODEL_UPLOAD_PATH = "/api/v1/detection-models";

/** What worker/detect/builtin-models.ts's manifest lists for each built-in model. */
export interface BuiltinModelEntry {
  id: string;
  version: string;
  format: ModelDescriptor["format"];
  sha256: string;
  inputWidth: number;
  inputHeight: number;
  classes: string[];
  licence?: string | null;
  source?: string | null;
  /** File name inside builtinModelsDir(). */
  file: string;
}

export interface BuiltinModels {
  dir: string;
  defaultModelId: string;
  entries: BuiltinModelEntry[];
}

interface MinimalLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

// The id cameras without a chosen model use. Process-wide (server.ts and the Remix bundle each load this module).
const defaults = singleton("detection-model-defaults", () => ({ modelId: null as string | null }));

export function setDefaultModelId(modelId: string | null): void {
  defaults.modelId = modelId;
}

export function defaultModelId(): string | null {
  return defaults.modelId;
}

/**
 * Upserts the built-in models (tenant-less, builtin) so every tenant can use them. `builtins` is null when the
 * setup cache has no manifest yet: detection then stays off until `npm run setup` builds the models.
 */
export async function registerBuiltinModels(
  db: Db,
  builtins: BuiltinModels | null,
  logger: MinimalLogger,
): Promise<number> {
  if (!builtins) {
    logger.warn({}, "no built-in detection models (run `npm run setup`): detection stays off until a model exists");
    return 0;
  }
  let registered = 0;
  for (const entry of builtins.entries) {
    const filePath = path.resolve(builtins.dir, entry.file);
    const descriptor = modelDescriptorSchema.safeParse(descriptorOf(entry));
    if (!descriptor.success || !existsSync(filePath)) {
      logger.warn({ modelId: entry.id, filePath }, "built-in detection model skipped: bad manifest entry or no file");
      continue;
    }
    const size = (await stat(filePath)).size;
    const row = {
      id: entry.id,
      version: entry.version,
      tenantId: null,
      format: entry.format,
      sha256: entry.sha256,
      sizeBytes: size,
      inputWidth: entry.inputWidth,
      inputHeight: entry.inputHeight,
      classes: entry.classes,
      licence: entry.licence ?? null,
      source: entry.source ?? null,
      builtin: true,
      filePath,
    };
    await db
      .insert(detectionModels)
      .values(row)
      .onConflictDoUpdate({ target: [detectionModels.id, detectionModels.version], set: { ...row } });
    registered++;
  }
  logger.info({ registered, defaultModel: builtins.defaultModelId }, "built-in detection models registered");
  return registered;
}

const visibleTo = (tenantId: string) => or(isNull(detectionModels.tenantId), eq(detectionModels.tenantId, tenantId));

export interface ModelView extends ModelDescriptor {
  builtin: boolean;
  shared: boolean;
  licence: string | null;
  source: string | null;
  sizeBytes: number;
  createdAt: string;
  isDefault: boolean;
}

export async function listModels(db: Db, tenantId: string): Promise<ModelView[]> {
  const rows = await db
    .select()
    .from(detectionModels)
    .where(visibleTo(tenantId))
    .orderBy(detectionModels.id, desc(detectionModels.createdAt));
  return rows.map((row) => ({
    ...toDescriptor(row),
    builtin: row.builtin,
    shared: row.tenantId === null,
    licence: row.licence,
    source: row.source,
    sizeBytes: row.sizeBytes,
    createdAt: row.createdAt.toISOString(),
    isDefault: row.id === defaultModelId(),
  }));
}

/** The model visible to a tenant: that version, or the newest one of the id. */
export async function findModel(
  db: Db,
  tenantId: string,
  modelId: string,
  version?: string,
): Promise<DetectionModelRow | null> {
  const [row] = await db
    .select()
    .from(detectionModels)
    .where(
      and(
        visibleTo(tenantId),
        eq(detectionModels.id, modelId),
        version === undefined ? undefined : eq(detectionModels.version, version),
      ),
    )
    .orderBy(desc(detectionModels.createdAt))
    .limit(1);
  return row ?? null;
}

/** The descriptor a camera's analysis carries: its chosen model, else the default; null when none is registered. */
export async function resolveModel(db: Db, tenantId: string, modelId?: string): Promise<ModelDescriptor | null> {
  const id = modelId ?? defaultModelId();
  if (!id) return null;
  const row = await findModel(db, tenantId, id);
  return row ? toDescriptor(row) : null;
}

export function toDescriptor(row: DetectionModelRow): ModelDescriptor {
  return {
    id: row.id,
    version: row.version,
    format: row.format,
    sha256: row.sha256,
    inputWidth: row.inputWidth,
    inputHeight: row.inputHeight,
    classes: row.classes,
  };
}

function descriptorOf(entry: BuiltinModelEntry): ModelDescriptor {
  const { id, version, format, sha256, inputWidth, inputHeight, classes } = entry;
  return { id, version, format, sha256, inputWidth, inputHeight, classes };
}

// ---- uploads ----

const classesField = z
  .union([z.array(z.string()), z.string()])
  .transform((value, ctx) => {
    if (Array.isArray(value)) return value;
    const text = value.trim();
    if (text.startsWith("[")) {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "classes: not a JSON array" });
        return z.NEVER;
      }
    }
    return text.split(",").map((c) => c.trim());
  })
  .pipe(z.array(z.string().trim().min(1).max(60)).min(1).max(1000));

const size = z.coerce.number().int().min(32).max(4096);

/** Metadata of an uploaded model (form fields or query parameters). inputSize "640" or "640x384" sets both. */
export const modelUploadSchema = z
  .object({
    id: idSchema,
    version: z.string().trim().min(1).max(50),
    classes: classesField,
    inputWidth: size.optional(),
    inputHeight: size.optional(),
    inputSize: z
      .string()
      .regex(/^\d{2,4}(x\d{2,4})?$/, 'inputSize: "640" or "640x384"')
      .optional(),
    licence: z.string().trim().max(200).optional(),
    source: z.string().trim().max(500).optional(),
    /** Platform admins only: available to every tenant. */
    shared: z
      .union([z.boolean(), z.enum(["true", "false", "1", "0", "on"])])
      .transform((v) => v === true || v === "true" || v === "1" || v === "on")
      .optional(),
  })
  .strict()
  .transform((m, ctx) => {
    const [w, h] = m.inputSize ? m.inputSize.split("x").map(Number) : [];
    const inputWidth = m.inputWidth ?? w ?? 640;
    const inputHeight = m.inputHeight ?? h ?? w ?? inputWidth;
    if (inputWidth < 32 || inputWidth > 4096 || inputHeight < 32 || inputHeight > 4096) {
      ctx.addIssue({ code: "custom", message: "input size must be 32..4096" });
      return z.NEVER;
    }
    return { ...m, inputWidth, inputHeight, shared: m.shared ?? false };
  });
export type ModelUpload = z.output<typeof modelUploadSchema>;

export interface StoredModelFile {
  sha256: string;
  sizeBytes: number;
  filePath: string;
}

/** First byte of an ONNX file: a ModelProto field tag (ir_version varint, or one of its string/message fields). */
const ONNX_FIRST_BYTES = new Set([0x08, 0x12, 0x1a, 0x22, 0x28, 0x32, 0x3a, 0x42]);

/** Pure: whether a file's first bytes can start a serialised ONNX ModelProto. */
export function looksLikeOnnx(head: Uint8Array): boolean {
  if (head.length < 16 || !ONNX_FIRST_BYTES.has(head[0])) return false;
  // ir_version first (what exporters write): a small positive version number.
  if (head[0] === 0x08) return head[1] >= 1 && head[1] <= 20;
  return true;
}

export const modelsDir = (dataDir: string) => path.resolve(dataDir, "models");

/**
 * Streams an upload to DATA_DIR/models/<sha256>.onnx while hashing it; 413 past `maxBytes`, 400 when empty or not
 * ONNX. Nothing is left behind on failure.
 */
export async function saveModelFile(
  source: AsyncIterable<Uint8Array>,
  dataDir: string,
  maxBytes: number,
): Promise<StoredModelFile> {
  const dir = modelsDir(dataDir);
  await mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.upload-${randomUUID()}`);
  const out = createWriteStream(temp);
  const hash = createHash("sha256");
  let sizeBytes = 0;
  let head: Uint8Array = new Uint8Array(0);
  try {
    for await (const chunk of source) {
      sizeBytes += chunk.length;
      if (sizeBytes > maxBytes) {
        // Read (and drop) the rest of a modestly oversized upload before answering, so the client gets the 413
        // instead of a reset mid-write (EPIPE); a body far past the limit is cut off at twice the limit.
        if (sizeBytes > 2 * maxBytes) break;
        continue;
      }
      if (head.length < 16) head = concat(head, chunk.subarray(0, 16 - head.length));
      hash.update(chunk);
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    }
    if (sizeBytes > maxBytes)
      throw new HttpError(413, `Model files are limited to ${Math.round(maxBytes / 1048576)} MB`);
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    if (sizeBytes === 0) throw badRequest("The model file is empty");
    if (!looksLikeOnnx(head)) throw badRequest("The file is not an ONNX model (expected a serialised ModelProto)");
    const sha256 = hash.digest("hex");
    const filePath = path.join(dir, `${sha256}.onnx`);
    await rename(temp, filePath);
    return { sha256, sizeBytes, filePath };
  } catch (error) {
    // The stream opens its file asynchronously: wait until it is closed, or the file could appear after the rm.
    if (!out.closed) await new Promise<void>((resolve) => out.once("close", () => resolve()).destroy());
    await rm(temp, { force: true });
    throw error;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Registers an uploaded YOLO model. 409 when that id and version exist. */
export async function createModel(
  db: Db,
  tenantId: string | null,
  meta: ModelUpload,
  file: StoredModelFile,
): Promise<ModelDescriptor> {
  const [existing] = await db
    .select({ tenantId: detectionModels.tenantId })
    .from(detectionModels)
    .where(and(eq(detectionModels.id, meta.id), eq(detectionModels.version, meta.version)));
  if (existing) throw conflict(`Model ${meta.id} version ${meta.version} already exists: upload a new version`);
  const [row] = await db
    .insert(detectionModels)
    .values({
      id: meta.id,
      version: meta.version,
      tenantId,
      format: "yolo",
      sha256: file.sha256,
      sizeBytes: file.sizeBytes,
      inputWidth: meta.inputWidth,
      inputHeight: meta.inputHeight,
      classes: meta.classes,
      licence: meta.licence ?? null,
      source: meta.source ?? null,
      builtin: false,
      filePath: file.filePath,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw conflict(`Model ${meta.id} version ${meta.version} already exists: upload a new version`);
  return toDescriptor(row);
}

/** Removes a stored upload that no model row uses (a failed or refused upload). */
export async function discardModelFile(db: Db, file: StoredModelFile): Promise<void> {
  const [used] = await db
    .select({ id: detectionModels.id })
    .from(detectionModels)
    .where(eq(detectionModels.filePath, file.filePath))
    .limit(1);
  if (!used) await rm(file.filePath, { force: true });
}

/**
 * The file a worker may download; 404 when not visible to it or gone from disk. A tenant's worker sees built-in and
 * shared models and its tenant's. A shared worker (issue 12) serves cameras of other tenants too, so it also gets a
 * tenant's own model while it holds (pending or active) a camera of that tenant - never any other tenant's.
 */
export async function modelFileFor(
  db: Db,
  worker: { tenantId: string; sharedCredentialId?: string },
  modelId: string,
  version: string,
): Promise<{ filePath: string; sha256: string; sizeBytes: number }> {
  let row = await findModel(db, worker.tenantId, modelId, version);
  if (!row && worker.sharedCredentialId) {
    const servedTenants = db
      .select({ tenantId: cameras.tenantId })
      .from(cameraAssignments)
      .innerJoin(workers, eq(workers.id, cameraAssignments.workerId))
      .innerJoin(cameras, eq(cameras.id, cameraAssignments.cameraId))
      .where(
        and(
          eq(workers.credentialId, worker.sharedCredentialId),
          inArray(cameraAssignments.state, ["pending", "active"]),
        ),
      );
    [row] = await db
      .select()
      .from(detectionModels)
      .where(
        and(
          eq(detectionModels.id, modelId),
          eq(detectionModels.version, version),
          inArray(detectionModels.tenantId, servedTenants),
        ),
      )
      .limit(1);
  }
  if (!row || !existsSync(row.filePath)) throw notFound(`Model ${modelId} version ${version} not found`);
  return { filePath: row.filePath, sha256: row.sha256, sizeBytes: row.sizeBytes };
}
