// /api/v1/factory/workstations/{workstation_id}: GET, PATCH (operator+), DELETE (admin).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { deleteWorkstation, getWorkstation, updateWorkstation } from "~/models/productivity/entities.server";
import { readJsonBody } from "~/models/productivity/http.server";
import { workstationUpdateSchema } from "~/models/productivity/schemas";
import { api, methodNotAllowed } from "~/utils/api.server";

export const loader = api(async ({ request, context, params }: LoaderFunctionArgs) => {
  const { scope } = await requireTenant(request, context);
  return Response.json(await getWorkstation(scope, params.workstationId!));
});

export const action = api(async ({ request, context, params }: ActionFunctionArgs) => {
  if (request.method === "PATCH") {
    const { scope } = await requireTenant(request, context, "operator");
    return Response.json(
      await updateWorkstation(scope, params.workstationId!, await readJsonBody(request, workstationUpdateSchema)),
    );
  }
  if (request.method === "DELETE") {
    const { scope } = await requireTenant(request, context, "admin");
    await deleteWorkstation(scope, params.workstationId!);
    return new Response(null, { status: 204 });
  }
  return methodNotAllowed(["GET", "PATCH", "DELETE"]);
});
