// The signed-in shell: every page under it has a session and an active tenant.
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { AppShell, type NavItem } from "~/components/app-shell";
import { FlashBanner } from "~/components/flash-banner";
import { requireTenant } from "~/auth/guards.server";
import { hasRole } from "~/models/scope.server";
import { readFlash } from "~/utils/flash.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { auth, memberships, tenant } = await requireTenant(request, context);
  const { flash, headers } = await readFlash(request, context);
  // Only what works is in the navigation.
  const nav: NavItem[] = [
    { to: "/", label: "Overview" },
    { to: "/sites", label: "Sites" },
  ];
  if (hasRole(tenant.role, "admin")) nav.push({ to: "/members", label: "Members" });
  if (auth.user.isPlatformAdmin) nav.push({ to: "/tenants", label: "Tenants" });
  return data({ user: auth.user, memberships, tenant, nav, flash }, { headers });
}

export default function AppLayout() {
  const data = useLoaderData<typeof loader>();

  return (
    <AppShell user={data.user} tenants={data.memberships} activeTenant={data.tenant} nav={data.nav}>
      <FlashBanner flash={data.flash} />
      <Outlet />
    </AppShell>
  );
}
