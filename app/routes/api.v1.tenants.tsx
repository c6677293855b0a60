// /api/v1/tenants: platform admins see every tenant and create new ones; everyone else sees the
// tenants they belong to (docs/api.md).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requirePlatformAdmin, requireUser } from "~/auth/guards.server";
import { listMemberships } from "~/models/scope.server";
import { createTenant, listAllTenants, tenantInputSchema } from "~/models/tenants.server";
import { api, methodNotAllowed, readJson } from "~/utils/api.server";

export const loader = api(async ({ request, context }: LoaderFunctionArgs) => {
  const { user } = requireUser(request, context);
  const { db } = context.services;
  if (user.isPlatformAdmin) {
    const tenants = await listAllTenants(db, user);
    return Response.json({
      tenants: tenants.map((t) => ({
        id: t.id,
        name: t.name,
        slug: t.slug,
        members: t.members,
        createdAt: t.createdAt.toISOString(),
      })),
    });
  }
  const memberships = await listMemberships(db, user.id);
  return Response.json({
    tenants: memberships.map((m) => ({ id: m.tenantId, name: m.tenantName, slug: m.tenantSlug, role: m.role })),
  });
});

export const action = api(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") {
    requireUser(request, context);
    return methodNotAllowed(["GET", "POST"]);
  }
  const { user } = requirePlatformAdmin(request, context);
  const tenant = await createTenant(context.services.db, user, await readJson(request, tenantInputSchema));
  return Response.json(
    { tenant: { id: tenant.id, name: tenant.name, slug: tenant.slug, createdAt: tenant.createdAt.toISOString() } },
    { status: 201 },
  );
});
