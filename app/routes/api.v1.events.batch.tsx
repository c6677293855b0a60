// POST /api/v1/events/batch: up to 1000 events (SPEC P1). Bad events are reported by index and never
// reject the good ones; duplicates are skipped and counted.
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireProductivityAccess } from "~/models/productivity/access.server";
import { readJsonBody } from "~/models/productivity/http.server";
import { outOfDeviceScope } from "~/models/productivity/device-keys.server";
import { ingestEvents } from "~/models/productivity/ingest.server";
import { eventBatchEnvelopeSchema } from "~/models/productivity/schemas";
import { api, methodNotAllowed } from "~/utils/api.server";
import { forbidden } from "~/utils/errors.server";

export const loader = () => methodNotAllowed(["POST"]);

export const action = api(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const { scope, device } = await requireProductivityAccess(request, context, {
    minimum: "operator",
    allowApiKey: true,
    allowDeviceKey: true,
  });
  const { events } = await readJsonBody(request, eventBatchEnvelopeSchema);
  const refused = device ? outOfDeviceScope(device, events) : null;
  if (refused) throw forbidden(refused);
  const source = device ? { source: "device" as const, ref: device.cam } : undefined;
  const { stored: _stored, ...result } = await ingestEvents(scope, events, { source });
  return Response.json(result, { status: result.successfully_stored > 0 ? 201 : 200 });
});
