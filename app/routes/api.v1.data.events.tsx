// DELETE /api/v1/data/events: delete all of the tenant's productivity events (P4: tenant admin session or
// an admin's API key).
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireDataAdmin } from "~/models/productivity/access.server";
import { clearEvents } from "~/models/productivity/generate.server";
import { api, methodNotAllowed } from "~/utils/api.server";

export const loader = () => methodNotAllowed(["DELETE"]);

export const action = api(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "DELETE") return methodNotAllowed(["DELETE"]);
  const scope = await requireDataAdmin(request, context);
  const result = await clearEvents(scope, { log: context.services.logger });
  context.services.realtime.emitToTenant(scope.tenantId, "productivity:events", { stored: 0, latest: null });
  return Response.json({ ...result, message: `Deleted ${result.deleted} events` });
});
