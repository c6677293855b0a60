// POST /api/v1/data/seed: sample workers and workstations (P4: tenant admin session or an admin's API key).
// An empty body means the documented sample factory: W1-W6 and S1-S6.
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireDataAdmin } from "~/models/productivity/access.server";
import { seedSampleEntities } from "~/models/productivity/generate.server";
import { readOptionalJsonBody } from "~/models/productivity/http.server";
import { seedInputSchema } from "~/models/productivity/schemas";
import { api, methodNotAllowed } from "~/utils/api.server";

export const loader = () => methodNotAllowed(["POST"]);

export const action = api(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const scope = await requireDataAdmin(request, context);
  const seeded = await seedSampleEntities(scope, await readOptionalJsonBody(request, seedInputSchema));
  return Response.json(
    { message: `Seeded ${seeded.workers} workers and ${seeded.workstations} workstations`, ...seeded },
    { status: 201 },
  );
});
