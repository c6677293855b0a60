// POST /api/v1/data/generate-events: N days of realistic events, then a drift check (P4: tenant admin
// session or an admin's API key). Takes the documented body {num_days, events_per_day, clear_existing}
// as well as Argus's {days, interval_minutes, simulate_drift}; an empty body means the defaults.
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireDataAdmin } from "~/models/productivity/access.server";
import { checkDrift } from "~/models/productivity/drift.server";
import { generateEvents } from "~/models/productivity/generate.server";
import { readOptionalJsonBody } from "~/models/productivity/http.server";
import { generateInputSchema } from "~/models/productivity/schemas";
import { api, methodNotAllowed } from "~/utils/api.server";

export const loader = () => methodNotAllowed(["POST"]);

export const action = api(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const scope = await requireDataAdmin(request, context);
  const generated = await generateEvents(scope, await readOptionalJsonBody(request, generateInputSchema), {
    log: context.services.logger,
  });
  const drift = await checkDrift(scope);
  context.services.realtime.emitToTenant(scope.tenantId, "productivity:events", {
    stored: generated.events,
    latest: generated.to,
  });
  return Response.json(
    {
      message: `Generated ${generated.events} events`,
      events_generated: generated.events,
      ...generated,
      alerts_raised: drift.raised.length,
    },
    { status: 201 },
  );
});
