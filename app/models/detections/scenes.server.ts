// C5, D1, W10: a camera's analysis settings (detection settings + scene of lines and zones) and the model they
// resolve to. Stored as jsonb on the camera; absent keys mean the protocol's defaults, so a camera that was never
// configured follows them. Every write is validated by the protocol schemas the worker also parses with.
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { cameras } from "../../../db/schema";
import {
  detectionSettingsSchema,
  EMPTY_SCENE,
  sceneSchema,
  DEFAULT_DETECTION_SETTINGS,
  type CameraAnalysis,
  type DetectionSettings,
  type ModelDescriptor,
  type Scene,
} from "../../../protocol";
import { badRequest, notFound } from "../../utils/errors.server";
import { recordAudit } from "../audit.server";
import { assertRole, type TenantScope } from "../scope.server";
import { findModel, resolveModel } from "./models.server";
import { checkWorkstationBindings, workstationAnalysis } from "../productivity/camera-source.server";
import { faceAnalysisFor } from "../staff/gallery.server";

/** PUT body: either part or both. `detection` is merged into the stored settings (`modelId: null` = the default). */
export const analysisPatchSchema = z
  .object({
    detection: z.record(z.string(), z.unknown()).optional(),
    scene: z.unknown().optional(),
  })
  .strict()
  .refine((p) => p.detection !== undefined || p.scene !== undefined, "Send detection, scene or both");

export interface AnalysisPatch {
  detection?: Partial<DetectionSettings> | Record<string, unknown>;
  scene?: Scene | unknown;
}

export type CameraAnalysisView = CameraAnalysis;

/** Pure: stored jsonb -> settings with defaults; anything unreadable falls back to the defaults (logged by callers). */
export function readDetection(stored: unknown): DetectionSettings {
  const parsed = detectionSettingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : DEFAULT_DETECTION_SETTINGS;
}

export function readScene(stored: unknown): Scene {
  const parsed = sceneSchema.safeParse(stored ?? EMPTY_SCENE);
  return parsed.success ? parsed.data : EMPTY_SCENE;
}

/** Pure: the stored detection object after a patch (only keys operators set are kept; null removes a key). */
export function mergeDetection(stored: unknown, patch: Record<string, unknown>): Record<string, unknown> {
  const base = stored && typeof stored === "object" && !Array.isArray(stored) ? { ...stored } : {};
  const merged: Record<string, unknown> = base;
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

async function analysisOf(
  db: Db,
  tenantId: string,
  row: { detection: unknown; scene: unknown },
): Promise<CameraAnalysis> {
  const detection = readDetection(row.detection);
  const scene = readScene(row.scene);
  const model = detection.enabled ? await resolveModel(db, tenantId, detection.modelId) : null;
  const faces = detection.faceRecognition ? await faceAnalysisFor(db, tenantId) : undefined;
  return { detection, scene, model, ...(await workstationAnalysis(db, tenantId, scene)), ...(faces ? { faces } : {}) };
}

async function loadCamera(scope: TenantScope, cameraId: string) {
  if (!z.uuid().safeParse(cameraId).success) throw notFound("Camera not found");
  const [row] = await scope.db
    .select({ id: cameras.id, detection: cameras.detection, scene: cameras.scene })
    .from(cameras)
    .where(and(eq(cameras.id, cameraId), eq(cameras.tenantId, scope.tenantId)));
  if (!row) throw notFound("Camera not found");
  return row;
}

export async function getCameraAnalysis(
  db: Db,
  scope: TenantScope,
  cameraId: string,
): Promise<{ detection: DetectionSettings; scene: Scene; model: ModelDescriptor | null }> {
  return analysisOf(db, scope.tenantId, await loadCamera(scope, cameraId));
}

/** Operator role. 400 for invalid settings, an invalid scene or an unknown model; 404 for another tenant's camera. */
export async function updateCameraAnalysis(
  db: Db,
  scope: TenantScope,
  cameraId: string,
  patch: AnalysisPatch,
): Promise<{ detection: DetectionSettings; scene: Scene; model: ModelDescriptor | null }> {
  assertRole(scope, "operator");
  const row = await loadCamera(scope, cameraId);
  const set: { detection?: Record<string, unknown>; scene?: Scene; updatedAt: Date } = { updatedAt: new Date() };
  if (patch.detection !== undefined) {
    const merged = mergeDetection(row.detection, patch.detection as Record<string, unknown>);
    const parsed = detectionSettingsSchema.safeParse(merged);
    if (!parsed.success) throw badRequest("Invalid detection settings", issues(parsed.error));
    if (parsed.data.modelId && !(await findModel(db, scope.tenantId, parsed.data.modelId)))
      throw badRequest(`Unknown model "${parsed.data.modelId}"`, [
        { path: "detection.modelId", message: "No such model in the registry" },
      ]);
    set.detection = merged;
  }
  if (patch.scene !== undefined) {
    const parsed = sceneSchema.safeParse(patch.scene);
    if (!parsed.success) throw badRequest("Invalid scene", issues(parsed.error, "scene"));
    await checkWorkstationBindings(scope, parsed.data); // issue 13: the tenant's own workstations and workers
    set.scene = parsed.data;
  }
  const [updated] = await db
    .update(cameras)
    .set(set)
    .where(and(eq(cameras.id, cameraId), eq(cameras.tenantId, scope.tenantId)))
    .returning({ detection: cameras.detection, scene: cameras.scene });
  if (!updated) throw notFound("Camera not found");
  await recordAudit(db, {
    tenantId: scope.tenantId,
    userId: scope.userId,
    action: "camera.analysis.update",
    details: {
      cameraId,
      detection: patch.detection !== undefined,
      lines: set.scene?.lines.length,
      zones: set.scene?.zones.length,
    },
  });
  return analysisOf(db, scope.tenantId, updated);
}

/** The analysis of several cameras of one tenant (assignments carry it); models resolved once per id. */
export async function analysisForCameras(
  db: Db,
  tenantId: string,
  cameraIds: string[],
): Promise<Map<string, CameraAnalysis>> {
  const result = new Map<string, CameraAnalysis>();
  if (!cameraIds.length) return result;
  const rows = await db
    .select({ id: cameras.id, detection: cameras.detection, scene: cameras.scene })
    .from(cameras)
    .where(and(eq(cameras.tenantId, tenantId), inArray(cameras.id, cameraIds)));
  const models = new Map<string, ModelDescriptor | null>();
  // Issue 14 (D6): the tenant's face recognition (absent while off) rides with every camera's analysis.
  const faces = rows.length ? await faceAnalysisFor(db, tenantId) : undefined;
  for (const row of rows) {
    const detection = readDetection(row.detection);
    let model: ModelDescriptor | null = null;
    if (detection.enabled) {
      const key = detection.modelId ?? "";
      if (!models.has(key)) models.set(key, await resolveModel(db, tenantId, detection.modelId));
      model = models.get(key) ?? null;
    }
    const scene = readScene(row.scene);
    result.set(row.id, {
      detection,
      scene,
      model,
      ...(await workstationAnalysis(db, tenantId, scene)),
      // A camera opted out of face recognition never gets it, even while the tenant has it on.
      ...(faces && detection.faceRecognition ? { faces } : {}),
    });
  }
  return result;
}

function issues(error: z.ZodError, prefix = "detection"): Array<{ path: string; message: string }> {
  return error.issues.map((i) => ({ path: [prefix, ...i.path].join("."), message: i.message }));
}
