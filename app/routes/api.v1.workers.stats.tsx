// GET /api/v1/workers/stats: counts by status, capacity, camera placement (SPEC A1).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { fleetStats } from "~/fleet/operations.server";
import { listCameras } from "~/models/cameras.server";
import { fleetApi } from "~/fleet/http.server";
import { methodNotAllowed } from "~/utils/api.server";

export const loader = fleetApi(async ({ request, context }: LoaderFunctionArgs) => {
  const { scope } = await requireTenant(request, context);
  return Response.json(await fleetStats(context.services.fleet, scope, await listCameras(scope)));
});

export const action = () => methodNotAllowed(["GET"]);
