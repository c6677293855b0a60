// POST /api/v1/workers/{id}/maintenance {on}: no new cameras; current ones move to other workers (A4).
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireTenant } from "~/auth/guards.server";
import { setMaintenance } from "~/fleet/operations.server";
import { fleetApi } from "~/fleet/http.server";
import { methodNotAllowed, readJson } from "~/utils/api.server";

export const loader = () => methodNotAllowed(["POST"]);

export const action = fleetApi(async ({ request, context, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const { scope } = await requireTenant(request, context, "operator");
  const { on } = await readJson(request, z.object({ on: z.boolean() }).strict());
  return Response.json({ worker: await setMaintenance(context.services.fleet, scope, params.workerId ?? "", on) });
});
