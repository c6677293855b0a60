// POST /api/v1/data/refresh: clear the tenant's events and generate fresh ones, as the documented
// productivity API does ("Refresh with new random data"); answers {message, events_generated, workers,
// workstations}. Optional body {num_days, events_per_day}. (P4: tenant admin session or an admin's API key.)
// Re-materialising the aggregates is POST /api/v1/data/refresh-aggregates.
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireDataAdmin } from "~/models/productivity/access.server";
import { checkDrift } from "~/models/productivity/drift.server";
import { refreshSampleData } from "~/models/productivity/generate.server";
import { readOptionalJsonBody } from "~/models/productivity/http.server";
import { refreshInputSchema } from "~/models/productivity/schemas";
import { api, methodNotAllowed } from "~/utils/api.server";

export const loader = () => methodNotAllowed(["POST"]);

export const action = api(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const scope = await requireDataAdmin(request, context);
  const result = await refreshSampleData(scope, await readOptionalJsonBody(request, refreshInputSchema), {
    log: context.services.logger,
  });
  const drift = await checkDrift(scope);
  context.services.realtime.emitToTenant(scope.tenantId, "productivity:events", {
    stored: result.events_generated,
    latest: result.to,
  });
  return Response.json({ ...result, alerts_raised: drift.raised.length });
});
