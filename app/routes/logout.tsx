import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { invalidateSession, serializeBlankSessionCookie } from "~/auth/session.server";
import { recordAudit } from "~/models/audit.server";

export async function loader() {
  // Signing out changes state, so it is a POST (the user menu's button); a GET just goes home.
  return redirect("/");
}

export async function action({ context }: ActionFunctionArgs) {
  const { db } = context.services;
  if (context.auth) {
    await invalidateSession(db, context.auth.session.id);
    await recordAudit(db, {
      tenantId: context.auth.session.activeTenantId,
      userId: context.auth.user.id,
      action: "logout",
      ip: context.clientIp,
    });
  }
  return redirect("/login", { headers: { "Set-Cookie": serializeBlankSessionCookie(context.secure) } });
}
