// Tenant API keys for machine clients (P1 ingestion, metrics reads). Issued, hashed, revoked and audited
// by app/auth/secrets.server.ts like every other secret: shown once, only a SHA-256 is stored.
import { desc, eq } from "drizzle-orm";
import { apiKeys } from "../../../db/schema";
import { API_KEY, issueSecret, revokeSecret, verifySecret } from "../../auth/secrets.server";
import { notFound } from "../../utils/errors.server";
import { assertRole, type TenantScope } from "../scope.server";
import { apiKeyInputSchema } from "./schemas";
import type { Db } from "../../../db/client";
import { isUuid } from "../../../protocol/strings";

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
  const { row, secret } = await issueSecret(scope.db, API_KEY, scope, { name });
  return { ...view(row), key: secret };
}

export async function revokeApiKey(scope: TenantScope, id: string): Promise<ApiKeyView> {
  assertRole(scope, "admin");
  if (!isUuid(id)) throw notFound("API key not found");
  const row = await revokeSecret(scope.db, API_KEY, scope, id);
  if (!row) throw notFound("API key not found or already revoked");
  return view(row);
}

/** The live key's tenant, or null for unknown/revoked keys (last_used_at touched at most once a minute). */
export async function verifyApiKey(
  db: Db,
  key: string,
): Promise<{ id: string; tenantId: string; createdBy: string | null } | null> {
  const row = await verifySecret(db, API_KEY, key);
  return row ? { id: row.id, tenantId: row.tenantId, createdBy: row.createdBy } : null;
}
