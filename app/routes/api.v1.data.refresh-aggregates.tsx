// POST /api/v1/data/refresh-aggregates: re-materialise the productivity continuous aggregates (P4, admin).
// (Was POST /api/v1/data/refresh, which now has the documented meaning: clear and regenerate events.)
import { z } from "zod";
import { dataAdmin } from "~/http/api-route-guards.server";
import { defineApiRoute } from "~/http/api-route.server";
import { refreshAll } from "~/models/productivity/generate.server";

const route = defineApiRoute({ path: "/api/v1/data/refresh-aggregates", tag: "Data management" }, (op) => ({
  post: op({
    summary: "Re-materialise the continuous aggregates",
    auth: dataAdmin,
    responses: { 200: { description: "Refreshed", schema: z.object({ ms: z.number().int() }) } },
    handler: ({ auth: scope }) => refreshAll(scope),
  }),
}));

export const loader = route.loader;
export const action = route.action;
