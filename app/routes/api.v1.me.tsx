// GET /api/v1/me: who the session belongs to and which tenants it can act in (docs/api.md).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/guards.server";
import { listMemberships } from "~/models/scope.server";
import { api, methodNotAllowed } from "~/utils/api.server";

export const loader = api(async ({ request, context }: LoaderFunctionArgs) => {
  const { user, session } = requireUser(request, context);
  const memberships = await listMemberships(context.services.db, user.id);
  // The same fallback requireTenant uses when the session has no (or a stale) active tenant.
  const active = memberships.find((m) => m.tenantId === session.activeTenantId) ?? memberships[0];
  return Response.json({
    user: { id: user.id, email: user.email, name: user.name, isPlatformAdmin: user.isPlatformAdmin },
    tenants: memberships.map((m) => ({ id: m.tenantId, name: m.tenantName, slug: m.tenantSlug, role: m.role })),
    activeTenantId: active?.tenantId ?? null,
  });
});

export const action = api(async ({ request, context }: ActionFunctionArgs) => {
  requireUser(request, context);
  return methodNotAllowed(["GET"]);
});
