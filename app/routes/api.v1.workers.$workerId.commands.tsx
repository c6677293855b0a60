// GET /api/v1/workers/{id}/commands (history with ack state) and POST {type, payload, priority} (W6).
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute, jsonBody } from "~/http/api-route.server";
import { commandInputSchema, sendCommand, workerDetail } from "~/fleet/operations.server";

const route = defineApiRoute({ path: "/api/v1/workers/{workerId}/commands", tag: "Workers" }, (op) => ({
  get: op({
    summary: "A worker's commands with their acknowledgement state",
    auth: tenantMember("viewer"),
    responses: { 200: "`{commands: [...]}`", 404: "No such worker in the tenant" },
    handler: async ({ auth: { scope }, params, context }) => ({
      commands: (await workerDetail(context.services.fleet, scope, params.workerId)).commands,
    }),
  }),
  post: op({
    summary: "Send a worker a command",
    auth: tenantMember("operator"),
    body: jsonBody(commandInputSchema),
    responses: { 202: "`{command}` queued (or `{worker}` for state commands)", 404: "No such worker in the tenant" },
    handler: async ({ auth: { scope }, params, body, context }) => {
      const result = await sendCommand(context.services.fleet, scope, params.workerId, body);
      return "type" in result ? { command: result } : { worker: result };
    },
  }),
}));

export const loader = route.loader;
export const action = route.action;
