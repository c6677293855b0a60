// GET /api/v1/analytics/vcc.csv: the same query as /api/v1/analytics/vcc as CSV (V5), exactly its buckets: bucket
// start in the query's zone (local ISO 8601 with offset), each class, in, out, total; streamed, as an attachment.
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute } from "~/http/api-route.server";
import { vccQuery } from "~/models/vcc/http.server";
import { vccCsvFilename, vccCsvStream } from "~/models/vcc/csv";
import { queryVcc } from "~/models/vcc/query.server";

const route = defineApiRoute({ path: "/api/v1/analytics/vcc.csv", tag: "Analytics" }, (op) => ({
  get: op({
    summary: "The same counts as CSV (V5)",
    description:
      "Same parameters as [/api/v1/analytics/vcc](#getAnalyticsVcc) and exactly its buckets, streamed as `text/csv` (an attachment): `bucket_start` (local ISO 8601 with the offset of `tz`), one column per class (most counted first), `in`, `out`, `total`.",
    auth: tenantMember("viewer"),
    query: vccQuery,
    responses: { 200: "CSV (`text/csv`)", 400: "Invalid parameters" },
    handler: async ({ auth: { scope }, query }) => {
      const result = await queryVcc(scope.db, scope.tenantId, query);
      return new Response(vccCsvStream(result), {
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="${vccCsvFilename(result)}"`,
          "cache-control": "no-store",
        },
      });
    },
  }),
}));

export const loader = route.loader;
