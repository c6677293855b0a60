// /api/v1/factory/workers/{worker_id}: GET, PATCH (operator+), DELETE (admin; past events stay).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { deleteWorker, getWorker, updateWorker } from "~/models/productivity/entities.server";
import { readJsonBody } from "~/models/productivity/http.server";
import { workerUpdateSchema } from "~/models/productivity/schemas";
import { api, methodNotAllowed } from "~/utils/api.server";

export const loader = api(async ({ request, context, params }: LoaderFunctionArgs) => {
  const { scope } = await requireTenant(request, context);
  return Response.json(await getWorker(scope, params.workerId!));
});

export const action = api(async ({ request, context, params }: ActionFunctionArgs) => {
  if (request.method === "PATCH") {
    const { scope } = await requireTenant(request, context, "operator");
    return Response.json(await updateWorker(scope, params.workerId!, await readJsonBody(request, workerUpdateSchema)));
  }
  if (request.method === "DELETE") {
    const { scope } = await requireTenant(request, context, "admin");
    await deleteWorker(scope, params.workerId!);
    return new Response(null, { status: 204 });
  }
  return methodNotAllowed(["GET", "PATCH", "DELETE"]);
});
