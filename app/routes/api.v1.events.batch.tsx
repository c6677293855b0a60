// POST /api/v1/events/batch: up to 1000 events (SPEC P1). Bad events are reported by index and never
// reject the good ones; duplicates are skipped and counted.
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireProductivityAccess } from "~/models/productivity/access.server";
import { readJsonBody } from "~/models/productivity/http.server";
import { ingestEvents } from "~/models/productivity/ingest.server";
import { eventBatchEnvelopeSchema } from "~/models/productivity/schemas";
import { api, methodNotAllowed } from "~/utils/api.server";

export const loader = () => methodNotAllowed(["POST"]);

export const action = api(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const { scope } = await requireProductivityAccess(request, context, { minimum: "operator", allowApiKey: true });
  const { events } = await readJsonBody(request, eventBatchEnvelopeSchema);
  const { stored: _stored, ...result } = await ingestEvents(scope, events);
  return Response.json(result, { status: result.successfully_stored > 0 ? 201 : 200 });
});
