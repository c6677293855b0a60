// POST /api/v1/data/generate-events: N days of realistic events, then a drift check (P4, admin).
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { checkDrift } from "~/models/productivity/drift.server";
import { generateEvents } from "~/models/productivity/generate.server";
import { readOptionalJsonBody } from "~/models/productivity/http.server";
import { generateInputSchema } from "~/models/productivity/schemas";
import { api, methodNotAllowed } from "~/utils/api.server";

export const loader = () => methodNotAllowed(["POST"]);

export const action = api(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const { scope } = await requireTenant(request, context, "admin");
  const generated = await generateEvents(scope, await readOptionalJsonBody(request, generateInputSchema));
  const drift = await checkDrift(scope);
  context.services.realtime.emitToTenant(scope.tenantId, "productivity:events", {
    stored: generated.events,
    latest: generated.to,
  });
  return Response.json({ ...generated, alerts_raised: drift.raised.length }, { status: 201 });
});
