// GET /api/v1/metrics/workstations/{workstation_id}: one workstation's metrics and series (P2). The
// documented workstation fields come at the top level too, as the documented API answers.
import { memberOrApiKey } from "~/http/api-route-guards.server";
import { defineApiRoute } from "~/http/api-route.server";
import { rangeQuery } from "~/models/productivity/http.server";
import { utilisationSeries, workstationMetrics } from "~/models/productivity/metrics.server";
import { workstationMetricsResponse } from "~/models/productivity/openapi.server";
import { DOCUMENTED_WORKSTATION_FIELDS, pickFields } from "~/models/productivity/schemas";
import { notFound } from "~/utils/errors.server";

const route = defineApiRoute({ path: "/api/v1/metrics/workstations/{workstation_id}", tag: "Metrics" }, (op) => ({
  get: op({
    summary: "One workstation's metrics and series",
    description:
      "The documented workstation fields at the top level, Argus's full `workstation` object and series beside them.",
    auth: memberOrApiKey("viewer"),
    query: rangeQuery,
    responses: { 200: { description: "OK", schema: workstationMetricsResponse }, 404: "Unknown workstation" },
    handler: async ({ auth: { scope }, params: { workstation_id: id }, query: { range, filter } }) => {
      const [workstation] = await workstationMetrics(scope, range, filter, id);
      if (!workstation) throw notFound(`Workstation "${id}" not found`);
      return {
        ...pickFields(workstation, DOCUMENTED_WORKSTATION_FIELDS),
        workstation,
        series: await utilisationSeries(scope, range, { ...filter, workstationId: id }),
      };
    },
  }),
}));

export const loader = route.loader;
