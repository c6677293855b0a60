// Sites: the first tenant-owned rows (SPEC U2). Every query filters by scope.tenantId.
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { safeText } from "../../protocol/strings";
import { sites } from "../../db/schema";
import { isUniqueViolation } from "../utils/db-errors.server";
import { conflict, notFound } from "../utils/errors.server";
import { recordAudit } from "./audit.server";
import { assertRole, type TenantScope } from "./scope.server";

export type Site = typeof sites.$inferSelect;

export const siteInputSchema = z.object({
  name: safeText().trim().min(1, "Name is required").max(100),
  timezone: safeText()
    .trim()
    .max(64)
    .default("UTC")
    .refine((tz) => isValidTimeZone(tz), "Unknown IANA time zone"),
});
export type SiteInput = z.input<typeof siteInputSchema>;

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function listSites(scope: TenantScope): Promise<Site[]> {
  return scope.db.select().from(sites).where(eq(sites.tenantId, scope.tenantId)).orderBy(sites.name);
}

export async function getSite(scope: TenantScope, siteId: string): Promise<Site> {
  const [site] = await scope.db
    .select()
    .from(sites)
    .where(and(eq(sites.tenantId, scope.tenantId), eq(sites.id, siteId)));
  if (!site) throw notFound("Site not found");
  return site;
}

export async function createSite(scope: TenantScope, input: SiteInput): Promise<Site> {
  assertRole(scope, "operator");
  const values = siteInputSchema.parse(input);
  const [site] = await scope.db
    .insert(sites)
    .values({ ...values, tenantId: scope.tenantId })
    .onConflictDoNothing()
    .returning();
  if (!site) throw conflict(`A site named "${values.name}" already exists`);
  await recordAudit(scope.db, {
    tenantId: scope.tenantId,
    userId: scope.userId,
    action: "site.create",
    details: { siteId: site.id, name: site.name },
  });
  return site;
}

export async function updateSite(scope: TenantScope, siteId: string, input: SiteInput): Promise<Site> {
  assertRole(scope, "operator");
  const values = siteInputSchema.parse(input);
  const [site] = await scope.db
    .update(sites)
    .set(values)
    .where(and(eq(sites.tenantId, scope.tenantId), eq(sites.id, siteId)))
    .returning()
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) throw conflict(`A site named "${values.name}" already exists`);
      throw error;
    });
  if (!site) throw notFound("Site not found");
  return site;
}

export async function deleteSite(scope: TenantScope, siteId: string): Promise<void> {
  assertRole(scope, "admin");
  const deleted = await scope.db
    .delete(sites)
    .where(and(eq(sites.tenantId, scope.tenantId), eq(sites.id, siteId)))
    .returning({ id: sites.id, name: sites.name });
  if (deleted.length === 0) throw notFound("Site not found");
  await recordAudit(scope.db, {
    tenantId: scope.tenantId,
    userId: scope.userId,
    action: "site.delete",
    details: { siteId, name: deleted[0].name },
  });
}

/** The JSON shape of a site in /api/v1 (docs/api.md). */
export function serializeSite(site: Site) {
  return {
    id: site.id,
    tenantId: site.tenantId,
    name: site.name,
    timezone: site.timezone,
    createdAt: site.createdAt.toISOString(),
  };
}
