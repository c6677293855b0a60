// POST /api/v1/alerts/{id}/acknowledge (P5, operator+). Idempotent.
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { acknowledgeAlert } from "~/models/productivity/drift.server";
import { api, methodNotAllowed } from "~/utils/api.server";

export const loader = () => methodNotAllowed(["POST"]);

export const action = api(async ({ request, context, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const { scope } = await requireTenant(request, context, "operator");
  return Response.json(await acknowledgeAlert(scope, params.alertId!));
});
