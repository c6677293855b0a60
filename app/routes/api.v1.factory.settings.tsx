// /api/v1/factory/settings: per-tenant productivity settings. GET (viewer), PATCH (admin; PUT is taken too).
import { tenantMember } from "~/http/api-route-guards.server";
import { jsonBodyExplained } from "~/http/api-route-input.server";
import { defineApiRoute } from "~/http/api-route.server";
import { settingsSchema, settingsUpdateSchema } from "~/models/productivity/schemas";
import { getSettings, updateSettings } from "~/models/productivity/settings.server";

const route = defineApiRoute({ path: "/api/v1/factory/settings", tag: "Settings" }, (op) => ({
  get: op({
    summary: "Productivity settings",
    auth: tenantMember("viewer"),
    responses: { 200: { description: "OK", schema: settingsSchema } },
    handler: ({ auth: { scope } }) => getSettings(scope),
  }),
  patch: op({
    summary: "Change productivity settings",
    auth: tenantMember("admin"),
    aliases: ["put"],
    body: jsonBodyExplained(settingsUpdateSchema),
    responses: { 200: { description: "OK", schema: settingsSchema } },
    handler: ({ auth: { scope }, body }) => updateSettings(scope, body),
  }),
}));

export const loader = route.loader;
export const action = route.action;
