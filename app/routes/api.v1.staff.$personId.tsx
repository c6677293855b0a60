// /api/v1/staff/:personId: one person (viewer+), edit or (de)activate (operator+), delete (admin). Deleting removes
// the person's enrolment images, embeddings and recognition events at once, in one transaction (docs/staff.md).
import { z } from "zod";
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute, jsonBody, uuidParam } from "~/http/api-route.server";
import { deletePerson, getPerson, personPatchSchema, updatePerson } from "~/models/staff/people.server";

const params = z.object({ personId: uuidParam("personId") });

const route = defineApiRoute(
  { path: "/api/v1/staff/{personId}", tag: "Staff", params, unsupportedGuard: tenantMember("viewer") },
  (op) => ({
    get: op({
      summary: "A person of the staff directory",
      auth: tenantMember("viewer"),
      responses: { 200: "`{person}`", 404: "No such person in the tenant" },
      handler: async ({ auth: { scope }, params }) => ({ person: await getPerson(scope, params.personId) }),
    }),
    patch: op({
      summary: "Rename, renumber, move or (de)activate a person",
      description: "Inactive people stay in the directory but leave the recognition gallery.",
      auth: tenantMember("operator"),
      body: jsonBody(personPatchSchema),
      responses: { 200: "`{person}`", 404: "No such person in the tenant", 409: "Employee number taken" },
      handler: async ({ auth: { scope }, params, body }) => ({
        person: await updatePerson(scope, params.personId, body),
      }),
    }),
    delete: op({
      summary: "Delete a person with their images, embeddings and recognition events",
      auth: tenantMember("admin"),
      responses: { 200: "`{deleted: {images, events}}`", 404: "No such person in the tenant" },
      handler: async ({ auth: { scope }, params }) => ({ deleted: await deletePerson(scope, params.personId) }),
    }),
  }),
);

export const loader = route.loader;
export const action = route.action;
