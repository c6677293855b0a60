// GET /api/v1/alerts?status=open|all: model drift alerts (P5). Session or API key.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireProductivityAccess } from "~/models/productivity/access.server";
import { listAlerts } from "~/models/productivity/drift.server";
import { alertListQuerySchema, searchParamsObject } from "~/models/productivity/schemas";
import { api } from "~/utils/api.server";

export const loader = api(async ({ request, context }: LoaderFunctionArgs) => {
  const { scope } = await requireProductivityAccess(request, context, { minimum: "viewer", allowApiKey: true });
  const { status } = alertListQuerySchema.parse(searchParamsObject(new URL(request.url).searchParams));
  return Response.json({ alerts: await listAlerts(scope, status) });
});
