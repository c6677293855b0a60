// GET /api/v1/openapi.json: the OpenAPI 3.1 document of every /api/v1 route (P6, issue 12 §3), generated from the
// route declarations. It holds no data, so it needs no session (the outer wall lets it through).
import { publicAccess } from "~/http/api-route-guards.server";
import { defineApiRoute } from "~/http/api-route.server";
import { buildOpenApiDocument } from "~/http/openapi.server";

const route = defineApiRoute({ path: "/api/v1/openapi.json", tag: "Reference" }, (op) => ({
  get: op({
    summary: "This document",
    auth: publicAccess,
    responses: { 200: "The OpenAPI 3.1 document (JSON); also rendered at [/docs](/docs)" },
    handler: async () =>
      Response.json(buildOpenApiDocument(), {
        headers: { "Cache-Control": "private, max-age=60" },
      }),
  }),
}));

export const loader = route.loader;
