// POST /api/v1/data/generate-vcc: sample line-crossing traffic for the VCC dashboard (issue 11 §7), written through
// the detection ingest path (app/models/vcc/generate.server.ts). Admin session or an admin's API key. Body (all
// optional): {cameras: 1-50 (the tenant's first cameras by name, "Sample camera N" created up to that many),
// days: 0.05-31 (1), rate: mean crossings per camera per hour (1-2000), end_time (ISO, default now), tz, seed}.
import { dataAdmin } from "~/http/api-route-guards.server";
import { optionalJsonBody } from "~/http/api-route-input.server";
import { defineApiRoute } from "~/http/api-route.server";
import { dataResult } from "~/models/productivity/openapi.server";
import {
  ensureSampleCameras,
  generateVccInputSchema,
  generateVccTraffic,
  MAX_GENERATED_EVENTS,
} from "~/models/vcc/generate.server";
import { badRequest } from "~/utils/errors.server";

const route = defineApiRoute({ path: "/api/v1/data/generate-vcc", tag: "Data management" }, (op) => ({
  post: op({
    summary: "Generate sample line-crossing traffic for the VCC dashboard",
    description: `Realistic crossings (daily rhythm, class mix weighted to person and car, direction split, noise, per-camera rates) written through the detection ingest path, then the touched aggregate buckets refreshed. Uses the tenant's first \`cameras\` cameras by name and creates \`Sample camera N\` ones when there are fewer. At most ${MAX_GENERATED_EVENTS.toLocaleString("en")} events per request (\`npm run seed:vcc\` for more). Answers the number of events, the span and the time taken.`,
    auth: dataAdmin,
    body: optionalJsonBody(generateVccInputSchema),
    responses: { 201: { description: "Generated", schema: dataResult }, 400: "Invalid body or too many events" },
    handler: async ({ auth: scope, body: input, context }) => {
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
      return { message: `Generated ${result.events} crossings`, ...result };
    },
  }),
}));

export const loader = route.loader;
export const action = route.action;
