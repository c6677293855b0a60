// Worker credentials (SPEC W8): issue (shown once), list, revoke, and exchange for a signed token.
// Revocation state is mirrored in memory so the socket layer checks it on every event without I/O.
import { randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import { serverSecrets, workerCredentials } from "../../db/schema";
import type { WorkerTokenReply } from "../../protocol";
import { HttpError, notFound } from "../utils/errors.server";
import { findSecret, issueSecret, revokeSecret, touchSecret, WORKER_CREDENTIAL } from "../auth/secrets.server";
import { TokenSigner, type WorkerTokenClaims } from "./tokens.server";
import type { CredentialView } from "./views";

const SIGNING_KEY_NAME = "worker-token-hs256";

export class CredentialService {
  /** Credential id -> tenant id, for every credential that is not revoked. */
  private readonly active = new Map<string, string>();
  /** Active credentials whose workers serve every tenant (issued by a platform admin, or the local worker's). */
  private readonly shared = new Set<string>();

  private constructor(
    private readonly db: Db,
    private readonly signer: TokenSigner,
    private readonly ttlSeconds: (tenantId: string) => number,
  ) {}

  static async create(db: Db, ttlSeconds: (tenantId: string) => number): Promise<CredentialService> {
    await db
      .insert(serverSecrets)
      .values({ name: SIGNING_KEY_NAME, value: randomBytes(32).toString("base64") })
      .onConflictDoNothing();
    const [key] = await db.select().from(serverSecrets).where(eq(serverSecrets.name, SIGNING_KEY_NAME));
    const service = new CredentialService(db, new TokenSigner(Buffer.from(key.value, "base64")), ttlSeconds);
    const rows = await db
      .select({ id: workerCredentials.id, tenantId: workerCredentials.tenantId, shared: workerCredentials.shared })
      .from(workerCredentials)
      .where(isNull(workerCredentials.revokedAt));
    for (const row of rows) {
      service.active.set(row.id, row.tenantId);
      if (row.shared) service.shared.add(row.id);
    }
    return service;
  }

  async issue(
    tenantId: string,
    name: string,
    createdBy: string | null,
    options: { shared?: boolean } = {},
  ): Promise<CredentialView & { credential: string }> {
    const shared = options.shared ?? false;
    const { row, secret } = await issueSecret(
      this.db,
      WORKER_CREDENTIAL,
      { tenantId, userId: createdBy },
      { name, shared },
      shared ? { shared } : {},
    );
    this.active.set(row.id, tenantId);
    if (shared) this.shared.add(row.id);
    return { ...toView(row), credential: secret };
  }

  async list(tenantId: string): Promise<CredentialView[]> {
    const rows = await this.db
      .select()
      .from(workerCredentials)
      .where(eq(workerCredentials.tenantId, tenantId))
      .orderBy(desc(workerCredentials.createdAt));
    return rows.map(toView);
  }

  /** Idempotent: revoking a revoked credential returns it unchanged (404 only for unknown ids). */
  async revoke(tenantId: string, id: string, revokedBy: string | null = null): Promise<CredentialView> {
    const row = await revokeSecret(this.db, WORKER_CREDENTIAL, { tenantId, userId: revokedBy }, id);
    if (!row) {
      const [existing] = await this.db
        .select()
        .from(workerCredentials)
        .where(and(eq(workerCredentials.tenantId, tenantId), eq(workerCredentials.id, id)));
      if (!existing) throw notFound("Credential not found");
      return toView(existing);
    }
    this.active.delete(id);
    this.shared.delete(id);
    return toView(row);
  }

  /** POST /api/v1/workers/token: a valid credential buys a short-lived token (401 otherwise). */
  async exchange(secret: string): Promise<WorkerTokenReply> {
    const row = await findSecret(this.db, WORKER_CREDENTIAL, secret);
    if (!row) throw new HttpError(401, "Unknown worker credential");
    if (row.revokedAt)
      throw new HttpError(401, `Worker credential "${row.name}" was revoked at ${row.revokedAt.toISOString()}`);
    await touchSecret(this.db, WORKER_CREDENTIAL, row.id);
    return { ...this.signFor(row.id, row.tenantId), credentialName: row.name };
  }

  signFor(credentialId: string, tenantId: string): Omit<WorkerTokenReply, "credentialName"> {
    const { token, expiresAt } = this.signer.sign({ cid: credentialId, tid: tenantId }, this.ttlSeconds(tenantId));
    return { token, expiresAt: expiresAt.toISOString(), tenantId, credentialId };
  }

  /** Signature, expiry and revocation: called on the handshake and before every event. */
  verify(
    token: unknown,
    now = Date.now(),
  ):
    | { ok: true; claims: WorkerTokenClaims }
    | { ok: false; code: "unauthorized" | "token_expired" | "revoked"; message: string } {
    const result = this.signer.verify(token, now);
    if (!result.ok) {
      return result.reason === "expired"
        ? { ok: false, code: "token_expired", message: "Worker token expired: exchange the credential again" }
        : { ok: false, code: "unauthorized", message: `Invalid worker token (${result.reason})` };
    }
    if (!this.isActive(result.claims.cid))
      return { ok: false, code: "revoked", message: "Worker credential was revoked" };
    return result;
  }

  isActive(credentialId: string): boolean {
    return this.active.has(credentialId);
  }

  isShared(credentialId: string): boolean {
    return this.shared.has(credentialId);
  }
}

function toView(row: typeof workerCredentials.$inferSelect): CredentialView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    shared: row.shared,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
