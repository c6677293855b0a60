// POST /api/v1/data/seed: sample workers and workstations (P4, admin).
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { seedSampleEntities } from "~/models/productivity/generate.server";
import { readOptionalJsonBody } from "~/models/productivity/http.server";
import { seedInputSchema } from "~/models/productivity/schemas";
import { api, methodNotAllowed } from "~/utils/api.server";

export const loader = () => methodNotAllowed(["POST"]);

export const action = api(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const { scope } = await requireTenant(request, context, "admin");
  return Response.json(await seedSampleEntities(scope, await readOptionalJsonBody(request, seedInputSchema)), {
    status: 201,
  });
});
