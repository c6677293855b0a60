// Per-camera publish tokens (SPEC C2): a kiosk browser opens /publish/<token> and publishes a browser camera
// without a user account. Operators issue and revoke them per camera; only a SHA-256 hash is stored and the
// token is shown once; app/auth/secrets.server.ts issues, hashes, revokes and audits it like every other secret.
// Every query filters by scope.tenantId, except resolving a token (the token is the credential).
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import { cameraPublishTokens, cameras } from "../../db/schema";
import { findSecret, issueSecret, PUBLISH_TOKEN, revokeSecret, touchSecret } from "../auth/secrets.server";
import { badRequest, notFound } from "../utils/errors.server";
import { getCamera } from "./cameras.server";
import { assertRole, type TenantScope } from "./scope.server";

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
  const { row, secret } = await issueSecret(scope.db, PUBLISH_TOKEN, scope, { cameraId });
  return { id: row.id, token: secret, prefix: row.prefix };
}

export async function revokePublishToken(scope: TenantScope, cameraId: string, tokenId: string): Promise<void> {
  assertRole(scope, "operator");
  const revoked = await revokeSecret(scope.db, PUBLISH_TOKEN, scope, tokenId, {
    scope: eq(cameraPublishTokens.cameraId, cameraId),
  });
  if (!revoked) throw notFound("No such publish link");
}

export interface ResolvedPublishToken {
  tokenId: string;
  cameraId: string;
  tenantId: string;
  cameraName: string;
}

/** The camera a live (not revoked) token publishes, for an enabled browser camera; null otherwise. */
export async function resolvePublishToken(db: Db, token: string): Promise<ResolvedPublishToken | null> {
  const live = await findSecret(db, PUBLISH_TOKEN, token);
  if (!live || live.revokedAt) return null;
  const [camera] = await db
    .select({
      id: cameras.id,
      tenantId: cameras.tenantId,
      name: cameras.name,
      kind: cameras.kind,
      enabled: cameras.enabled,
    })
    .from(cameras)
    .where(eq(cameras.id, live.cameraId));
  if (!camera || camera.kind !== "browser" || !camera.enabled) return null;
  await touchSecret(db, PUBLISH_TOKEN, live.id); // a use is a kiosk that got through, not a refused attempt
  return { tokenId: live.id, cameraId: camera.id, tenantId: camera.tenantId, cameraName: camera.name };
}
