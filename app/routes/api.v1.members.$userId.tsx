// /api/v1/members/:userId: change a member's role or remove them; tenant admins only (docs/api.md).
// Either change drops the member's live sockets, so they stop receiving this tenant's events.
import { z } from "zod";
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute, jsonBody, uuidParam } from "~/http/api-route.server";
import { changeMemberRole, removeMember, roleSchema } from "~/models/users.server";

const params = z.object({ userId: uuidParam("userId") });

const route = defineApiRoute(
  { path: "/api/v1/members/{userId}", tag: "Members", params, unsupportedGuard: tenantMember("admin") },
  (op) => ({
    patch: op({
      summary: "Change a member's role",
      auth: tenantMember("admin"),
      body: jsonBody(z.object({ role: roleSchema }).strict()),
      responses: { 200: "`{member: {userId, role}}`", 404: "Not a member of the tenant" },
      handler: async ({ auth: { scope }, params: { userId }, body: { role }, context }) => {
        await changeMemberRole(scope, userId, role);
        context.services.realtime.disconnectUser(userId);
        return { member: { userId, role } };
      },
    }),
    delete: op({
      summary: "Remove a member from the tenant",
      auth: tenantMember("admin"),
      responses: { 204: "Removed", 404: "Not a member of the tenant" },
      handler: async ({ auth: { scope }, params: { userId }, context }) => {
        await removeMember(scope, userId);
        context.services.realtime.disconnectUser(userId);
        return new Response(null, { status: 204 });
      },
    }),
  }),
);

export const loader = route.loader;
export const action = route.action;
