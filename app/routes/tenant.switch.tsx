// Tenant switcher (U2): moves the session's active tenant after checking the membership.
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireUser } from "~/auth/guards.server";
import { setActiveTenant } from "~/auth/session.server";
import { scopeFor } from "~/models/scope.server";
import { redirectWithFlash } from "~/utils/flash.server";

export const loader = () => redirect("/");

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireUser(request, context);
  const form = await request.formData();
  const tenantId = String(form.get("tenantId") ?? "");
  const { db } = context.services;
  if (!/^[0-9a-f-]{36}$/i.test(tenantId))
    return redirectWithFlash("/", { type: "error", message: "Pick a tenant" }, context);
  try {
    await scopeFor(db, auth.user.id, tenantId);
  } catch {
    return redirectWithFlash("/", { type: "error", message: "You are not a member of that tenant" }, context);
  }
  await setActiveTenant(db, auth.session.id, tenantId);
  return redirect("/");
}
