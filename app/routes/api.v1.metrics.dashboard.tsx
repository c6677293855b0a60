// GET /api/v1/metrics/dashboard: factory summary, worker and workstation tables, utilisation series (P2, P3).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireProductivityAccess } from "~/models/productivity/access.server";
import { rangeFromRequest } from "~/models/productivity/http.server";
import { dashboardMetrics } from "~/models/productivity/metrics.server";
import { api } from "~/utils/api.server";

export const loader = api(async ({ request, context }: LoaderFunctionArgs) => {
  const { scope } = await requireProductivityAccess(request, context, { minimum: "viewer", allowApiKey: true });
  const { range, filter } = rangeFromRequest(request);
  return Response.json(await dashboardMetrics(scope, range, filter));
});
