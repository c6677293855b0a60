// Tenant scoping lives in the data-access layer (SPEC U2): every tenant-owned query takes a
// TenantScope, and a scope can only be built from a real membership row.
import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { memberships, tenants, type Role } from "../../db/schema";
import { forbidden } from "../utils/errors.server";

export interface TenantScope {
  readonly db: Db;
  readonly tenantId: string;
  readonly userId: string;
  readonly role: Role;
}

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function hasRole(role: Role, minimum: Role): boolean {
  return rank[role] >= rank[minimum];
}

export function assertRole(scope: TenantScope, minimum: Role): void {
  if (!hasRole(scope.role, minimum)) throw forbidden(`This needs the ${minimum} role in this tenant`);
}

export interface MembershipSummary {
  tenantId: string;
  tenantName: string;
  tenantSlug: string;
  role: Role;
}

export async function listMemberships(db: Db, userId: string): Promise<MembershipSummary[]> {
  return db
    .select({ tenantId: tenants.id, tenantName: tenants.name, tenantSlug: tenants.slug, role: memberships.role })
    .from(memberships)
    .innerJoin(tenants, eq(memberships.tenantId, tenants.id))
    .where(eq(memberships.userId, userId))
    .orderBy(tenants.name);
}

/** Builds a scope for `tenantId`, or throws 403 when the user is not a member of it. */
export async function scopeFor(db: Db, userId: string, tenantId: string): Promise<TenantScope> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.tenantId, tenantId)));
  if (!row) throw forbidden("You are not a member of this tenant");
  return { db, tenantId, userId, role: row.role };
}
