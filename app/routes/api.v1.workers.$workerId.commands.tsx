// GET /api/v1/workers/{id}/commands (history with ack state) and POST {type, payload, priority} (W6).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { commandInputSchema, sendCommand, workerDetail } from "~/fleet/operations.server";
import { fleetApi } from "~/fleet/http.server";
import { methodNotAllowed, readJson } from "~/utils/api.server";

export const loader = fleetApi(async ({ request, context, params }: LoaderFunctionArgs) => {
  const { scope } = await requireTenant(request, context);
  const detail = await workerDetail(context.services.fleet, scope, params.workerId ?? "");
  return Response.json({ commands: detail.commands });
});

export const action = fleetApi(async ({ request, context, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const { scope } = await requireTenant(request, context, "operator");
  const input = await readJson(request, commandInputSchema);
  const result = await sendCommand(context.services.fleet, scope, params.workerId ?? "", input);
  return Response.json("type" in result ? { command: result } : { worker: result }, { status: 202 });
});
