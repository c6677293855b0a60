// GET /api/v1/workers/{id} (detail: assignments, commands, status history) and DELETE (remove, W7).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { removeWorker, workerDetail } from "~/fleet/operations.server";
import { fleetApi } from "~/fleet/http.server";
import { methodNotAllowed } from "~/utils/api.server";

export const loader = fleetApi(async ({ request, context, params }: LoaderFunctionArgs) => {
  const { scope } = await requireTenant(request, context);
  return Response.json(await workerDetail(context.services.fleet, scope, params.workerId ?? ""));
});

export const action = fleetApi(async ({ request, context, params }: ActionFunctionArgs) => {
  if (request.method !== "DELETE") return methodNotAllowed(["GET", "DELETE"]);
  const { scope } = await requireTenant(request, context, "admin");
  await removeWorker(context.services.fleet, scope, params.workerId ?? "");
  return new Response(null, { status: 204 });
});
