// GET /api/v1/models: model versions seen in the range with mean confidence and event-type mix (P5).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireProductivityAccess } from "~/models/productivity/access.server";
import { listModelVersions } from "~/models/productivity/drift.server";
import { rangeFromRequest } from "~/models/productivity/http.server";
import { api } from "~/utils/api.server";

export const loader = api(async ({ request, context }: LoaderFunctionArgs) => {
  const { scope } = await requireProductivityAccess(request, context, { minimum: "viewer", allowApiKey: true });
  const { range } = rangeFromRequest(request);
  return Response.json({ models: await listModelVersions(scope, range) });
});
