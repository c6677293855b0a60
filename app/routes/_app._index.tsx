// Overview of the active tenant: the first-run checklist (issue 12 §2), its sites, members, and live activity from
// the audit hypertable.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { z } from "zod";
import { ActivityChart } from "~/components/activity-chart";
import { DISMISS_INTENT, FirstRunChecklist, RestoreFirstRun, RESTORE_INTENT } from "~/components/first-run-checklist";
import { Card } from "~/components/form";
import { LiveIndicator } from "~/components/live-indicator";
import { LocalTime } from "~/components/local-time";
import { useRealtime } from "~/components/use-realtime";
import { requireTenant, resolveTenant } from "~/auth/guards.server";
import { hourlyActivity, listRecentAudit } from "~/models/audit.server";
import { getFirstRunChecklist, markFirstRun, restoreFirstRun } from "~/models/first-run.server";
import { listSites } from "~/models/sites.server";
import { listMembers } from "~/models/users.server";

export const meta: MetaFunction = () => [{ title: "Overview · Argus" }];

const actionSchema = z.object({ intent: z.enum([DISMISS_INTENT, RESTORE_INTENT]) });

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (!(await resolveTenant(request, context)).tenant) return null;
  const { scope, tenant } = await requireTenant(request, context);
  const [sites, members, recent, activity, firstRun] = await Promise.all([
    listSites(scope),
    listMembers(scope),
    listRecentAudit(scope.db, scope.tenantId, 15),
    hourlyActivity(scope.db, scope.tenantId, 24),
    getFirstRunChecklist(scope),
  ]);
  return {
    tenant,
    siteCount: sites.length,
    memberCount: members.length,
    activity,
    recent: recent.map((e) => ({ time: e.time.toISOString(), action: e.action, userId: e.userId })),
    firstRun,
    // The worker command names this server as the browser reached it.
    serverUrl: new URL(request.url).origin,
  };
}

/** Dismiss or bring back the checklist: each member's own choice, so any role may. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { scope } = await requireTenant(request, context);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ error: "Unknown action" }, { status: 400 });
  if (parsed.data.intent === DISMISS_INTENT) await markFirstRun(scope, "dismissed");
  else await restoreFirstRun(scope);
  return { ok: true };
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
        <LiveIndicator connected={connected} />
      </div>
      {data.firstRun.dismissed ? null : <FirstRunChecklist checklist={data.firstRun} serverUrl={data.serverUrl} />}
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
      {data.firstRun.dismissed ? <RestoreFirstRun /> : null}
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
