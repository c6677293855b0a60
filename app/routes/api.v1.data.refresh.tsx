// POST /api/v1/data/refresh: re-materialise the productivity continuous aggregates (P4, admin).
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { refreshAll } from "~/models/productivity/generate.server";
import { api, methodNotAllowed } from "~/utils/api.server";

export const loader = () => methodNotAllowed(["POST"]);

export const action = api(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const { scope } = await requireTenant(request, context, "admin");
  return Response.json(await refreshAll(scope));
});
