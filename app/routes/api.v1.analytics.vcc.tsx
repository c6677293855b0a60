// GET /api/v1/analytics/vcc: line-crossing counts per bucket, class and direction, totals, peak and top devices of
// the active tenant (V1-V3), from the hierarchical continuous aggregates. Viewers may read. Parameters:
// app/models/vcc/params.ts (start_time, end_time, bucket, camera_id, site_id, tz); a refusal is a 400 with the reason.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { parseVccParams } from "~/models/vcc/params";
import { queryVcc } from "~/models/vcc/query.server";
import { api } from "~/utils/api.server";
import { badRequest } from "~/utils/errors.server";

export const loader = api(async ({ request, context }: LoaderFunctionArgs) => {
  const { scope } = await requireTenant(request, context);
  const parsed = parseVccParams(new URL(request.url).searchParams);
  if (!parsed.success) throw badRequest(parsed.message, parsed.details);
  return Response.json(await queryVcc(scope.db, scope.tenantId, parsed.query));
});
