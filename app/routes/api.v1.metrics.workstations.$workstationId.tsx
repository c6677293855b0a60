// GET /api/v1/metrics/workstations/{workstation_id}: one workstation's metrics and series (P2).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireProductivityAccess } from "~/models/productivity/access.server";
import { rangeFromRequest } from "~/models/productivity/http.server";
import { utilisationSeries, workstationMetrics } from "~/models/productivity/metrics.server";
import { api } from "~/utils/api.server";
import { notFound } from "~/utils/errors.server";

export const loader = api(async ({ request, context, params }: LoaderFunctionArgs) => {
  const { scope } = await requireProductivityAccess(request, context, { minimum: "viewer", allowApiKey: true });
  const { range, filter } = rangeFromRequest(request);
  const id = params.workstationId!;
  const [workstation] = await workstationMetrics(scope, range, filter, id);
  if (!workstation) throw notFound(`Workstation "${id}" not found`);
  return Response.json({
    workstation,
    series: await utilisationSeries(scope, range, { ...filter, workstationId: id }),
  });
});
