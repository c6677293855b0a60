// POST /api/v1/alerts/check: run the drift check now for this tenant (P5, admin); the scheduler
// runs it every minute anyway.
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { checkDrift } from "~/models/productivity/drift.server";
import { api, methodNotAllowed } from "~/utils/api.server";

export const loader = () => methodNotAllowed(["POST"]);

export const action = api(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const { scope } = await requireTenant(request, context, "admin");
  return Response.json(await checkDrift(scope));
});
