// GET /api/v1/face-events: the tenant's stored face events (issue 14, D6, S1): recognised, unknown and track-end,
// with person, similarity, camera, track and the person's box; never pixels (C6). Viewers and up.
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute, queryOf } from "~/http/api-route.server";
import { faceEventsQuerySchema, listFaceEvents } from "~/models/staff/face-events.server";

const route = defineApiRoute({ path: "/api/v1/face-events", tag: "Staff" }, (op) => ({
  get: op({
    summary: "Face events",
    description:
      "The newest `limit` events (oldest first) matching the filters. Events are kept the tenant's face event retention (default 30 days) and are deleted with their person.",
    auth: tenantMember("viewer"),
    query: queryOf(faceEventsQuerySchema, { message: "Invalid face events query" }),
    responses: { 200: "`{events: [...]}`", 400: "Invalid query" },
    handler: async ({ auth: { scope }, query }) => ({ events: await listFaceEvents(scope, query) }),
  }),
}));

export const loader = route.loader;
export const action = route.action;
