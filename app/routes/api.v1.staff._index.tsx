// /api/v1/staff: the tenant's staff directory (issue 14, S1; docs/staff.md). Viewers list names; operators add.
import { z } from "zod";
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute, jsonBody } from "~/http/api-route.server";
import { createPerson, listPeople, personInputSchema } from "~/models/staff/people.server";

const route = defineApiRoute(
  { path: "/api/v1/staff", tag: "Staff", unsupportedGuard: tenantMember("viewer") },
  (op) => ({
    get: op({
      summary: "List the staff directory",
      description: "People with their employee number, site, active flag and number of enrolled images (no images).",
      auth: tenantMember("viewer"),
      responses: { 200: "`{people: [...]}`" },
      handler: async ({ auth: { scope } }) => ({ people: await listPeople(scope) }),
    }),
    post: op({
      summary: "Add a person",
      auth: tenantMember("operator"),
      body: jsonBody(personInputSchema),
      responses: {
        201: { description: "`{person}`", schema: z.object({ person: z.object({ id: z.uuid() }).loose() }) },
        409: "Another person in this tenant has that employee number",
      },
      handler: async ({ auth: { scope }, body }) => ({ person: await createPerson(scope, body) }),
    }),
  }),
);

export const loader = route.loader;
export const action = route.action;
