// /api/v1/factory/workstations/{workstation_id}: GET, PATCH (operator+), DELETE (admin).
import { tenantMember } from "~/http/api-route-guards.server";
import { jsonBodyExplained } from "~/http/api-route-input.server";
import { defineApiRoute } from "~/http/api-route.server";
import { deleteWorkstation, getWorkstation, updateWorkstation } from "~/models/productivity/entities.server";
import { workstationSchema, workstationUpdateSchema } from "~/models/productivity/schemas";

const route = defineApiRoute(
  { path: "/api/v1/factory/workstations/{workstation_id}", tag: "Workers and workstations" },
  (op) => ({
    get: op({
      summary: "Get a workstation",
      auth: tenantMember("viewer"),
      responses: { 200: { description: "OK", schema: workstationSchema }, 404: "Not found" },
      handler: ({ auth: { scope }, params }) => getWorkstation(scope, params.workstation_id),
    }),
    patch: op({
      summary: "Update a workstation",
      auth: tenantMember("operator"),
      body: jsonBodyExplained(workstationUpdateSchema),
      responses: { 200: { description: "OK", schema: workstationSchema }, 404: "Not found" },
      handler: ({ auth: { scope }, params, body }) => updateWorkstation(scope, params.workstation_id, body),
    }),
    delete: op({
      summary: "Delete a workstation",
      auth: tenantMember("admin"),
      responses: { 204: "Deleted", 404: "Not found" },
      handler: async ({ auth: { scope }, params }) => {
        await deleteWorkstation(scope, params.workstation_id);
        return new Response(null, { status: 204 });
      },
    }),
  }),
);

export const loader = route.loader;
export const action = route.action;
