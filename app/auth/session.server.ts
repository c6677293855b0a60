// Sessions per the Lucia guide (docs/decisions/0002-sessions-lucia-guide.md, SPEC U1):
// the cookie holds a random token; the database holds only its SHA-256, so a leaked table
// cannot be replayed. Expiry slides forward on use; rows can be revoked one by one or per user.
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { and, eq, lt, ne } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sessions, users } from "../../db/schema";

const DAY_MS = 24 * 60 * 60 * 1000;

export type SessionRow = typeof sessions.$inferSelect;
export type SessionUser = Pick<typeof users.$inferSelect, "id" | "email" | "name" | "isPlatformAdmin">;
export interface ValidatedSession {
  session: SessionRow;
  user: SessionUser;
  /** True when the expiry moved and the cookie should be re-sent. */
  refreshed: boolean;
}

export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function hashSessionToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(
  db: Db,
  input: {
    token: string;
    userId: string;
    ttlDays: number;
    activeTenantId?: string | null;
    ip?: string;
    userAgent?: string;
  },
): Promise<SessionRow> {
  const [row] = await db
    .insert(sessions)
    .values({
      id: hashSessionToken(input.token),
      userId: input.userId,
      activeTenantId: input.activeTenantId ?? null,
      expiresAt: new Date(Date.now() + input.ttlDays * DAY_MS),
      ip: input.ip?.slice(0, 100),
      userAgent: input.userAgent?.slice(0, 300),
    })
    .returning();
  return row;
}

/** Looks the token up; deletes it when expired; slides expiry when past half its life. */
export async function validateSessionToken(db: Db, token: string, ttlDays: number): Promise<ValidatedSession | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const id = hashSessionToken(token);
  const [row] = await db
    .select({
      session: sessions,
      user: { id: users.id, email: users.email, name: users.name, isPlatformAdmin: users.isPlatformAdmin },
    })
    .from(sessions)
    .innerJoin(users, eq(sessions.userId, users.id))
    .where(eq(sessions.id, id));
  if (!row) return null;
  const now = Date.now();
  if (now >= row.session.expiresAt.getTime()) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  let refreshed = false;
  if (now >= row.session.expiresAt.getTime() - (ttlDays * DAY_MS) / 2) {
    row.session.expiresAt = new Date(now + ttlDays * DAY_MS);
    await db.update(sessions).set({ expiresAt: row.session.expiresAt }).where(eq(sessions.id, id));
    refreshed = true;
  }
  return { session: row.session, user: row.user, refreshed };
}

export async function setActiveTenant(db: Db, sessionId: string, tenantId: string): Promise<void> {
  await db.update(sessions).set({ activeTenantId: tenantId }).where(eq(sessions.id, sessionId));
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Revokes every session of a user, optionally keeping one (the caller's own). */
export async function invalidateUserSessions(db: Db, userId: string, exceptSessionId?: string): Promise<number> {
  const where = exceptSessionId
    ? and(eq(sessions.userId, userId), ne(sessions.id, exceptSessionId))
    : eq(sessions.userId, userId);
  const deleted = await db.delete(sessions).where(where).returning({ id: sessions.id });
  return deleted.length;
}

export async function listUserSessions(db: Db, userId: string): Promise<SessionRow[]> {
  return db.select().from(sessions).where(eq(sessions.userId, userId)).orderBy(sessions.createdAt);
}

export async function deleteExpiredSessions(db: Db): Promise<number> {
  const deleted = await db.delete(sessions).where(lt(sessions.expiresAt, new Date())).returning({ id: sessions.id });
  return deleted.length;
}

export const SESSION_COOKIE = "argus_session";

export function serializeSessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  const parts = [
    `${SESSION_COOKIE}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Expires=${expiresAt.toUTCString()}`,
  ];
  if (secure) parts.push("Secure");
  return parts.join("; ");
}

export function serializeBlankSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? "; Secure" : ""}`;
}

export function readSessionToken(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === SESSION_COOKIE) return rest.join("=") || null;
  }
  return null;
}
