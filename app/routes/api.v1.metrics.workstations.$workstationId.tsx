// GET /api/v1/metrics/workstations/{workstation_id}: one workstation's metrics and series (P2). The
// documented workstation fields come at the top level too, as the documented API answers.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireProductivityAccess } from "~/models/productivity/access.server";
import { rangeFromRequest } from "~/models/productivity/http.server";
import { utilisationSeries, workstationMetrics } from "~/models/productivity/metrics.server";
import { api } from "~/utils/api.server";
import { notFound } from "~/utils/errors.server";
import { DOCUMENTED_WORKSTATION_FIELDS, pickFields } from "~/models/productivity/schemas";

export const loader = api(async ({ request, context, params }: LoaderFunctionArgs) => {
  const { scope } = await requireProductivityAccess(request, context, { minimum: "viewer", allowApiKey: true });
  const { range, filter } = rangeFromRequest(request);
  const id = params.workstationId!;
  const [workstation] = await workstationMetrics(scope, range, filter, id);
  if (!workstation) throw notFound(`Workstation "${id}" not found`);
  return Response.json({
    ...pickFields(workstation, DOCUMENTED_WORKSTATION_FIELDS),
    workstation,
    series: await utilisationSeries(scope, range, { ...filter, workstationId: id }),
  });
});
