// POST /api/v1/alerts/{id}/acknowledge (P5, operator+). Idempotent.
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute } from "~/http/api-route.server";
import { acknowledgeAlert } from "~/models/productivity/drift.server";
import { alertSchema } from "~/models/productivity/schemas";

const route = defineApiRoute({ path: "/api/v1/alerts/{alertId}/acknowledge", tag: "Model operations" }, (op) => ({
  post: op({
    summary: "Acknowledge an alert (idempotent)",
    auth: tenantMember("operator"),
    responses: { 200: { description: "OK", schema: alertSchema }, 404: "Not found" },
    handler: ({ auth: { scope }, params }) => acknowledgeAlert(scope, params.alertId),
  }),
}));

export const loader = route.loader;
export const action = route.action;
