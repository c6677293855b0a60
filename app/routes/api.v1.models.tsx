// GET /api/v1/models: model versions seen in the range with mean confidence and event-type mix (P5).
import { memberOrApiKey } from "~/http/api-route-guards.server";
import { defineApiRoute } from "~/http/api-route.server";
import { listModelVersions } from "~/models/productivity/drift.server";
import { rangeQuery } from "~/models/productivity/http.server";
import { listOf } from "~/models/productivity/openapi.server";
import { modelVersionSchema } from "~/models/productivity/schemas";

const route = defineApiRoute({ path: "/api/v1/models", tag: "Model operations" }, (op) => ({
  get: op({
    summary: "Model versions with confidence and event-type distribution",
    auth: memberOrApiKey("viewer"),
    query: rangeQuery,
    responses: { 200: { description: "OK", schema: listOf("models", modelVersionSchema) } },
    handler: async ({ auth: { scope }, query: { range } }) => ({ models: await listModelVersions(scope, range) }),
  }),
}));

export const loader = route.loader;
