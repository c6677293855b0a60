// Camera records (SPEC C1): CRUD per tenant and site. Every query filters by scope.tenantId.
// Placement side effects (auto-assign, release on disable/delete) live in app/fleet/operations.server.ts.
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { safeText } from "../../protocol/strings";
import { cameras, sites } from "../../db/schema";
import { isUniqueViolation } from "../utils/db-errors.server";
import { badRequest, conflict, notFound } from "../utils/errors.server";
import { recordAudit } from "./audit.server";
import { assertRole, type TenantScope } from "./scope.server";

export type Camera = typeof cameras.$inferSelect;

const rtspUrl = safeText()
  .trim()
  .max(2000)
  .refine((u) => /^rtsps?:\/\/[^\s]+$/i.test(u), "Must be an rtsp:// or rtsps:// URL");

const booleanish = z.union([
  z.boolean(),
  z.enum(["true", "false", "on", "off"]).transform((v) => v === "true" || v === "on"),
]);

export const cameraInputSchema = z
  .object({
    name: safeText().trim().min(1, "Name is required").max(100),
    /** demo: a clip the server plays as a camera (O1), no URL. */
    kind: z.enum(["browser", "rtsp", "demo"]),
    siteId: z.uuid("Unknown site").nullable().optional(),
    rtspUrl: rtspUrl.nullable().optional(),
    analysisFps: z.coerce.number().min(0.1, "At least 0.1 fps").max(60, "At most 60 fps").default(5),
    enabled: booleanish.default(true),
  })
  .strict();
export type CameraInput = z.input<typeof cameraInputSchema>;

export const cameraPatchSchema = cameraInputSchema.partial().strict();

function checkKind(kind: Camera["kind"], url: string | null | undefined): void {
  if (kind === "rtsp" && !url)
    throw badRequest("Invalid camera", [{ path: "rtspUrl", message: "RTSP cameras need an RTSP URL" }]);
}

async function checkSite(scope: TenantScope, siteId: string | null | undefined): Promise<void> {
  if (!siteId) return;
  const [site] = await scope.db
    .select({ id: sites.id })
    .from(sites)
    .where(and(eq(sites.tenantId, scope.tenantId), eq(sites.id, siteId)));
  if (!site) throw badRequest("Invalid camera", [{ path: "siteId", message: "Unknown site" }]);
}

/** W9: one stream, one camera record; a second camera on the same RTSP URL is a conflict, reported by name. */
async function checkStreamConflict(
  scope: TenantScope,
  url: string | null | undefined,
  exceptId?: string,
): Promise<void> {
  if (!url) return;
  const [other] = await scope.db
    .select({ id: cameras.id, name: cameras.name })
    .from(cameras)
    .where(and(eq(cameras.tenantId, scope.tenantId), eq(cameras.rtspUrl, url)));
  if (other && other.id !== exceptId) throw conflict(`Camera "${other.name}" already uses this RTSP stream`);
}

export function listCameras(scope: TenantScope): Promise<Camera[]> {
  return scope.db.select().from(cameras).where(eq(cameras.tenantId, scope.tenantId)).orderBy(cameras.name);
}

export async function getCamera(scope: TenantScope, cameraId: string): Promise<Camera> {
  if (!z.uuid().safeParse(cameraId).success) throw notFound("Camera not found");
  const [camera] = await scope.db
    .select()
    .from(cameras)
    .where(and(eq(cameras.tenantId, scope.tenantId), eq(cameras.id, cameraId)));
  if (!camera) throw notFound("Camera not found");
  return camera;
}

export async function createCamera(
  scope: TenantScope,
  input: CameraInput,
  options: { wantAssigned: boolean },
): Promise<Camera> {
  assertRole(scope, "operator");
  const values = cameraInputSchema.parse(input);
  checkKind(values.kind, values.rtspUrl);
  await checkSite(scope, values.siteId);
  if (values.kind === "rtsp") await checkStreamConflict(scope, values.rtspUrl);
  const [camera] = await scope.db
    .insert(cameras)
    .values({
      ...values,
      rtspUrl: values.kind === "rtsp" ? values.rtspUrl : null,
      tenantId: scope.tenantId,
      wantAssigned: options.wantAssigned && values.enabled,
    })
    .onConflictDoNothing()
    .returning();
  if (!camera) throw conflict(`A camera named "${values.name}" already exists`);
  await recordAudit(scope.db, {
    tenantId: scope.tenantId,
    userId: scope.userId,
    action: "camera.create",
    details: { cameraId: camera.id, name: camera.name },
  });
  return camera;
}

export async function updateCamera(
  scope: TenantScope,
  cameraId: string,
  patch: z.input<typeof cameraPatchSchema>,
): Promise<Camera> {
  assertRole(scope, "operator");
  const current = await getCamera(scope, cameraId);
  const values = cameraPatchSchema.parse(patch);
  const kind = values.kind ?? current.kind;
  const url = values.rtspUrl !== undefined ? values.rtspUrl : current.rtspUrl;
  checkKind(kind, url);
  await checkSite(scope, values.siteId);
  if (kind === "rtsp") await checkStreamConflict(scope, url, cameraId);
  try {
    const [camera] = await scope.db
      .update(cameras)
      .set({ ...values, rtspUrl: kind === "rtsp" ? url : null, updatedAt: new Date() })
      .where(and(eq(cameras.tenantId, scope.tenantId), eq(cameras.id, cameraId)))
      .returning();
    return camera;
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`A camera named "${values.name}" already exists`);
    throw error;
  }
}

export async function deleteCamera(scope: TenantScope, cameraId: string): Promise<void> {
  assertRole(scope, "operator");
  const deleted = await scope.db
    .delete(cameras)
    .where(and(eq(cameras.tenantId, scope.tenantId), eq(cameras.id, cameraId)))
    .returning({ id: cameras.id, name: cameras.name });
  if (deleted.length === 0) throw notFound("Camera not found");
  await recordAudit(scope.db, {
    tenantId: scope.tenantId,
    userId: scope.userId,
    action: "camera.delete",
    details: { cameraId, name: deleted[0].name },
  });
}
