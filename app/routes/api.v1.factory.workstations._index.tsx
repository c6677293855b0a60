// /api/v1/factory/workstations: GET lists, POST creates (operator+).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { createWorkstation, listWorkstations } from "~/models/productivity/entities.server";
import { readJsonBody } from "~/models/productivity/http.server";
import { workstationInputSchema } from "~/models/productivity/schemas";
import { api, methodNotAllowed } from "~/utils/api.server";

export const loader = api(async ({ request, context }: LoaderFunctionArgs) => {
  const { scope } = await requireTenant(request, context);
  return Response.json({ workstations: await listWorkstations(scope) });
});

export const action = api(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const { scope } = await requireTenant(request, context, "operator");
  return Response.json(await createWorkstation(scope, await readJsonBody(request, workstationInputSchema)), {
    status: 201,
  });
});
