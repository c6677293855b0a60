// /api/v1/api-keys: tenant API keys (admin). GET lists (never the secret), POST issues one and
// returns the secret once.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { createApiKey, listApiKeys } from "~/models/productivity/api-keys.server";
import { readJsonBody } from "~/models/productivity/http.server";
import { apiKeyInputSchema } from "~/models/productivity/schemas";
import { api, methodNotAllowed } from "~/utils/api.server";

export const loader = api(async ({ request, context }: LoaderFunctionArgs) => {
  const { scope } = await requireTenant(request, context, "admin");
  return Response.json({ api_keys: await listApiKeys(scope) });
});

export const action = api(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const { scope } = await requireTenant(request, context, "admin");
  return Response.json(await createApiKey(scope, await readJsonBody(request, apiKeyInputSchema)), { status: 201 });
});
