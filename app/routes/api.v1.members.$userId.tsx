// /api/v1/members/:userId: change a member's role or remove them; tenant admins only (docs/api.md).
// Either change drops the member's live sockets, so they stop receiving this tenant's events.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireTenant } from "~/auth/guards.server";
import { changeMemberRole, removeMember, roleSchema } from "~/models/users.server";
import { api, methodNotAllowed, readJson } from "~/utils/api.server";
import { badRequest } from "~/utils/errors.server";

const patchSchema = z.object({ role: roleSchema }).strict();

function parseUserId(value: string | undefined): string {
  const parsed = z.uuid().safeParse(value);
  if (!parsed.success) throw badRequest("userId must be a UUID");
  return parsed.data;
}

export const loader = api(async ({ request, context }: LoaderFunctionArgs) => {
  await requireTenant(request, context, "admin");
  return methodNotAllowed(["PATCH", "DELETE"]);
});

export const action = api(async ({ request, context, params }: ActionFunctionArgs) => {
  const { scope } = await requireTenant(request, context, "admin");
  const { realtime } = context.services;
  switch (request.method) {
    case "PATCH": {
      const userId = parseUserId(params.userId);
      const { role } = await readJson(request, patchSchema);
      await changeMemberRole(scope, userId, role);
      realtime.disconnectUser(userId);
      return Response.json({ member: { userId, role } });
    }
    case "DELETE": {
      const userId = parseUserId(params.userId);
      await removeMember(scope, userId);
      realtime.disconnectUser(userId);
      return new Response(null, { status: 204 });
    }
    default:
      return methodNotAllowed(["PATCH", "DELETE"]);
  }
});
