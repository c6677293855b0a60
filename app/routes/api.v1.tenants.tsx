// /api/v1/tenants: platform admins see every tenant and create new ones; everyone else sees the
// tenants they belong to (docs/api.md).
import { platformAdmin, signedIn } from "~/http/api-route-guards.server";
import { defineApiRoute, jsonBody } from "~/http/api-route.server";
import { listMemberships } from "~/models/scope.server";
import { createTenant, listAllTenants, tenantInputSchema } from "~/models/tenants.server";

const route = defineApiRoute(
  { path: "/api/v1/tenants", tag: "Account and tenants", unsupportedGuard: signedIn },
  (op) => ({
    get: op({
      summary: "Tenants: every tenant for platform admins, else the caller's",
      auth: signedIn,
      responses: { 200: "`{tenants: [...]}`" },
      handler: async ({ auth: { user }, context }) => {
        const { db } = context.services;
        if (user.isPlatformAdmin) {
          const tenants = await listAllTenants(db, user);
          return {
            tenants: tenants.map((t) => ({
              id: t.id,
              name: t.name,
              slug: t.slug,
              members: t.members,
              createdAt: t.createdAt.toISOString(),
            })),
          };
        }
        const memberships = await listMemberships(db, user.id);
        return {
          tenants: memberships.map((m) => ({ id: m.tenantId, name: m.tenantName, slug: m.tenantSlug, role: m.role })),
        };
      },
    }),
    post: op({
      summary: "Create a tenant",
      auth: platformAdmin,
      body: jsonBody(tenantInputSchema),
      responses: { 201: "`{tenant}`", 409: "The slug is taken" },
      handler: async ({ auth: { user }, body, context }) => {
        const tenant = await createTenant(context.services.db, user, body);
        return {
          tenant: { id: tenant.id, name: tenant.name, slug: tenant.slug, createdAt: tenant.createdAt.toISOString() },
        };
      },
    }),
  }),
);

export const loader = route.loader;
export const action = route.action;
