// /api/v1/factory/settings: per-tenant productivity settings. GET (viewer), PATCH (admin).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import { readJsonBody } from "~/models/productivity/http.server";
import { settingsUpdateSchema } from "~/models/productivity/schemas";
import { getSettings, updateSettings } from "~/models/productivity/settings.server";
import { api, methodNotAllowed } from "~/utils/api.server";

export const loader = api(async ({ request, context }: LoaderFunctionArgs) => {
  const { scope } = await requireTenant(request, context);
  return Response.json(await getSettings(scope));
});

export const action = api(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "PATCH" && request.method !== "PUT") return methodNotAllowed(["GET", "PATCH"]);
  const { scope } = await requireTenant(request, context, "admin");
  return Response.json(await updateSettings(scope, await readJsonBody(request, settingsUpdateSchema)));
});
