// /api/v1/factory/workers/{worker_id}: GET, PATCH (operator+), DELETE (admin; past events stay).
import { tenantMember } from "~/http/api-route-guards.server";
import { jsonBodyExplained } from "~/http/api-route-input.server";
import { defineApiRoute } from "~/http/api-route.server";
import { deleteWorker, getWorker, updateWorker } from "~/models/productivity/entities.server";
import { workerSchema, workerUpdateSchema } from "~/models/productivity/schemas";

const route = defineApiRoute(
  { path: "/api/v1/factory/workers/{worker_id}", tag: "Workers and workstations" },
  (op) => ({
    get: op({
      summary: "Get a worker",
      auth: tenantMember("viewer"),
      responses: { 200: { description: "OK", schema: workerSchema }, 404: "Not found" },
      handler: ({ auth: { scope }, params }) => getWorker(scope, params.worker_id),
    }),
    patch: op({
      summary: "Update a worker",
      auth: tenantMember("operator"),
      body: jsonBodyExplained(workerUpdateSchema),
      responses: { 200: { description: "OK", schema: workerSchema }, 404: "Not found" },
      handler: ({ auth: { scope }, params, body }) => updateWorker(scope, params.worker_id, body),
    }),
    delete: op({
      summary: "Delete a worker (their events stay)",
      auth: tenantMember("admin"),
      responses: { 204: "Deleted", 404: "Not found" },
      handler: async ({ auth: { scope }, params }) => {
        await deleteWorker(scope, params.worker_id);
        return new Response(null, { status: 204 });
      },
    }),
  }),
);

export const loader = route.loader;
export const action = route.action;
