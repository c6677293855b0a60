// GET /api/v1/detection-events: raw detection events of the active tenant in the server's order (corrected_utc, then
// Lamport), filtered by camera, type and time, paged with after_time/after_lamport (T1, T3, D3). Viewers may read.
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute, queryOf } from "~/http/api-route.server";
import { eventsQuerySchema, listDetectionEvents } from "~/models/detections/events-query.server";

const route = defineApiRoute({ path: "/api/v1/detection-events", tag: "Detection events" }, (op) => ({
  get: op({
    summary: "Raw detection events in the server's order, filtered and paged",
    description: "Ordered by corrected time, then Lamport clock; page with `after_time` and `after_lamport`.",
    auth: tenantMember("viewer"),
    // An empty value (camera_id=) is refused as sent, not dropped.
    query: queryOf(eventsQuerySchema, { message: "Invalid query", keepEmpty: true }),
    responses: { 200: "`{events: [...], count}`", 400: "Invalid query" },
    handler: async ({ auth: { scope }, query }) => {
      const events = await listDetectionEvents(scope, query);
      return { events, count: events.length };
    },
  }),
}));

export const loader = route.loader;
