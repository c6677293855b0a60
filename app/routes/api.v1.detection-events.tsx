// GET /api/v1/detection-events: raw detection events of the active tenant in the server's order (corrected_utc, then
// Lamport), filtered by camera, type and time, paged with after_time/after_lamport (T1, T3, D3). Viewers may read.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { eventsQuerySchema, listDetectionEvents } from "~/models/detections/events-query.server";
import { api } from "~/utils/api.server";
import { badRequest } from "~/utils/errors.server";
import { formatIssues } from "~/utils/api.server";

export const loader = api(async ({ request, context }: LoaderFunctionArgs) => {
  const { scope } = await requireTenant(request, context);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = eventsQuerySchema.safeParse(params);
  if (!parsed.success) throw badRequest("Invalid query", formatIssues(parsed.error));
  const events = await listDetectionEvents(scope, parsed.data);
  return Response.json({ events, count: events.length });
});
