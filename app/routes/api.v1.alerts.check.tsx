// POST /api/v1/alerts/check: run the drift check now for this tenant (P5, admin); the scheduler
// runs it every minute anyway.
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute } from "~/http/api-route.server";
import { checkDrift } from "~/models/productivity/drift.server";

const route = defineApiRoute({ path: "/api/v1/alerts/check", tag: "Model operations" }, (op) => ({
  post: op({
    summary: "Run the drift check now (the scheduler runs it every minute)",
    auth: tenantMember("admin"),
    responses: { 200: "The check's result: alerts raised and resolved" },
    handler: ({ auth: { scope } }) => checkDrift(scope),
  }),
}));

export const loader = route.loader;
export const action = route.action;
