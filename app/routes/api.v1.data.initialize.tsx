// POST /api/v1/data/initialize: clear events, seed sample entities, generate N days (P4: tenant admin
// session or an admin's API key). An empty body means the defaults (6 workers, 6 workstations, 7 days).
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireDataAdmin } from "~/models/productivity/access.server";
import { checkDrift } from "~/models/productivity/drift.server";
import { initializeSampleData } from "~/models/productivity/generate.server";
import { readOptionalJsonBody } from "~/models/productivity/http.server";
import { initializeInputSchema } from "~/models/productivity/schemas";
import { api, methodNotAllowed } from "~/utils/api.server";

export const loader = () => methodNotAllowed(["POST"]);

export const action = api(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const scope = await requireDataAdmin(request, context);
  const result = await initializeSampleData(scope, await readOptionalJsonBody(request, initializeInputSchema), {
    log: context.services.logger,
  });
  const drift = await checkDrift(scope);
  context.services.realtime.emitToTenant(scope.tenantId, "productivity:events", {
    stored: result.generated.events,
    latest: result.generated.to,
  });
  return Response.json(
    {
      message: "Sample data initialized",
      events_generated: result.generated.events,
      ...result,
      alerts_raised: drift.raised.length,
    },
    { status: 201 },
  );
});
