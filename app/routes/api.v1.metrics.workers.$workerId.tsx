// GET /api/v1/metrics/workers/{worker_id}: one worker's metrics and utilisation series (P2). The documented
// worker fields come at the top level too, as the documented API answers.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireProductivityAccess } from "~/models/productivity/access.server";
import { rangeFromRequest } from "~/models/productivity/http.server";
import { utilisationSeries, workerMetrics } from "~/models/productivity/metrics.server";
import { api } from "~/utils/api.server";
import { notFound } from "~/utils/errors.server";
import { DOCUMENTED_WORKER_FIELDS, pickFields } from "~/models/productivity/schemas";

export const loader = api(async ({ request, context, params }: LoaderFunctionArgs) => {
  const { scope } = await requireProductivityAccess(request, context, { minimum: "viewer", allowApiKey: true });
  const { range, filter } = rangeFromRequest(request);
  const id = params.workerId!;
  const [worker] = await workerMetrics(scope, range, filter, id);
  if (!worker) throw notFound(`Worker "${id}" not found`);
  return Response.json({
    ...pickFields(worker, DOCUMENTED_WORKER_FIELDS),
    worker,
    series: await utilisationSeries(scope, range, { ...filter, workerId: id }),
  });
});
