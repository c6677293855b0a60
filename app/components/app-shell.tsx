import { Form, NavLink, useSubmit } from "@remix-run/react";
import { useState, type ReactNode } from "react";

export interface ShellUser {
  name: string;
  email: string;
  isPlatformAdmin: boolean;
}
export interface ShellTenant {
  tenantId: string;
  tenantName: string;
  role: "admin" | "operator" | "viewer";
}
export interface NavItem {
  to: string;
  label: string;
}

export function AppShell(props: {
  user: ShellUser;
  tenants: ShellTenant[];
  activeTenant: ShellTenant | null;
  nav: NavItem[];
  children: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  return (
    <div className="min-h-full">
      <header className="relative border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 sm:px-6">
          {/* Named even on a phone, where the word "Argus" is hidden and only the decorative "A" shows. */}
          <a href="/" className="flex items-center gap-2 font-bold" aria-label="Argus overview">
            <span
              aria-hidden
              className="inline-flex h-8 w-8 items-center justify-center rounded-lg bg-indigo-600 text-white"
            >
              A
            </span>
            <span className="hidden sm:inline">Argus</span>
          </a>
          <button
            type="button"
            className="rounded-md px-2 py-1.5 text-sm text-slate-600 ring-1 ring-slate-200 md:hidden"
            aria-expanded={open}
            aria-controls="main-nav"
            onClick={() => setOpen((o) => !o)}
          >
            Menu
          </button>
          <nav
            id="main-nav"
            aria-label="Main"
            className={`${open ? "flex" : "hidden"} absolute inset-x-0 top-full z-10 flex-col gap-1 border-b border-slate-200 bg-white p-3 shadow-sm md:static md:flex md:flex-row md:border-0 md:p-0 md:shadow-none`}
          >
            {props.nav.map((item) => (
              <NavLink
                key={item.to}
                to={item.to}
                end={item.to === "/"}
                onClick={() => setOpen(false)}
                className={({ isActive }) =>
                  `rounded-md px-3 py-2 text-sm font-medium ${isActive ? "bg-indigo-50 text-indigo-700" : "text-slate-600 hover:bg-slate-100"}`
                }
              >
                {item.label}
              </NavLink>
            ))}
          </nav>
          <div className="ml-auto flex min-w-0 items-center gap-3">
            {props.activeTenant ? (
              <TenantSwitcher tenants={props.tenants} active={props.activeTenant} />
            ) : (
              <span className="text-sm text-slate-500">No tenant</span>
            )}
            <UserMenu user={props.user} role={props.activeTenant?.role ?? "none"} />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-7xl px-4 py-6 sm:px-6">{props.children}</main>
    </div>
  );
}

function TenantSwitcher({ tenants, active }: { tenants: ShellTenant[]; active: ShellTenant }) {
  const submit = useSubmit();
  if (tenants.length < 2) {
    return (
      <span className="max-w-[10rem] truncate text-sm text-slate-600 sm:max-w-xs" data-testid="tenant-name">
        {active.tenantName}
      </span>
    );
  }
  return (
    <Form method="post" action="/tenant/switch" className="min-w-0" onChange={(e) => submit(e.currentTarget)}>
      <label htmlFor="tenant-switcher" className="sr-only">
        Tenant
      </label>
      <select
        id="tenant-switcher"
        name="tenantId"
        defaultValue={active.tenantId}
        key={active.tenantId}
        // A long tenant name must not push the header past a phone's width: the select shrinks, the options do not.
        className="w-full max-w-[10rem] truncate rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm sm:max-w-xs"
      >
        {tenants.map((t) => (
          <option key={t.tenantId} value={t.tenantId}>
            {t.tenantName}
          </option>
        ))}
      </select>
      <noscript>
        <button type="submit" className="ml-2 text-sm">
          Switch
        </button>
      </noscript>
    </Form>
  );
}

function UserMenu({ user, role }: { user: ShellUser; role: string }) {
  return (
    <details className="relative">
      <summary
        className="cursor-pointer list-none rounded-full bg-slate-100 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-200"
        aria-label="User menu"
      >
        {user.name}
      </summary>
      <div className="absolute right-0 z-20 mt-2 w-60 rounded-lg bg-white p-2 shadow-lg ring-1 ring-slate-200">
        <p className="px-2 py-1 text-xs text-slate-500">{user.email}</p>
        <p className="px-2 pb-2 text-xs text-slate-500">
          Role: {role}
          {user.isPlatformAdmin ? " · platform admin" : ""}
        </p>
        <a href="/account" className="block rounded-md px-2 py-1.5 text-sm hover:bg-slate-100">
          Account
        </a>
        <Form method="post" action="/logout">
          <button type="submit" className="w-full rounded-md px-2 py-1.5 text-left text-sm hover:bg-slate-100">
            Sign out
          </button>
        </Form>
      </div>
    </details>
  );
}
