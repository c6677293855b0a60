// GET /api/v1/metrics/factory (P2).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireProductivityAccess } from "~/models/productivity/access.server";
import { rangeFromRequest } from "~/models/productivity/http.server";
import { factoryMetrics } from "~/models/productivity/metrics.server";
import { api } from "~/utils/api.server";

export const loader = api(async ({ request, context }: LoaderFunctionArgs) => {
  const { scope } = await requireProductivityAccess(request, context, { minimum: "viewer", allowApiKey: true });
  const { range, filter } = rangeFromRequest(request);
  return Response.json({
    range: { start_time: range.start?.toISOString() ?? null, end_time: range.end?.toISOString() ?? null },
    factory: await factoryMetrics(scope, range, filter),
  });
});
