// One way to issue a secret (issue 12 §3): worker credentials (W8), tenant API keys (P1) and kiosk publish
// tokens (C2) are all random strings with a readable kind prefix, shown once, stored only as a SHA-256 hash
// (they are high-entropy, so a slow hash buys nothing and a leaked table cannot be replayed), revocable,
// touched on use, and audited on issue and revoke. The audit entry names the row and its display prefix,
// never the secret. Each kind keeps its own table and wire format; this module is the only code that
// generates, hashes, looks up, revokes or audits them.
import { createHash, randomBytes } from "node:crypto";
import { and, eq, getTableColumns, isNull, lt, or, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Db } from "../../db/client";
import { apiKeys, cameraPublishTokens, workerCredentials } from "../../db/schema";
import { recordAudit } from "../models/audit.server";

/** The three tables share id, tenant_id, prefix, created_by, created_at, last_used_at and revoked_at. */
type SecretTable = typeof workerCredentials | typeof apiKeys | typeof cameraPublishTokens;
type HashKey = "secretHash" | "keyHash" | "tokenHash";

export interface SecretKind<T extends SecretTable = SecretTable> {
  /** What people call it, for messages. */
  readonly label: string;
  /** Starts every secret of this kind, so a leaked string says what it is (and scanners can find it). */
  readonly prefix: string;
  readonly randomBytes: number;
  readonly table: T;
  /** The property of `table` holding the SHA-256 hex of the secret (named differently per table). */
  readonly hashKey: HashKey;
  readonly auditActions: { readonly issue: string; readonly revoke: string };
}

// Audit action names predate this module for API keys and publish tokens; they stay as the activity
// feed and any external reader already know them.
export const WORKER_CREDENTIAL: SecretKind<typeof workerCredentials> = {
  label: "worker credential",
  prefix: "argw_",
  randomBytes: 32,
  table: workerCredentials,
  hashKey: "secretHash",
  auditActions: { issue: "worker.credential.issue", revoke: "worker.credential.revoke" },
};

export const API_KEY: SecretKind<typeof apiKeys> = {
  label: "API key",
  prefix: "argus_pk_",
  randomBytes: 24,
  table: apiKeys,
  hashKey: "keyHash",
  auditActions: { issue: "api_key.create", revoke: "api_key.revoke" },
};

export const PUBLISH_TOKEN: SecretKind<typeof cameraPublishTokens> = {
  label: "publish token",
  prefix: "apt_",
  randomBytes: 24,
  table: cameraPublishTokens,
  hashKey: "tokenHash",
  auditActions: { issue: "camera.publish_token.issue", revoke: "camera.publish_token.revoke" },
};

export const SECRET_KINDS = [WORKER_CREDENTIAL, API_KEY, PUBLISH_TOKEN] as const;

/** Longest string we hash when looking a secret up: anything longer is not ours (and not worth hashing). */
const MAX_SECRET_LENGTH = 200;
/** last_used_at is for people ("used 3 minutes ago"): one write a minute per secret is enough. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export interface GeneratedSecret {
  secret: string;
  hash: string;
  /** The kind prefix and 6 more characters: shown in lists so people can tell secrets apart. */
  displayPrefix: string;
}

export function generateSecret(kind: SecretKind): GeneratedSecret {
  const secret = kind.prefix + randomBytes(kind.randomBytes).toString("base64url");
  return { secret, hash: hashSecret(secret), displayPrefix: secret.slice(0, kind.prefix.length + 6) };
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** Cheap check before any I/O: wrong prefix or absurd length cannot be a secret of this kind. */
export function looksLikeSecret(kind: SecretKind, candidate: unknown): candidate is string {
  return typeof candidate === "string" && candidate.startsWith(kind.prefix) && candidate.length <= MAX_SECRET_LENGTH;
}

export interface Actor {
  tenantId: string;
  /** The signed-in user, or null when Argus itself acts (the local worker's credential). */
  userId: string | null;
  ip?: string | null;
}

type Row<T extends SecretTable> = T["$inferSelect"];
/** The kind's own columns (name, camera_id, ...); the shared ones are filled in here. */
type ExtraValues<T extends SecretTable> = Omit<
  T["$inferInsert"],
  "id" | "tenantId" | "prefix" | "createdBy" | "createdAt" | "lastUsedAt" | "revokedAt" | HashKey
>;

/** Stores the hash of a new secret and audits it; the returned secret must be shown once and dropped. */
export async function issueSecret<T extends SecretTable>(
  db: Db,
  kind: SecretKind<T>,
  actor: Actor,
  values: ExtraValues<T>,
  auditDetails: Record<string, unknown> = {},
): Promise<{ row: Row<T>; secret: string }> {
  const generated = generateSecret(kind);
  // The union of three table types defeats drizzle's insert typing; ExtraValues<T> above keeps callers typed.
  const [row] = (await db
    .insert(kind.table as SecretTable)
    .values({
      ...values,
      tenantId: actor.tenantId,
      prefix: generated.displayPrefix,
      createdBy: actor.userId,
      [kind.hashKey]: generated.hash,
    } as never)
    .returning()) as Row<T>[];
  await audit(db, kind, "issue", actor, row, auditDetails);
  return { row, secret: generated.secret };
}

/** The row a secret belongs to, revoked or not (callers that explain revocation need it), or null. */
export async function findSecret<T extends SecretTable>(
  db: Db,
  kind: SecretKind<T>,
  candidate: unknown,
): Promise<Row<T> | null> {
  if (!looksLikeSecret(kind, candidate)) return null;
  const table = kind.table as SecretTable;
  const [row] = await db
    .select()
    .from(table)
    .where(eq(hashColumn(kind), hashSecret(candidate)));
  return (row as Row<T> | undefined) ?? null;
}

/** The live (not revoked) row for a presented secret, with last_used_at touched; null otherwise. */
export async function verifySecret<T extends SecretTable>(
  db: Db,
  kind: SecretKind<T>,
  candidate: unknown,
  now = new Date(),
): Promise<Row<T> | null> {
  const row = await findSecret(db, kind, candidate);
  if (!row || row.revokedAt) return null;
  await touchSecret(db, kind, row.id, now);
  return row;
}

/** Records a use: at most one write per LAST_USED_RESOLUTION_MS per secret. */
export async function touchSecret(db: Db, kind: SecretKind, id: string, now = new Date()): Promise<void> {
  const table = kind.table as SecretTable;
  await db
    .update(table)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(table.id, id),
        or(isNull(table.lastUsedAt), lt(table.lastUsedAt, new Date(now.getTime() - LAST_USED_RESOLUTION_MS))),
      ),
    );
}

/**
 * Revokes one live secret of the actor's tenant and audits it. Returns the revoked row, or null when no live
 * secret matched (unknown, another tenant's, already revoked, or `scope` excluded it); callers decide whether
 * that is a 404 or an idempotent success.
 */
export async function revokeSecret<T extends SecretTable>(
  db: Db,
  kind: SecretKind<T>,
  actor: Actor,
  id: string,
  options: { scope?: SQL; auditDetails?: Record<string, unknown> } = {},
): Promise<Row<T> | null> {
  const table = kind.table as SecretTable;
  const [row] = (await db
    .update(table)
    .set({ revokedAt: new Date() })
    .where(and(eq(table.tenantId, actor.tenantId), eq(table.id, id), isNull(table.revokedAt), options.scope))
    .returning()) as Row<T>[];
  if (!row) return null;
  await audit(db, kind, "revoke", actor, row, options.auditDetails ?? {});
  return row;
}

async function audit(
  db: Db,
  kind: SecretKind,
  event: "issue" | "revoke",
  actor: Actor,
  row: Row<SecretTable>,
  details: Record<string, unknown>,
): Promise<void> {
  await recordAudit(db, {
    tenantId: actor.tenantId,
    userId: actor.userId,
    ip: actor.ip ?? null,
    action: kind.auditActions[event],
    // Never the secret or its hash: the row id, display prefix and what the secret is for identify it.
    details: { ...details, ...pickOwner(row), secretId: row.id, prefix: row.prefix },
  });
}

/** The kind's own identifying columns (a credential's or key's name, a token's camera), when it has them. */
function pickOwner(row: Row<SecretTable>): Record<string, string> {
  const owner: Record<string, string> = {};
  if ("name" in row) owner.name = row.name;
  if ("cameraId" in row) owner.cameraId = row.cameraId;
  return owner;
}

function hashColumn(kind: SecretKind): AnyPgColumn {
  const column = (getTableColumns(kind.table) as Record<string, AnyPgColumn | undefined>)[kind.hashKey];
  if (!column) throw new Error(`${kind.label}: ${kind.hashKey} is not a column of its table`);
  return column;
}
