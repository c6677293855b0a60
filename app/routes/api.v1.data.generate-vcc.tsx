// POST /api/v1/data/generate-vcc: sample line-crossing traffic for the VCC dashboard (issue 11 §7), written through
// the detection ingest path (app/models/vcc/generate.server.ts). Admin session or an admin's API key. Body (all
// optional): {cameras: 1-50 (the tenant's first cameras by name, "Sample camera N" created up to that many),
// days: 0.05-31 (1), rate: mean crossings per camera per hour (1-2000), end_time (ISO, default now), tz, seed}.
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireDataAdmin } from "~/models/productivity/access.server";
import { readOptionalJsonBody } from "~/models/productivity/http.server";
import {
  ensureSampleCameras,
  generateVccInputSchema,
  generateVccTraffic,
  MAX_GENERATED_EVENTS,
} from "~/models/vcc/generate.server";
import { api, methodNotAllowed } from "~/utils/api.server";
import { badRequest } from "~/utils/errors.server";

export const loader = () => methodNotAllowed(["POST"]);

export const action = api(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const scope = await requireDataAdmin(request, context);
  const input = await readOptionalJsonBody(request, generateVccInputSchema);
  const estimate = input.cameras * input.days * 24 * input.rate;
  if (estimate > MAX_GENERATED_EVENTS)
    throw badRequest(
      `That is about ${Math.round(estimate).toLocaleString("en")} events; at most ${MAX_GENERATED_EVENTS.toLocaleString("en")} per request (use npm run seed:vcc for more)`,
    );
  const cameraIds = await ensureSampleCameras(scope.db, scope.tenantId, input.cameras);
  const result = await generateVccTraffic(scope.db, scope.tenantId, {
    cameraIds,
    days: input.days,
    ratePerHour: input.rate,
    endMs: input.end_time ? Date.parse(input.end_time) : undefined,
    tz: input.tz,
    seed: input.seed,
  });
  context.services.logger.info({ tenantId: scope.tenantId, ...result }, "VCC sample traffic generated");
  return Response.json({ message: `Generated ${result.events} crossings`, ...result }, { status: 201 });
});
