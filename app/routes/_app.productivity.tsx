// Factory productivity section (SPEC P3-P5): tabs over the dashboard, people/stations, models, settings. The
// people a factory tracks are "people" on every page (the API keeps worker_id): "Workers" are Argus's processes.
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { requireTenant } from "~/auth/guards.server";
import { listAlerts } from "~/models/productivity/drift.server";
import { hasRole } from "~/models/scope.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { scope } = await requireTenant(request, context);
  const openAlerts = (await listAlerts(scope, "open", 50)).length;
  return data({ isAdmin: hasRole(scope.role, "admin"), openAlerts });
}

export default function ProductivityLayout() {
  const { isAdmin, openAlerts } = useLoaderData<typeof loader>();
  const tabs = [
    { to: "/productivity", label: "Dashboard", end: true },
    { to: "/productivity/people", label: "People & stations" },
    { to: "/productivity/models", label: openAlerts ? `Models & alerts (${openAlerts})` : "Models & alerts" },
    ...(isAdmin ? [{ to: "/productivity/settings", label: "Settings & data" }] : []),
  ];
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-2xl font-bold tracking-tight">Productivity</h1>
        <a href="/api-docs" className="text-sm text-indigo-600 hover:underline">
          API docs
        </a>
      </div>
      <nav aria-label="Productivity" className="flex flex-wrap gap-1 border-b border-slate-200">
        {tabs.map((t) => (
          <NavLink
            key={t.to}
            to={t.to}
            end={t.end}
            className={({ isActive }) =>
              `-mb-px border-b-2 px-3 py-2 text-sm font-medium ${isActive ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-600 hover:text-slate-900"}`
            }
          >
            {t.label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </div>
  );
}
