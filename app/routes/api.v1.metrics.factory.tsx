// GET /api/v1/metrics/factory (P2): the documented factory fields at the top level (as the documented API
// answers), Argus's `range` and full `factory` object beside them.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireProductivityAccess } from "~/models/productivity/access.server";
import { rangeFromRequest } from "~/models/productivity/http.server";
import { factoryMetrics } from "~/models/productivity/metrics.server";
import { DOCUMENTED_FACTORY_FIELDS, pickFields } from "~/models/productivity/schemas";
import { api } from "~/utils/api.server";

export const loader = api(async ({ request, context }: LoaderFunctionArgs) => {
  const { scope } = await requireProductivityAccess(request, context, { minimum: "viewer", allowApiKey: true });
  const { range, filter } = rangeFromRequest(request);
  const factory = await factoryMetrics(scope, range, filter);
  return Response.json({
    ...pickFields(factory, DOCUMENTED_FACTORY_FIELDS),
    range: { start_time: range.start?.toISOString() ?? null, end_time: range.end?.toISOString() ?? null },
    factory,
  });
});
