// GET /api/v1/me: who the session belongs to and which tenants it can act in (docs/api.md).
import { signedIn } from "~/http/api-route-guards.server";
import { defineApiRoute } from "~/http/api-route.server";
import { listMemberships } from "~/models/scope.server";

const route = defineApiRoute({ path: "/api/v1/me", tag: "Account and tenants", unsupportedGuard: signedIn }, (op) => ({
  get: op({
    summary: "The signed-in user and the tenants they can act in",
    auth: signedIn,
    responses: { 200: "`{user, tenants, activeTenantId}`" },
    handler: async ({ auth: { user, session }, context }) => {
      const memberships = await listMemberships(context.services.db, user.id);
      // The same fallback requireTenant uses when the session has no (or a stale) active tenant.
      const active = memberships.find((m) => m.tenantId === session.activeTenantId) ?? memberships[0];
      return {
        user: { id: user.id, email: user.email, name: user.name, isPlatformAdmin: user.isPlatformAdmin },
        tenants: memberships.map((m) => ({ id: m.tenantId, name: m.tenantName, slug: m.tenantSlug, role: m.role })),
        activeTenantId: active?.tenantId ?? null,
      };
    },
  }),
}));

export const loader = route.loader;
export const action = route.action;
