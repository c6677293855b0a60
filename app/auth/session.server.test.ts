// U1: Lucia-guide sessions and argon2id passwords against a real embedded database.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle, type Db } from "../../db/client";
import { sessions, users } from "../../db/schema";
import { changePassword, createUser } from "../models/users.server";
import { hashPassword, verifyPassword } from "./password.server";
import {
  createSession,
  deleteExpiredSessions,
  generateSessionToken,
  hashSessionToken,
  invalidateSession,
  invalidateUserSessions,
  listUserSessions,
  readSessionToken,
  serializeSessionCookie,
  validateSessionToken,
} from "./session.server";

const DAY_MS = 86_400_000;
const TTL_DAYS = 30;
const PASSWORD = "session-test-password";

let dataDir: string;
let handle: DatabaseHandle;
let db: Db;
let userId: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "argus-session-"));
  handle = await openDatabase({ dataDir });
  await handle.migrate();
  db = handle.db;
  userId = (await createUser(db, { email: "sam@argus.test", name: "Sam", password: PASSWORD })).id;
}, 60_000);

afterAll(async () => {
  await handle?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function newSession(ttlDays = TTL_DAYS) {
  const token = generateSessionToken();
  const row = await createSession(db, { token, userId, ttlDays });
  return { token, row };
}

async function setExpiry(id: string, expiresAt: Date) {
  await db.update(sessions).set({ expiresAt }).where(eq(sessions.id, id));
}

describe("U1 sessions", () => {
  it("U1/O3: the sweep deletes expired sessions and keeps live ones", async () => {
    const expired = await newSession();
    const live = await newSession();
    await setExpiry(expired.row.id, new Date(Date.now() - 1000));
    expect(await deleteExpiredSessions(db)).toBeGreaterThanOrEqual(1);
    const ids = (await db.select({ id: sessions.id }).from(sessions)).map((r) => r.id);
    expect(ids).not.toContain(expired.row.id);
    expect(ids).toContain(live.row.id);
  });

  it("U1: tokens are 32 base32 characters (160 random bits) and unique", () => {
    const tokens = new Set(Array.from({ length: 200 }, generateSessionToken));
    expect(tokens.size).toBe(200);
    for (const token of tokens) expect(token).toMatch(/^[a-z2-7]{32}$/);
  });

  it("U1: only the SHA-256 of the token is stored; the raw token appears nowhere in the sessions table", async () => {
    const { token, row } = await newSession();
    expect(row.id).toBe(hashSessionToken(token));
    expect(row.id).toMatch(/^[0-9a-f]{64}$/);
    const dump = await handle.query<{ line: string }>(sql`SELECT s::text AS line FROM sessions s`);
    expect(dump.length).toBeGreaterThan(0);
    for (const { line } of dump) expect(line).not.toContain(token);
  });

  it("U1: validate returns the session's user; unknown and malformed tokens return null", async () => {
    const { token, row } = await newSession();
    const result = await validateSessionToken(db, token, TTL_DAYS);
    expect(result?.user).toMatchObject({ id: userId, email: "sam@argus.test", isPlatformAdmin: false });
    expect(result?.session.id).toBe(row.id);
    expect(result?.refreshed).toBe(false);
    expect(await validateSessionToken(db, generateSessionToken(), TTL_DAYS)).toBeNull();
    expect(await validateSessionToken(db, row.id, TTL_DAYS)).toBeNull(); // the stored hash is not a credential
    expect(await validateSessionToken(db, `${token}'; DROP TABLE sessions; --`, TTL_DAYS)).toBeNull();
  });

  it("U1: an expired session is refused and deleted", async () => {
    const { token, row } = await newSession();
    await setExpiry(row.id, new Date(Date.now() - 1000));
    expect(await validateSessionToken(db, token, TTL_DAYS)).toBeNull();
    expect(await db.select().from(sessions).where(eq(sessions.id, row.id))).toHaveLength(0);
  });

  it("U1: expiry slides forward once past half its life and reports refreshed", async () => {
    const { token, row } = await newSession();
    // Fresh: more than half the TTL left, so no write.
    const fresh = await validateSessionToken(db, token, TTL_DAYS);
    expect(fresh?.refreshed).toBe(false);
    expect(fresh?.session.expiresAt.getTime()).toBe(row.expiresAt.getTime());
    // Less than half left: extended to a full TTL from now, in the row too.
    await setExpiry(row.id, new Date(Date.now() + (TTL_DAYS / 2) * DAY_MS - 60_000));
    const slid = await validateSessionToken(db, token, TTL_DAYS);
    expect(slid?.refreshed).toBe(true);
    expect(Math.abs(slid!.session.expiresAt.getTime() - (Date.now() + TTL_DAYS * DAY_MS))).toBeLessThan(10_000);
    const [stored] = await db.select().from(sessions).where(eq(sessions.id, row.id));
    expect(stored.expiresAt.getTime()).toBe(slid!.session.expiresAt.getTime());
  });

  it("U1: invalidateSession revokes one; invalidateUserSessions revokes all, or all but one", async () => {
    await invalidateUserSessions(db, userId);
    const a = await newSession();
    const b = await newSession();
    const c = await newSession();
    await invalidateSession(db, a.row.id);
    expect(await validateSessionToken(db, a.token, TTL_DAYS)).toBeNull();
    expect(await invalidateUserSessions(db, userId, c.row.id)).toBe(1);
    expect(await validateSessionToken(db, b.token, TTL_DAYS)).toBeNull();
    expect(await validateSessionToken(db, c.token, TTL_DAYS)).not.toBeNull();
    expect(await invalidateUserSessions(db, userId)).toBe(1);
    expect(await listUserSessions(db, userId)).toHaveLength(0);
  });

  it("U1: the cookie holds the token, HttpOnly, SameSite=Lax, Path=/, Secure only when asked", () => {
    const token = generateSessionToken();
    const plain = serializeSessionCookie(token, new Date(Date.now() + DAY_MS), false);
    expect(plain).toMatch(new RegExp(`^argus_session=${token};`));
    expect(plain).toContain("HttpOnly");
    expect(plain).toContain("SameSite=Lax");
    expect(plain).toContain("Path=/");
    expect(plain).not.toContain("Secure");
    expect(serializeSessionCookie(token, new Date(), true)).toContain("; Secure");
    expect(readSessionToken(`a=b; argus_session=${token}; c=d`)).toBe(token);
    expect(readSessionToken("argus_session=")).toBeNull();
    expect(readSessionToken(undefined)).toBeNull();
  });
});

describe("U1 passwords", () => {
  it("U1: hashes are argon2id with m=19456, t=2, p=1 and a per-hash salt", async () => {
    const [row] = await db.select().from(users).where(eq(users.id, userId));
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const again = await hashPassword(PASSWORD);
    expect(again).not.toBe(row.passwordHash);
    expect(await verifyPassword(row.passwordHash, PASSWORD)).toBe(true);
    expect(await verifyPassword(row.passwordHash, `${PASSWORD}x`)).toBe(false);
    expect(await verifyPassword("not-a-hash", PASSWORD)).toBe(false);
  });

  it("U1: changePassword revokes every session and the old password stops verifying", async () => {
    const a = await newSession();
    const b = await newSession();
    await expect(changePassword(db, userId, "wrong-current-password", "brand-new-password-1")).rejects.toMatchObject({
      status: 400,
    });
    expect(await validateSessionToken(db, a.token, TTL_DAYS)).not.toBeNull();

    await changePassword(db, userId, PASSWORD, "brand-new-password-1");
    expect(await validateSessionToken(db, a.token, TTL_DAYS)).toBeNull();
    expect(await validateSessionToken(db, b.token, TTL_DAYS)).toBeNull();
    expect(await listUserSessions(db, userId)).toHaveLength(0);
    const [row] = await db.select().from(users).where(eq(users.id, userId));
    expect(await verifyPassword(row.passwordHash, PASSWORD)).toBe(false);
    expect(await verifyPassword(row.passwordHash, "brand-new-password-1")).toBe(true);
    expect(row.passwordHash.startsWith("$argon2id$")).toBe(true);
  });

  it("U1: changePassword rejects a too-short new password and keeps the old one", async () => {
    await expect(changePassword(db, userId, "brand-new-password-1", "short")).rejects.toThrow();
    const [row] = await db.select().from(users).where(eq(users.id, userId));
    expect(await verifyPassword(row.passwordHash, "brand-new-password-1")).toBe(true);
  });
});
