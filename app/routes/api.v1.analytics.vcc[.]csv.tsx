// GET /api/v1/analytics/vcc.csv: the same query as /api/v1/analytics/vcc as CSV (V5), exactly its buckets: bucket
// start in the query's zone (local ISO 8601 with offset), each class, in, out, total; streamed, as an attachment.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { vccCsvFilename, vccCsvStream } from "~/models/vcc/csv";
import { parseVccParams } from "~/models/vcc/params";
import { queryVcc } from "~/models/vcc/query.server";
import { api } from "~/utils/api.server";
import { badRequest } from "~/utils/errors.server";

export const loader = api(async ({ request, context }: LoaderFunctionArgs) => {
  const { scope } = await requireTenant(request, context);
  const parsed = parseVccParams(new URL(request.url).searchParams);
  if (!parsed.success) throw badRequest(parsed.message, parsed.details);
  const result = await queryVcc(scope.db, scope.tenantId, parsed.query);
  return new Response(vccCsvStream(result), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${vccCsvFilename(result)}"`,
      "cache-control": "no-store",
    },
  });
});
