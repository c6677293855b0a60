// The signed-in shell: every page under it has a session; pages that need a tenant guard for it.
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { AppShell, type NavItem } from "~/components/app-shell";
import { FlashBanner } from "~/components/flash-banner";
import { reconnectRealtime } from "~/components/use-realtime";
import { resolveTenant } from "~/auth/guards.server";
import { hasRole } from "~/models/scope.server";
import { readFlash } from "~/utils/flash.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  // A user without memberships still reaches /account (and /tenants as a platform admin).
  const { auth, memberships, tenant } = await resolveTenant(request, context);
  const { flash, headers } = await readFlash(request, context);
  // Only what works is in the navigation.
  const nav: NavItem[] = [];
  if (tenant) nav.push({ to: "/", label: "Overview" }, { to: "/sites", label: "Sites" });
  if (tenant) nav.push({ to: "/cameras", label: "Cameras" }, { to: "/live", label: "Live" });
  if (tenant) nav.push({ to: "/workers", label: "Workers" }, { to: "/detection-models", label: "Models" });
  if (tenant) nav.push({ to: "/analytics", label: "Analytics" }, { to: "/productivity", label: "Productivity" });
  if (tenant) nav.push({ to: "/staff", label: "Staff" }, { to: "/attendance", label: "Attendance" }); // issue 14
  if (tenant && hasRole(tenant.role, "admin")) nav.push({ to: "/members", label: "Members" });
  if (auth.user.isPlatformAdmin) nav.push({ to: "/tenants", label: "Tenants" });
  return data({ user: auth.user, memberships, tenant, nav, flash }, { headers });
}

export default function AppLayout() {
  const data = useLoaderData<typeof loader>();
  const tenantId = data.tenant?.tenantId;
  const previousTenant = useRef(tenantId);
  useEffect(() => {
    // Switching tenants happens without a page load; the socket must move to the new tenant's room.
    if (previousTenant.current !== tenantId) reconnectRealtime();
    previousTenant.current = tenantId;
  }, [tenantId]);

  return (
    <AppShell user={data.user} tenants={data.memberships} activeTenant={data.tenant} nav={data.nav}>
      <FlashBanner flash={data.flash} />
      <Outlet />
    </AppShell>
  );
}
