// Tenant API keys for machine clients (P1 ingestion, metrics reads). The key is random, shown once;
// only its SHA-256 is stored (like session tokens), so a leaked table cannot be replayed.
import { randomBytes } from "node:crypto";
import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import { apiKeys } from "../../../db/schema";
import { hashSessionToken } from "../../auth/session.server";
import { notFound } from "../../utils/errors.server";
import { recordAudit } from "../audit.server";
import { assertRole, type TenantScope } from "../scope.server";
import { apiKeyInputSchema } from "./schemas";
import type { Db } from "../../../db/client";
import { isUuid } from "../../../protocol/strings";

export const API_KEY_PREFIX = "argus_pk_";

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const view = (r: typeof apiKeys.$inferSelect): ApiKeyView => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  created_at: r.createdAt.toISOString(),
  last_used_at: r.lastUsedAt?.toISOString() ?? null,
  revoked_at: r.revokedAt?.toISOString() ?? null,
});

export async function listApiKeys(scope: TenantScope): Promise<ApiKeyView[]> {
  assertRole(scope, "admin");
  const rows = await scope.db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.tenantId, scope.tenantId))
    .orderBy(desc(apiKeys.createdAt));
  return rows.map(view);
}

export async function createApiKey(scope: TenantScope, input: unknown): Promise<ApiKeyView & { key: string }> {
  assertRole(scope, "admin");
  const { name } = apiKeyInputSchema.parse(input);
  const key = API_KEY_PREFIX + randomBytes(24).toString("base64url");
  const [row] = await scope.db
    .insert(apiKeys)
    .values({
      tenantId: scope.tenantId,
      name,
      prefix: key.slice(0, API_KEY_PREFIX.length + 6),
      keyHash: hashSessionToken(key),
      createdBy: scope.userId,
    })
    .returning();
  await recordAudit(scope.db, {
    tenantId: scope.tenantId,
    userId: scope.userId,
    action: "api_key.create",
    details: { apiKeyId: row.id, name },
  });
  return { ...view(row), key };
}

export async function revokeApiKey(scope: TenantScope, id: string): Promise<ApiKeyView> {
  assertRole(scope, "admin");
  if (!isUuid(id)) throw notFound("API key not found");
  const [row] = await scope.db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.tenantId, scope.tenantId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning();
  if (!row) throw notFound("API key not found or already revoked");
  await recordAudit(scope.db, {
    tenantId: scope.tenantId,
    userId: scope.userId,
    action: "api_key.revoke",
    details: { apiKeyId: id, name: row.name },
  });
  return view(row);
}

/** The live key's tenant, or null for unknown/revoked keys. Touches last_used_at at most once a minute. */
export async function verifyApiKey(
  db: Db,
  key: string,
): Promise<{ id: string; tenantId: string; createdBy: string | null } | null> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return null;
  const hash = hashSessionToken(key);
  const [row] = await db
    .select({ id: apiKeys.id, tenantId: apiKeys.tenantId, createdBy: apiKeys.createdBy })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)));
  if (!row) return null;
  const now = new Date();
  await db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(apiKeys.id, row.id),
        or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now.getTime() - 60_000))),
      ),
    );
  return row;
}
