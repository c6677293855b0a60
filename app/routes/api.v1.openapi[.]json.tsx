// GET /api/v1/openapi.json: the OpenAPI 3.1 document (P6), generated from the request schemas.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { buildOpenApiDocument } from "~/models/productivity/openapi.server";
import { requireProductivityAccess } from "~/models/productivity/access.server";
import { api } from "~/utils/api.server";

export const loader = api(async ({ request, context }: LoaderFunctionArgs) => {
  await requireProductivityAccess(request, context, { minimum: "viewer", allowApiKey: true });
  return Response.json(buildOpenApiDocument(), { headers: { "Cache-Control": "private, max-age=60" } });
});
