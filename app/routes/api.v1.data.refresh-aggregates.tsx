// POST /api/v1/data/refresh-aggregates: re-materialise the productivity continuous aggregates (P4, admin).
// (Was POST /api/v1/data/refresh, which now has the documented meaning: clear and regenerate events.)
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireDataAdmin } from "~/models/productivity/access.server";
import { refreshAll } from "~/models/productivity/generate.server";
import { api, methodNotAllowed } from "~/utils/api.server";

export const loader = () => methodNotAllowed(["POST"]);

export const action = api(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const scope = await requireDataAdmin(request, context);
  return Response.json(await refreshAll(scope));
});
