// Overview of the active tenant: its sites, members, and live activity from the audit hypertable.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { ActivityChart } from "~/components/activity-chart";
import { Card } from "~/components/form";
import { LocalTime } from "~/components/local-time";
import { useRealtime } from "~/components/use-realtime";
import { requireTenant, resolveTenant } from "~/auth/guards.server";
import { hourlyActivity, listRecentAudit } from "~/models/audit.server";
import { listSites } from "~/models/sites.server";
import { listMembers } from "~/models/users.server";

export const meta: MetaFunction = () => [{ title: "Overview · Argus" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (!(await resolveTenant(request, context)).tenant) return null;
  const { scope, tenant } = await requireTenant(request, context);
  const [sites, members, recent, activity] = await Promise.all([
    listSites(scope),
    listMembers(scope),
    listRecentAudit(scope.db, scope.tenantId, 15),
    hourlyActivity(scope.db, scope.tenantId, 24),
  ]);
  return {
    tenant,
    siteCount: sites.length,
    memberCount: members.length,
    activity,
    recent: recent.map((e) => ({ time: e.time.toISOString(), action: e.action, userId: e.userId })),
  };
}

interface ActivityItem {
  time: string;
  action: string;
  userId: string | null;
}

export default function Overview() {
  const data = useLoaderData<typeof loader>();
  if (!data) return <NoTenant />;
  return <TenantOverview data={data} />;
}

function NoTenant() {
  return (
    <div className="mx-auto max-w-md rounded-xl bg-white p-8 text-center shadow-sm ring-1 ring-slate-200">
      <h1 className="text-lg font-semibold">You are not a member of any tenant yet</h1>
      <p className="mt-2 text-sm text-slate-600">
        Ask an admin to add you to a tenant. Your account settings are under Account.
      </p>
    </div>
  );
}

function TenantOverview({ data }: { data: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>> }) {
  const [recent, setRecent] = useState<ActivityItem[]>(data.recent);
  useEffect(() => setRecent(data.recent), [data.recent]);
  const connected = useRealtime({
    audit: (event: ActivityItem) => setRecent((items) => [event, ...items].slice(0, 15)),
  });
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <h1 className="text-2xl font-bold tracking-tight">{data.tenant.tenantName}</h1>
        <span className="text-xs text-slate-500" aria-live="polite">
          {connected ? "● Live" : "○ Connecting…"}
        </span>
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        <Stat label="Sites" value={data.siteCount} href="/sites" />
        <Stat label="Members" value={data.memberCount} />
        <Stat label="Your role" value={data.tenant.role} />
      </div>
      <Card title="Activity, last 24 hours">
        <ActivityChart buckets={data.activity} />
      </Card>
      <Card title="Recent activity">
        {recent.length === 0 ? (
          <p className="text-sm text-slate-500">Nothing yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="recent-activity">
            {recent.map((item, i) => (
              <li key={`${item.time}-${i}`} className="flex justify-between py-2 text-sm">
                <span className="font-mono text-slate-700">{item.action}</span>
                <span className="text-slate-500">
                  <LocalTime iso={item.time} relative />
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

function Stat({ label, value, href }: { label: string; value: string | number; href?: string }) {
  const body = (
    <>
      <p className="text-sm text-slate-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold capitalize">{value}</p>
    </>
  );
  return href ? (
    <a href={href} className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 hover:ring-indigo-300">
      {body}
    </a>
  ) : (
    <div className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">{body}</div>
  );
}
