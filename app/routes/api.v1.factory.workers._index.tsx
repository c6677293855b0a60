// /api/v1/factory/workers: GET lists, POST creates (operator+).
// (/api/v1/workers belongs to the worker-process fleet; these are people.)
import { tenantMember } from "~/http/api-route-guards.server";
import { jsonBodyExplained } from "~/http/api-route-input.server";
import { defineApiRoute } from "~/http/api-route.server";
import { createWorker, listWorkers } from "~/models/productivity/entities.server";
import { listOf } from "~/models/productivity/openapi.server";
import { workerInputSchema, workerSchema } from "~/models/productivity/schemas";

const route = defineApiRoute({ path: "/api/v1/factory/workers", tag: "Workers and workstations" }, (op) => ({
  get: op({
    summary: "List workers (people)",
    auth: tenantMember("viewer"),
    responses: { 200: { description: "OK", schema: listOf("workers", workerSchema) } },
    handler: async ({ auth: { scope } }) => ({ workers: await listWorkers(scope) }),
  }),
  post: op({
    summary: "Create a worker",
    auth: tenantMember("operator"),
    body: jsonBodyExplained(workerInputSchema),
    responses: { 201: { description: "Created", schema: workerSchema }, 409: "Id taken" },
    handler: ({ auth: { scope }, body }) => createWorker(scope, body),
  }),
}));

export const loader = route.loader;
export const action = route.action;
