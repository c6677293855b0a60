// /api/v1/members: list and add members of the request's tenant; tenant admins only (docs/api.md).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { addMember, listMembers, newMemberSchema, type Member } from "~/models/users.server";
import { api, methodNotAllowed, readJson } from "~/utils/api.server";

// The password is only required for new accounts; addMember knows which case it is and validates.
const addSchema = newMemberSchema.extend({ password: newMemberSchema.shape.password.optional() });

export const loader = api(async ({ request, context }: LoaderFunctionArgs) => {
  const { scope } = await requireTenant(request, context, "admin");
  const members = await listMembers(scope);
  return Response.json({ members: members.map(serializeMember) });
});

export const action = api(async ({ request, context }: ActionFunctionArgs) => {
  const { scope } = await requireTenant(request, context, "admin");
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const body = await readJson(request, addSchema);
  const { member, created } = await addMember(scope, { ...body, password: body.password ?? "" });
  return Response.json({ member: serializeMember(member), created }, { status: 201 });
});

function serializeMember(member: Member) {
  return {
    userId: member.userId,
    email: member.email,
    name: member.name,
    role: member.role,
    createdAt: member.createdAt.toISOString(),
  };
}
