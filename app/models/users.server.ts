// Users and memberships (SPEC U1, U2). Tenant admins manage members of their own tenant through a
// scope; platform admins manage tenants themselves (tenants.server.ts).
import { and, count, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { safeText } from "../../protocol/strings";
import type { Db } from "../../db/client";
import { memberships, roleEnum, users, type Role } from "../../db/schema";
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, verifyPassword } from "../auth/password.server";
import { invalidateUserSessions } from "../auth/session.server";
import { badRequest, conflict, notFound } from "../utils/errors.server";
import { recordAudit } from "./audit.server";
import { assertRole, type TenantScope } from "./scope.server";

export const emailSchema = safeText().trim().toLowerCase().email("Enter a valid email address").max(254);
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Password must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `Password must be at most ${PASSWORD_MAX_LENGTH} characters`);
export const roleSchema = z.enum(roleEnum.enumValues);

export const newMemberSchema = z.object({
  email: emailSchema,
  name: safeText().trim().min(1, "Name is required").max(100),
  password: passwordSchema,
  role: roleSchema,
});

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row.n;
}

export async function findUserByEmail(db: Db, email: string) {
  const [user] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`);
  return user ?? null;
}

export async function createUser(
  db: Db,
  input: { email: string; name: string; password: string; isPlatformAdmin?: boolean },
): Promise<typeof users.$inferSelect> {
  const email = emailSchema.parse(input.email);
  const [user] = await db
    .insert(users)
    .values({
      email,
      name: input.name,
      passwordHash: await hashPassword(input.password),
      isPlatformAdmin: input.isPlatformAdmin ?? false,
    })
    .onConflictDoNothing()
    .returning();
  if (!user) throw conflict(`A user with email ${email} already exists`);
  return user;
}

export function listMembers(scope: TenantScope): Promise<Member[]> {
  return scope.db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: memberships.role,
      createdAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(memberships.userId, users.id))
    .where(eq(memberships.tenantId, scope.tenantId))
    .orderBy(users.email);
}

/**
 * Adds a member to the scope's tenant. A new email creates the user with the given password;
 * an existing user is added without touching their password (it is theirs, not this tenant's).
 */
export async function addMember(
  scope: TenantScope,
  input: z.input<typeof newMemberSchema>,
): Promise<{ member: Member; created: boolean }> {
  assertRole(scope, "admin");
  const existing = await findUserByEmail(scope.db, input.email);
  const parsed = existing ? newMemberSchema.omit({ password: true }).parse(input) : newMemberSchema.parse(input);
  const user =
    existing ?? (await createUser(scope.db, { email: parsed.email, name: parsed.name, password: input.password }));
  const inserted = await scope.db
    .insert(memberships)
    .values({ userId: user.id, tenantId: scope.tenantId, role: parsed.role })
    .onConflictDoNothing()
    .returning();
  if (inserted.length === 0) throw conflict(`${user.email} is already a member of this tenant`);
  await recordAudit(scope.db, {
    tenantId: scope.tenantId,
    userId: scope.userId,
    action: "member.add",
    details: { memberId: user.id, role: parsed.role },
  });
  return {
    member: {
      userId: user.id,
      email: user.email,
      name: user.name,
      role: parsed.role,
      createdAt: inserted[0].createdAt,
    },
    created: !existing,
  };
}

export async function changeMemberRole(scope: TenantScope, userId: string, role: Role): Promise<void> {
  assertRole(scope, "admin");
  roleSchema.parse(role);
  if (userId === scope.userId && role !== "admin") await assertAnotherAdmin(scope);
  const updated = await scope.db
    .update(memberships)
    .set({ role })
    .where(and(eq(memberships.tenantId, scope.tenantId), eq(memberships.userId, userId)))
    .returning();
  if (updated.length === 0) throw notFound("Member not found");
  await recordAudit(scope.db, {
    tenantId: scope.tenantId,
    userId: scope.userId,
    action: "member.role",
    details: { memberId: userId, role },
  });
}

export async function removeMember(scope: TenantScope, userId: string): Promise<void> {
  assertRole(scope, "admin");
  if (userId === scope.userId) await assertAnotherAdmin(scope);
  const deleted = await scope.db
    .delete(memberships)
    .where(and(eq(memberships.tenantId, scope.tenantId), eq(memberships.userId, userId)))
    .returning();
  if (deleted.length === 0) throw notFound("Member not found");
  await recordAudit(scope.db, {
    tenantId: scope.tenantId,
    userId: scope.userId,
    action: "member.remove",
    details: { memberId: userId },
  });
}

async function assertAnotherAdmin(scope: TenantScope): Promise<void> {
  const [row] = await scope.db
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.tenantId, scope.tenantId), eq(memberships.role, "admin")));
  if (row.n <= 1) throw badRequest("A tenant needs at least one admin; promote someone else first");
}

/** Verifies the current password, stores the new hash and revokes every session of the user (U1). */
export async function changePassword(
  db: Db,
  userId: string,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw notFound("User not found");
  if (!(await verifyPassword(user.passwordHash, currentPassword))) throw badRequest("Current password is wrong");
  const password = passwordSchema.parse(newPassword);
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(password), passwordChangedAt: new Date() })
    .where(eq(users.id, userId));
  await invalidateUserSessions(db, userId);
  await recordAudit(db, { userId, action: "user.password" });
}
