// GET /api/v1/analytics/vcc: line-crossing counts per bucket, class and direction, totals, peak and top devices of
// the active tenant (V1-V3), from the hierarchical continuous aggregates. Viewers may read. Parameters:
// app/models/vcc/params.ts (start_time, end_time, bucket, camera_id, site_id, tz); a refusal is a 400 with the reason.
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute } from "~/http/api-route.server";
import { vccQuery } from "~/models/vcc/http.server";
import { queryVcc } from "~/models/vcc/query.server";
import { vccResultSchema } from "~/models/vcc/result-schema";

const route = defineApiRoute({ path: "/api/v1/analytics/vcc", tag: "Analytics" }, (op) => ({
  get: op({
    summary: "Line-crossing counts per bucket, class and direction (VCC)",
    description:
      "Counts of line crossings of the tenant's cameras (or one camera, or one site's) per bucket, class and direction, with totals, the peak bucket and the top devices. The range is widened to whole buckets (see `range`); 1d buckets are days of `tz` (23 or 25 hours on DST days), shorter buckets are fixed lengths aligned to the zone's clock. At most 2000 buckets. Answered from the hierarchical continuous aggregates (per minute, hour, day): the coarsest one whose bucket divides the chosen bucket in `tz` (`source.aggregate`). The newest minute is included (real-time aggregates).",
    auth: tenantMember("viewer"),
    query: vccQuery,
    responses: {
      200: { description: "OK", schema: vccResultSchema },
      400: "Invalid parameters (time, bucket, ids, tz, end before start, too many buckets)",
    },
    handler: ({ auth: { scope }, query }) => queryVcc(scope.db, scope.tenantId, query),
  }),
}));

export const loader = route.loader;
