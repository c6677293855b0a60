// A tenant's face settings and the recognition switch (issue 14: S1, D6; privacy in docs/staff.md). No row means
// the defaults with recognition OFF: a tenant's cameras do no face work until an admin turns it on. Every change
// bumps the gallery revision (workers ignore an older gallery) and, after commit, tells the fleet (galleryChanges).
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { faceSettings } from "../../../db/schema";
import { DEFAULT_FACE_SETTINGS, faceSettingsSchema, type FaceSettings } from "../../../protocol";
import { recordAudit } from "../audit.server";
import { assertRole, type TenantScope } from "../scope.server";
import { galleryChanges } from "./gallery.server";

/** Face events are kept this many days unless the tenant chooses otherwise (detection events: 90 by default). */
export const DEFAULT_FACE_EVENT_RETENTION_DAYS = 30;

export interface TenantFaceSettings {
  enabled: boolean;
  settings: FaceSettings;
  eventRetentionDays: number;
  /** IANA zone whose days the attendance report counts in. */
  timezone: string;
  galleryRevision: number;
}

export const faceSettingsUpdateSchema = z
  .object({
    enabled: z.boolean(),
    threshold: faceSettingsSchema.shape.threshold,
    margin: faceSettingsSchema.shape.margin,
    minFacePx: faceSettingsSchema.shape.minFacePx,
    reclassifySeconds: faceSettingsSchema.shape.reclassifySeconds,
    eventRetentionDays: z.number().int().min(1).max(3650),
    timezone: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .refine((tz) => isTimeZone(tz), "Unknown IANA time zone"),
  })
  .partial()
  .strict();
export type FaceSettingsUpdate = z.infer<typeof faceSettingsUpdateSchema>;

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export async function getFaceSettings(db: Db, tenantId: string): Promise<TenantFaceSettings> {
  const [row] = await db.select().from(faceSettings).where(eq(faceSettings.tenantId, tenantId));
  if (!row)
    return {
      enabled: false,
      settings: { ...DEFAULT_FACE_SETTINGS },
      eventRetentionDays: DEFAULT_FACE_EVENT_RETENTION_DAYS,
      timezone: "UTC",
      galleryRevision: 0,
    };
  return {
    enabled: row.enabled,
    settings: {
      threshold: row.threshold,
      margin: row.margin,
      minFacePx: row.minFacePx,
      reclassifySeconds: row.reclassifySeconds,
    },
    eventRetentionDays: row.eventRetentionDays,
    timezone: row.timezone,
    galleryRevision: Number(row.galleryRevision),
  };
}

/** The defaults as a row (first write of a tenant). */
const defaultRow = (tenantId: string) => ({
  tenantId,
  threshold: DEFAULT_FACE_SETTINGS.threshold,
  margin: DEFAULT_FACE_SETTINGS.margin,
  minFacePx: DEFAULT_FACE_SETTINGS.minFacePx,
  reclassifySeconds: DEFAULT_FACE_SETTINGS.reclassifySeconds,
  eventRetentionDays: DEFAULT_FACE_EVENT_RETENTION_DAYS,
});

/**
 * Bumps the tenant's gallery revision (creating its settings row with the defaults if needed), inside the caller's
 * transaction. The caller emits `galleryChanges` after commit (notifyGalleryChanged).
 */
export async function bumpGalleryRevision(db: Db, tenantId: string): Promise<number> {
  const [row] = await db
    .insert(faceSettings)
    .values({ ...defaultRow(tenantId), galleryRevision: 1 })
    .onConflictDoUpdate({
      target: faceSettings.tenantId,
      set: { galleryRevision: sql`${faceSettings.galleryRevision} + 1`, updatedAt: sql`now()` },
    })
    .returning({ revision: faceSettings.galleryRevision });
  return Number(row!.revision);
}

export function notifyGalleryChanged(tenantId: string): void {
  galleryChanges.emit("changed", tenantId);
}

/** Admins only. Turning recognition on or off is audited on its own ("faces.recognition_on/off"). */
export async function updateFaceSettings(scope: TenantScope, input: FaceSettingsUpdate): Promise<TenantFaceSettings> {
  assertRole(scope, "admin");
  const update = faceSettingsUpdateSchema.parse(input);
  const before = await getFaceSettings(scope.db, scope.tenantId);
  const { enabled, ...rest } = update;
  await scope.db.transaction(async (tx) => {
    await tx
      .insert(faceSettings)
      .values({ ...defaultRow(scope.tenantId), ...update, galleryRevision: 1 })
      .onConflictDoUpdate({
        target: faceSettings.tenantId,
        set: { ...update, galleryRevision: sql`${faceSettings.galleryRevision} + 1`, updatedAt: sql`now()` },
      });
    if (enabled !== undefined && enabled !== before.enabled)
      await recordAudit(tx as unknown as Db, {
        tenantId: scope.tenantId,
        userId: scope.userId,
        action: enabled ? "faces.recognition_on" : "faces.recognition_off",
      });
    if (Object.keys(rest).length)
      await recordAudit(tx as unknown as Db, {
        tenantId: scope.tenantId,
        userId: scope.userId,
        action: "faces.settings_update",
        details: rest,
      });
  });
  notifyGalleryChanged(scope.tenantId);
  return getFaceSettings(scope.db, scope.tenantId);
}

/** The JSON shape of /api/v1/staff/settings (docs/staff.md). */
export function serializeFaceSettings(s: TenantFaceSettings) {
  return {
    enabled: s.enabled,
    ...s.settings,
    eventRetentionDays: s.eventRetentionDays,
    timezone: s.timezone,
    galleryRevision: s.galleryRevision,
  };
}
