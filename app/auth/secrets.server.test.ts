// Issue 12 §3: one way to issue a secret. Worker credentials, API keys and publish tokens go through
// app/auth/secrets.server.ts; proven against a real embedded TimescaleDB through the owner modules routes call.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle, type Db } from "../../db/client";
import { apiKeys, auditEvents, cameraPublishTokens, workerCredentials } from "../../db/schema";
import { CredentialService } from "../fleet/credentials.server";
import { createCamera } from "../models/cameras.server";
import { createApiKey, revokeApiKey, verifyApiKey } from "../models/productivity/api-keys.server";
import { issuePublishToken, resolvePublishToken, revokePublishToken } from "../models/publish-tokens.server";
import { scopeFor, type TenantScope } from "../models/scope.server";
import { createTenant } from "../models/tenants.server";
import { createUser } from "../models/users.server";
import { HttpError } from "../utils/errors.server";
import { hashSessionToken } from "./session.server";
import {
  API_KEY,
  generateSecret,
  hashSecret,
  LAST_USED_RESOLUTION_MS,
  looksLikeSecret,
  PUBLISH_TOKEN,
  revokeSecret,
  SECRET_KINDS,
  verifySecret,
  WORKER_CREDENTIAL,
} from "./secrets.server";

let dataDir: string;
let handle: DatabaseHandle;
let db: Db;
let scope: TenantScope;
let otherScope: TenantScope;
let credentials: CredentialService;
let browserCameraId: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "argus-secrets-"));
  handle = await openDatabase({ dataDir });
  await handle.migrate();
  db = handle.db;
  const root = await createUser(db, {
    email: "root@secrets.test",
    name: "Root",
    password: "secrets-test-password",
    isPlatformAdmin: true,
  });
  const tenant = await createTenant(db, root, { name: "Secrets A" });
  const other = await createTenant(db, root, { name: "Secrets B" });
  scope = await scopeFor(db, root.id, tenant.id);
  otherScope = await scopeFor(db, root.id, other.id);
  credentials = await CredentialService.create(db, () => 600);
  browserCameraId = (await createCamera(scope, { name: "Kiosk", kind: "browser" }, { wantAssigned: false })).id;
}, 60_000);

afterAll(async () => {
  await handle?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function auditRows(action: string, secretId: string) {
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), sql`${auditEvents.details}->>'secretId' = ${secretId}`));
  return rows;
}

/** Issue and revoke each leave exactly one audit row naming the secret's row, never the secret or its hash. */
async function expectAudited(
  kind: (typeof SECRET_KINDS)[number],
  secretId: string,
  secret: string,
  userId: string | null,
) {
  for (const event of ["issue", "revoke"] as const) {
    const rows = await auditRows(kind.auditActions[event], secretId);
    expect(rows, `${kind.label} ${event} audit`).toHaveLength(1);
    expect(rows[0]).toMatchObject({ tenantId: scope.tenantId, userId });
    const details = JSON.stringify(rows[0].details);
    expect(details).not.toContain(secret);
    expect(details).not.toContain(hashSecret(secret));
    expect(rows[0].details).toMatchObject({ secretId, prefix: secret.slice(0, kind.prefix.length + 6) });
  }
}

async function expectStatus(promise: Promise<unknown>, status: number) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  expect((error as HttpError).status).toBe(status);
}

describe("secrets (pure)", () => {
  it.each(SECRET_KINDS.map((k) => [k.label, k] as const))("%s: prefixed, random, stored as SHA-256", (_, kind) => {
    const a = generateSecret(kind);
    const b = generateSecret(kind);
    expect(a.secret.startsWith(kind.prefix)).toBe(true);
    expect(a.secret).not.toBe(b.secret);
    expect(a.hash).toBe(hashSecret(a.secret));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.secret.startsWith(a.displayPrefix)).toBe(true);
    expect(a.displayPrefix).toHaveLength(kind.prefix.length + 6);
    // base64url of N random bytes: ceil(4N/3) characters after the prefix.
    expect(a.secret.length - kind.prefix.length).toBe(Math.ceil((kind.randomBytes * 4) / 3));
  });

  it("looksLikeSecret rejects other kinds, junk and oversized input before any I/O", () => {
    const key = generateSecret(API_KEY).secret;
    expect(looksLikeSecret(API_KEY, key)).toBe(true);
    expect(looksLikeSecret(WORKER_CREDENTIAL, key)).toBe(false);
    expect(looksLikeSecret(PUBLISH_TOKEN, key)).toBe(false);
    for (const junk of [null, 5, "", "argus_pk_" + "x".repeat(300)]) expect(looksLikeSecret(API_KEY, junk)).toBe(false);
  });

  it("existing hashes stay valid: the hash is the plain SHA-256 hex the three copies stored", () => {
    // API keys were hashed with the session-token hash: a key issued before this module still verifies.
    const key = generateSecret(API_KEY).secret;
    expect(hashSecret(key)).toBe(hashSessionToken(key));
    // Known vector: sha256("abc").
    expect(hashSecret("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("API keys through secrets.server", () => {
  it("issue -> verify ok (last used set) -> revoke -> verify fails; audited both ways", async () => {
    const created = await createApiKey(scope, { name: "Line 1" });
    expect(created.key.startsWith(API_KEY.prefix)).toBe(true);
    expect(created.last_used_at).toBeNull();
    const [stored] = await db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(stored.keyHash).toBe(hashSecret(created.key));
    expect(stored.keyHash).not.toContain(created.key);

    expect(await verifyApiKey(db, created.key)).toMatchObject({ id: created.id, tenantId: scope.tenantId });
    const [used] = await db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(used.lastUsedAt).toBeInstanceOf(Date);

    await expectStatus(revokeApiKey(otherScope, created.id), 404); // another tenant cannot revoke it
    expect(await verifyApiKey(db, created.key)).not.toBeNull();
    const revoked = await revokeApiKey(scope, created.id);
    expect(revoked.revoked_at).not.toBeNull();
    expect(await verifyApiKey(db, created.key)).toBeNull();
    await expectStatus(revokeApiKey(scope, created.id), 404); // already revoked
    await expectAudited(API_KEY, created.id, created.key, scope.userId);
  });

  it("last_used_at is written at most once per resolution window", async () => {
    const created = await createApiKey(scope, { name: "Throttle" });
    const t0 = new Date("2030-01-01T00:00:00Z");
    await verifySecret(db, API_KEY, created.key, t0);
    await verifySecret(db, API_KEY, created.key, new Date(t0.getTime() + 1000));
    const lastUsed = async () =>
      (await db.select().from(apiKeys).where(eq(apiKeys.id, created.id)))[0].lastUsedAt?.toISOString();
    expect(await lastUsed()).toBe(t0.toISOString());
    const later = new Date(t0.getTime() + LAST_USED_RESOLUTION_MS + 1000);
    await verifySecret(db, API_KEY, created.key, later);
    expect(await lastUsed()).toBe(later.toISOString());
  });
});

describe("publish tokens through secrets.server", () => {
  it("issue -> resolve ok (last used set) -> revoke -> resolve fails; audited both ways", async () => {
    const issued = await issuePublishToken(scope, browserCameraId);
    expect(issued.token.startsWith(PUBLISH_TOKEN.prefix)).toBe(true);
    expect(await resolvePublishToken(db, issued.token)).toMatchObject({
      tokenId: issued.id,
      cameraId: browserCameraId,
      tenantId: scope.tenantId,
    });
    const [used] = await db.select().from(cameraPublishTokens).where(eq(cameraPublishTokens.id, issued.id));
    expect(used.lastUsedAt).toBeInstanceOf(Date);
    expect(used.tokenHash).toBe(hashSecret(issued.token));

    // The revoke is scoped to the camera in the URL as well as the tenant.
    await expectStatus(revokePublishToken(scope, "00000000-0000-4000-8000-000000000000", issued.id), 404);
    await revokePublishToken(scope, browserCameraId, issued.id);
    expect(await resolvePublishToken(db, issued.token)).toBeNull();
    await expectStatus(revokePublishToken(scope, browserCameraId, issued.id), 404);
    await expectAudited(PUBLISH_TOKEN, issued.id, issued.token, scope.userId);
    const [issueAudit] = await auditRows(PUBLISH_TOKEN.auditActions.issue, issued.id);
    expect(issueAudit.details).toMatchObject({ cameraId: browserCameraId });
  });
});

describe("worker credentials through secrets.server", () => {
  it("issue -> exchange ok (last used set) -> revoke -> exchange refused; audited both ways", async () => {
    const issued = await credentials.issue(scope.tenantId, "edge-1", scope.userId);
    expect(issued.credential.startsWith(WORKER_CREDENTIAL.prefix)).toBe(true);
    expect(credentials.isActive(issued.id)).toBe(true);
    const reply = await credentials.exchange(issued.credential);
    expect(reply).toMatchObject({ credentialId: issued.id, tenantId: scope.tenantId, credentialName: "edge-1" });
    expect(credentials.verify(reply.token).ok).toBe(true);
    const [used] = await db.select().from(workerCredentials).where(eq(workerCredentials.id, issued.id));
    expect(used.lastUsedAt).toBeInstanceOf(Date);
    expect(used.secretHash).toBe(hashSecret(issued.credential));

    await expectStatus(credentials.revoke(otherScope.tenantId, issued.id, otherScope.userId), 404);
    const revoked = await credentials.revoke(scope.tenantId, issued.id, scope.userId);
    expect(revoked.revokedAt).not.toBeNull();
    expect(credentials.isActive(issued.id)).toBe(false);
    expect(credentials.verify(reply.token)).toMatchObject({ ok: false, code: "revoked" });
    await expectStatus(credentials.exchange(issued.credential), 401);
    // Revoking again is idempotent for credentials (the local worker revokes stale ones at every start).
    expect((await credentials.revoke(scope.tenantId, issued.id, scope.userId)).revokedAt).toBe(revoked.revokedAt);
    await expectAudited(WORKER_CREDENTIAL, issued.id, issued.credential, scope.userId);
    await expectStatus(credentials.exchange("argw_not-a-real-credential"), 401);
  });

  it("revokeSecret never crosses tenants, even given a real id", async () => {
    const issued = await credentials.issue(scope.tenantId, "edge-2", null);
    expect(await revokeSecret(db, WORKER_CREDENTIAL, otherScope, issued.id)).toBeNull();
    expect(await verifySecret(db, WORKER_CREDENTIAL, issued.credential)).not.toBeNull();
    expect(await auditRows(WORKER_CREDENTIAL.auditActions.revoke, issued.id)).toHaveLength(0);
  });
});
