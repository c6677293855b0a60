// POST /api/v1/events/batch: up to 1000 events (SPEC P1). Bad events are reported by index and never
// reject the good ones; duplicates are skipped and counted.
import { ingestAccess } from "~/http/api-route-guards.server";
import { customBody, readJsonBody } from "~/http/api-route-input.server";
import { defineApiRoute, jsonWith } from "~/http/api-route.server";
import { outOfDeviceScope } from "~/models/productivity/device-keys.server";
import { ingestEvents } from "~/models/productivity/ingest.server";
import {
  batchResultSchema,
  eventBatchDocSchema,
  eventBatchEnvelopeSchema,
  MAX_BATCH_EVENTS,
} from "~/models/productivity/schemas";
import { forbidden } from "~/utils/errors.server";

const route = defineApiRoute({ path: "/api/v1/events/batch", tag: "Ingestion" }, (op) => ({
  post: op({
    summary: `Ingest up to ${MAX_BATCH_EVENTS} events`,
    description:
      "Each event is validated on its own: bad events are reported by index in `errors` and never reject the good ones. Bodies over 2 MiB get 413; more than 1000 events get 400.",
    auth: ingestAccess("operator"),
    // The envelope is checked here; each event by ingestion (so one bad event does not refuse the batch).
    body: customBody(eventBatchDocSchema, (request) => readJsonBody(request, eventBatchEnvelopeSchema)),
    responses: {
      201: { description: "Some events stored", schema: batchResultSchema },
      200: { description: "Nothing new stored", schema: batchResultSchema },
      400: "Not a batch (bad JSON, no events array, more than 1000 events)",
      403: "An on-device key posting for another worker or workstation, or a non-state event",
      413: "Body over 2 MiB",
    },
    handler: async ({ auth: { scope, device }, body: { events } }) => {
      const refused = device ? outOfDeviceScope(device, events) : null;
      if (refused) throw forbidden(refused);
      const source = device ? { source: "device" as const, ref: device.cam } : undefined;
      const { stored: _stored, ...result } = await ingestEvents(scope, events, { source });
      return jsonWith(result, result.successfully_stored > 0 ? 201 : 200);
    },
  }),
}));

export const loader = route.loader;
export const action = route.action;
