// Tenants (SPEC U2). Creating tenants is for platform admins; the creator becomes the tenant's admin.
import { count, eq } from "drizzle-orm";
import { z } from "zod";
import { safeText } from "../../protocol/strings";
import type { Db } from "../../db/client";
import { memberships, sites, tenants } from "../../db/schema";
import { conflict, forbidden } from "../utils/errors.server";
import { recordAudit } from "./audit.server";

export const tenantInputSchema = z.object({
  name: safeText().trim().min(1, "Name is required").max(100),
  slug: safeText()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/, "Use 1-50 lowercase letters, digits and dashes")
    .optional(),
});

export function slugify(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 50) || "tenant"
  );
}

export async function createTenant(
  db: Db,
  actor: { id: string; isPlatformAdmin: boolean },
  input: z.input<typeof tenantInputSchema>,
  options: { defaultSiteName?: string } = {},
) {
  if (!actor.isPlatformAdmin) throw forbidden("Only platform admins create tenants");
  const values = tenantInputSchema.parse(input);
  const slug = values.slug ?? slugify(values.name);
  const [tenant] = await db.insert(tenants).values({ name: values.name, slug }).onConflictDoNothing().returning();
  if (!tenant) throw conflict(`A tenant with slug "${slug}" already exists`);
  await db.insert(memberships).values({ userId: actor.id, tenantId: tenant.id, role: "admin" });
  await db.insert(sites).values({ tenantId: tenant.id, name: options.defaultSiteName ?? "Main site" });
  await recordAudit(db, {
    tenantId: tenant.id,
    userId: actor.id,
    action: "tenant.create",
    details: { name: tenant.name },
  });
  return tenant;
}

export async function listAllTenants(db: Db, actor: { isPlatformAdmin: boolean }) {
  if (!actor.isPlatformAdmin) throw forbidden("Only platform admins list all tenants");
  return db
    .select({
      id: tenants.id,
      name: tenants.name,
      slug: tenants.slug,
      createdAt: tenants.createdAt,
      members: count(memberships.userId),
    })
    .from(tenants)
    .leftJoin(memberships, eq(memberships.tenantId, tenants.id))
    .groupBy(tenants.id)
    .orderBy(tenants.name);
}
