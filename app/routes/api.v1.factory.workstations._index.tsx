// /api/v1/factory/workstations: GET lists, POST creates (operator+).
import { tenantMember } from "~/http/api-route-guards.server";
import { jsonBodyExplained } from "~/http/api-route-input.server";
import { defineApiRoute } from "~/http/api-route.server";
import { createWorkstation, listWorkstations } from "~/models/productivity/entities.server";
import { listOf } from "~/models/productivity/openapi.server";
import { workstationInputSchema, workstationSchema } from "~/models/productivity/schemas";

const route = defineApiRoute({ path: "/api/v1/factory/workstations", tag: "Workers and workstations" }, (op) => ({
  get: op({
    summary: "List workstations",
    auth: tenantMember("viewer"),
    responses: { 200: { description: "OK", schema: listOf("workstations", workstationSchema) } },
    handler: async ({ auth: { scope } }) => ({ workstations: await listWorkstations(scope) }),
  }),
  post: op({
    summary: "Create a workstation",
    auth: tenantMember("operator"),
    body: jsonBodyExplained(workstationInputSchema),
    responses: { 201: { description: "Created", schema: workstationSchema }, 409: "Id taken" },
    handler: ({ auth: { scope }, body }) => createWorkstation(scope, body),
  }),
}));

export const loader = route.loader;
export const action = route.action;
