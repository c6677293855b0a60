// GET /api/v1/workers?status=ONLINE&q=text (SPEC A1): the tenant's workers with live state.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { listWorkerViews, workerFilterSchema } from "~/fleet/operations.server";
import { fleetApi } from "~/fleet/http.server";
import { methodNotAllowed } from "~/utils/api.server";

export const loader = fleetApi(async ({ request, context }: LoaderFunctionArgs) => {
  const { scope } = await requireTenant(request, context);
  const url = new URL(request.url);
  const filter = workerFilterSchema.parse({
    status: url.searchParams.get("status") || undefined,
    q: url.searchParams.get("q") || undefined,
  });
  return Response.json({ workers: listWorkerViews(context.services.fleet, scope, filter) });
});

export const action = () => methodNotAllowed(["GET"]);
