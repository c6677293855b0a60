// /api/v1/members: list and add members of the request's tenant; tenant admins only (docs/api.md).
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute, jsonBody } from "~/http/api-route.server";
import { addMember, listMembers, newMemberSchema, type Member } from "~/models/users.server";

// The password is only required for new accounts; addMember knows which case it is and validates.
const addSchema = newMemberSchema.extend({ password: newMemberSchema.shape.password.optional() });

const route = defineApiRoute(
  { path: "/api/v1/members", tag: "Members", unsupportedGuard: tenantMember("admin") },
  (op) => ({
    get: op({
      summary: "List the tenant's members",
      auth: tenantMember("admin"),
      responses: { 200: "`{members: [...]}`" },
      handler: async ({ auth: { scope } }) => ({ members: (await listMembers(scope)).map(serializeMember) }),
    }),
    post: op({
      summary: "Add a member (creating the account when the email is new; then `password` is required)",
      auth: tenantMember("admin"),
      body: jsonBody(addSchema),
      responses: { 201: "`{member, created}`", 409: "Already a member" },
      handler: async ({ auth: { scope }, body }) => {
        const { member, created } = await addMember(scope, { ...body, password: body.password ?? "" });
        return { member: serializeMember(member), created };
      },
    }),
  }),
);

export const loader = route.loader;
export const action = route.action;

function serializeMember(member: Member) {
  return {
    userId: member.userId,
    email: member.email,
    name: member.name,
    role: member.role,
    createdAt: member.createdAt.toISOString(),
  };
}
