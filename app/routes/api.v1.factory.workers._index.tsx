// /api/v1/factory/workers: the tenant's workers (people). GET lists, POST creates (operator+).
// (/api/v1/workers belongs to the worker-process fleet.)
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { createWorker, listWorkers } from "~/models/productivity/entities.server";
import { readJsonBody } from "~/models/productivity/http.server";
import { workerInputSchema } from "~/models/productivity/schemas";
import { api, methodNotAllowed } from "~/utils/api.server";

export const loader = api(async ({ request, context }: LoaderFunctionArgs) => {
  const { scope } = await requireTenant(request, context);
  return Response.json({ workers: await listWorkers(scope) });
});

export const action = api(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const { scope } = await requireTenant(request, context, "operator");
  return Response.json(await createWorker(scope, await readJsonBody(request, workerInputSchema)), { status: 201 });
});
