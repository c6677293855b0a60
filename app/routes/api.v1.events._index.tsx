// POST /api/v1/events: one event (SPEC P1). Session (operator+), tenant API key, or a scoped on-device key.
import { z } from "zod";
import { ingestAccess } from "~/http/api-route-guards.server";
import { customBody, readJsonBody } from "~/http/api-route-input.server";
import { defineApiRoute, jsonWith } from "~/http/api-route.server";
import { outOfDeviceScope } from "~/models/productivity/device-keys.server";
import { findStoredEvent, ingestEvents } from "~/models/productivity/ingest.server";
import { eventInputSchema, storedEventSchema } from "~/models/productivity/schemas";
import { badRequest, forbidden } from "~/utils/errors.server";

const route = defineApiRoute({ path: "/api/v1/events", tag: "Ingestion" }, (op) => ({
  post: op({
    summary: "Ingest one event",
    description:
      "Stores the event and returns it (201) with its `id`. An identical event (same timestamp, worker_id, workstation_id, event_type) is not stored twice: the stored one is returned with 200, the same id and duplicate=true. `workstation_id` may be left out (the documented model-versioning example): the event then counts for the worker and the factory only.",
    auth: ingestAccess("operator"),
    // Ingestion validates the event itself (and explains a refusal by field); the schema is what it accepts.
    body: customBody(eventInputSchema, (request) => readJsonBody(request, z.unknown())),
    responses: {
      201: { description: "Stored", schema: storedEventSchema },
      200: { description: "Duplicate; nothing written", schema: storedEventSchema },
      400: "Invalid event or unknown worker/workstation",
      403: "An on-device key posting for another worker or workstation, or a non-state event",
    },
    handler: async ({ auth: { scope, device }, body }) => {
      const refused = device ? outOfDeviceScope(device, [body]) : null;
      if (refused) throw forbidden(refused);
      const source = device ? { source: "device" as const, ref: device.cam } : undefined;
      const result = await ingestEvents(scope, [body], { returnStored: true, source });
      if (result.errors.length) throw badRequest(`Invalid event: ${result.errors[0].message}`, result.errors);
      if (result.stored.length) return jsonWith(result.stored[0], 201);
      // A duplicate: nothing was written; answer with the event already stored.
      return jsonWith(await findStoredEvent(scope, eventInputSchema.parse(body)), 200);
    },
  }),
}));

export const loader = route.loader;
export const action = route.action;
