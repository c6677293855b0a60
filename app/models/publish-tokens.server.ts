// Per-camera publish tokens (SPEC C2): a kiosk browser opens /publish/<token> and publishes a browser camera
// without a user account. Operators issue and revoke them per camera; only a SHA-256 hash is stored and the
// token is shown once. Every query filters by scope.tenantId, except resolving a token (the token is the credential).
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import { cameraPublishTokens, cameras } from "../../db/schema";
import { badRequest, notFound } from "../utils/errors.server";
import { recordAudit } from "./audit.server";
import { getCamera } from "./cameras.server";
import { assertRole, type TenantScope } from "./scope.server";

const TOKEN_PREFIX = "apt_";

export function hashPublishToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export interface PublishTokenView {
  id: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export async function listPublishTokens(scope: TenantScope, cameraId: string): Promise<PublishTokenView[]> {
  const rows = await scope.db
    .select()
    .from(cameraPublishTokens)
    .where(
      and(
        eq(cameraPublishTokens.tenantId, scope.tenantId),
        eq(cameraPublishTokens.cameraId, cameraId),
        isNull(cameraPublishTokens.revokedAt),
      ),
    )
    .orderBy(desc(cameraPublishTokens.createdAt));
  return rows.map((r) => ({
    id: r.id,
    prefix: r.prefix,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  }));
}

/** Issues a token for a browser camera; the returned token is shown once. */
export async function issuePublishToken(
  scope: TenantScope,
  cameraId: string,
): Promise<{ id: string; token: string; prefix: string }> {
  assertRole(scope, "operator");
  const camera = await getCamera(scope, cameraId);
  if (camera.kind !== "browser") throw badRequest("Only browser cameras have publish links");
  const token = TOKEN_PREFIX + randomBytes(24).toString("base64url");
  const prefix = token.slice(0, TOKEN_PREFIX.length + 6);
  const [row] = await scope.db
    .insert(cameraPublishTokens)
    .values({
      tenantId: scope.tenantId,
      cameraId,
      tokenHash: hashPublishToken(token),
      prefix,
      createdBy: scope.userId,
    })
    .returning({ id: cameraPublishTokens.id });
  await recordAudit(scope.db, {
    tenantId: scope.tenantId,
    userId: scope.userId,
    action: "camera.publish_token.issue",
    details: { cameraId, tokenId: row!.id, prefix },
  });
  return { id: row!.id, token, prefix };
}

export async function revokePublishToken(scope: TenantScope, cameraId: string, tokenId: string): Promise<void> {
  assertRole(scope, "operator");
  const revoked = await scope.db
    .update(cameraPublishTokens)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(cameraPublishTokens.tenantId, scope.tenantId),
        eq(cameraPublishTokens.cameraId, cameraId),
        eq(cameraPublishTokens.id, tokenId),
        isNull(cameraPublishTokens.revokedAt),
      ),
    )
    .returning({ id: cameraPublishTokens.id });
  if (revoked.length === 0) throw notFound("No such publish link");
  await recordAudit(scope.db, {
    tenantId: scope.tenantId,
    userId: scope.userId,
    action: "camera.publish_token.revoke",
    details: { cameraId, tokenId },
  });
}

export interface ResolvedPublishToken {
  tokenId: string;
  cameraId: string;
  tenantId: string;
  cameraName: string;
}

/** The camera a live (not revoked) token publishes, for an enabled browser camera; null otherwise. */
export async function resolvePublishToken(db: Db, token: string): Promise<ResolvedPublishToken | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const [row] = await db
    .select({
      tokenId: cameraPublishTokens.id,
      cameraId: cameras.id,
      tenantId: cameras.tenantId,
      cameraName: cameras.name,
      kind: cameras.kind,
      enabled: cameras.enabled,
    })
    .from(cameraPublishTokens)
    .innerJoin(cameras, eq(cameras.id, cameraPublishTokens.cameraId))
    .where(and(eq(cameraPublishTokens.tokenHash, hashPublishToken(token)), isNull(cameraPublishTokens.revokedAt)));
  if (!row || row.kind !== "browser" || !row.enabled) return null;
  await db.update(cameraPublishTokens).set({ lastUsedAt: new Date() }).where(eq(cameraPublishTokens.id, row.tokenId));
  return { tokenId: row.tokenId, cameraId: row.cameraId, tenantId: row.tenantId, cameraName: row.cameraName };
}
