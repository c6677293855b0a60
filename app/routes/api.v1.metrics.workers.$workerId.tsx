// GET /api/v1/metrics/workers/{worker_id}: one worker's metrics and utilisation series (P2). The documented
// worker fields come at the top level too, as the documented API answers.
import { memberOrApiKey } from "~/http/api-route-guards.server";
import { defineApiRoute } from "~/http/api-route.server";
import { rangeQuery } from "~/models/productivity/http.server";
import { utilisationSeries, workerMetrics } from "~/models/productivity/metrics.server";
import { workerMetricsResponse } from "~/models/productivity/openapi.server";
import { DOCUMENTED_WORKER_FIELDS, pickFields } from "~/models/productivity/schemas";
import { notFound } from "~/utils/errors.server";

const route = defineApiRoute({ path: "/api/v1/metrics/workers/{worker_id}", tag: "Metrics" }, (op) => ({
  get: op({
    summary: "One worker's metrics and series",
    description: "The documented worker fields at the top level, Argus's full `worker` object and series beside them.",
    auth: memberOrApiKey("viewer"),
    query: rangeQuery,
    responses: { 200: { description: "OK", schema: workerMetricsResponse }, 404: "Unknown worker" },
    handler: async ({ auth: { scope }, params: { worker_id: id }, query: { range, filter } }) => {
      const [worker] = await workerMetrics(scope, range, filter, id);
      if (!worker) throw notFound(`Worker "${id}" not found`);
      return {
        ...pickFields(worker, DOCUMENTED_WORKER_FIELDS),
        worker,
        series: await utilisationSeries(scope, range, { ...filter, workerId: id }),
      };
    },
  }),
}));

export const loader = route.loader;
