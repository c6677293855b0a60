// POST /api/v1/events: one event (SPEC P1). Session (operator+) or tenant API key.
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireProductivityAccess } from "~/models/productivity/access.server";
import { readJsonBody } from "~/models/productivity/http.server";
import { outOfDeviceScope } from "~/models/productivity/device-keys.server";
import { findStoredEvent, ingestEvents } from "~/models/productivity/ingest.server";
import { eventInputSchema } from "~/models/productivity/schemas";
import { api, methodNotAllowed } from "~/utils/api.server";
import { badRequest, forbidden } from "~/utils/errors.server";

export const loader = () => methodNotAllowed(["POST"]);

export const action = api(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const { scope, device } = await requireProductivityAccess(request, context, {
    minimum: "operator",
    allowApiKey: true,
    allowDeviceKey: true,
  });
  const body = await readJsonBody(request, z.unknown());
  const refused = device ? outOfDeviceScope(device, [body]) : null;
  if (refused) throw forbidden(refused);
  const source = device ? { source: "device" as const, ref: device.cam } : undefined;
  const result = await ingestEvents(scope, [body], { returnStored: true, source });
  if (result.errors.length) throw badRequest(`Invalid event: ${result.errors[0].message}`, result.errors);
  if (result.stored.length) return Response.json(result.stored[0], { status: 201 });
  // A duplicate: nothing was written; answer with the event already stored.
  const existing = await findStoredEvent(scope, eventInputSchema.parse(body));
  return Response.json(existing, { status: 200 });
});
