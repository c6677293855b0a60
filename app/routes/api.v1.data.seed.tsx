// POST /api/v1/data/seed: sample workers and workstations (P4: tenant admin session or an admin's API key).
// An empty body means the documented sample factory: W1-W6 and S1-S6.
import { dataAdmin } from "~/http/api-route-guards.server";
import { optionalJsonBody } from "~/http/api-route-input.server";
import { defineApiRoute } from "~/http/api-route.server";
import { seedSampleEntities } from "~/models/productivity/generate.server";
import { dataResult } from "~/models/productivity/openapi.server";
import { seedInputSchema } from "~/models/productivity/schemas";

const route = defineApiRoute({ path: "/api/v1/data/seed", tag: "Data management" }, (op) => ({
  post: op({
    summary: "Create sample workers and workstations",
    description: "Without a body: the documented sample factory, W1-W6 and S1-S6. Existing ids are kept.",
    auth: dataAdmin,
    body: optionalJsonBody(seedInputSchema),
    responses: { 201: { description: "Seeded", schema: dataResult } },
    handler: async ({ auth: scope, body }) => {
      const seeded = await seedSampleEntities(scope, body);
      return { message: `Seeded ${seeded.workers} workers and ${seeded.workstations} workstations`, ...seeded };
    },
  }),
}));

export const loader = route.loader;
export const action = route.action;
