// Productivity dashboard (SPEC P3): summary cards, people and workstation tables (click a row to
// filter), utilisation chart, time-range presets, live refresh when events arrive. The API calls people
// "workers" (worker_id); the pages say "people", because "Workers" in the navigation are Argus's processes.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { chartLinks } from "~/components/charts/time-chart";
import { Card, FormError } from "~/components/form";
import { LiveIndicator } from "~/components/live-indicator";
import { countOf } from "~/components/plural";
import { describeIssues, formatHours, formatNumber, formatPercent, formatRate } from "~/components/productivity/format";
import { presetFrom, RANGE_PRESETS } from "~/components/productivity/range";
import { StatCard } from "~/components/productivity/stat-card";
import { UtilisationChart } from "~/components/productivity/utilisation-chart";
import { useRealtime } from "~/components/use-realtime";
import { useThrottledRevalidate } from "~/components/use-throttled-revalidate";
import { requireTenant } from "~/auth/guards.server";
import { WorkstationSourceCell } from "~/components/detections/workstation-source-cell";
import { workstationSources } from "~/models/productivity/camera-source-view.server";
import { listAlerts } from "~/models/productivity/drift.server";
import { dashboardMetrics } from "~/models/productivity/metrics.server";
import { externalIdSchema, rangeQuerySchema } from "~/models/productivity/schemas";

export const meta: MetaFunction = () => [{ title: "Productivity · Argus" }];
export const links = chartLinks;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { scope } = await requireTenant(request, context);
  const url = new URL(request.url);
  // A custom range (?start_time=&end_time=, ISO with zone) wins over the preset (?range=7d).
  const custom = rangeQuerySchema.safeParse({
    start_time: url.searchParams.get("start_time") ?? undefined,
    end_time: url.searchParams.get("end_time") ?? undefined,
  });
  const isCustom = custom.success && Boolean(custom.data.start_time && custom.data.end_time);
  const rangeError =
    !custom.success && (url.searchParams.has("start_time") || url.searchParams.has("end_time"))
      ? describeIssues(custom.error.issues)
      : null;
  const preset = isCustom ? null : presetFrom(url.searchParams.get("range"));
  const end = isCustom ? new Date(custom.data!.end_time!) : new Date();
  const start = isCustom ? new Date(custom.data!.start_time!) : new Date(end.getTime() - RANGE_PRESETS[preset!]);
  const id = (name: string) => externalIdSchema.safeParse(url.searchParams.get(name)).data ?? null;
  const filter = { workerId: id("worker"), workstationId: id("workstation") };
  const [dashboard, alerts, sources] = await Promise.all([
    dashboardMetrics(scope, { start, end }, filter),
    listAlerts(scope, "open", 5),
    workstationSources(scope), // issue 13: camera zone / on-device / API, and the live state
  ]);
  return { dashboard, preset, alerts, rangeError, sources };
}

const REVALIDATE_EVERY_MS = 3000;

export default function ProductivityDashboard() {
  const { dashboard, preset, alerts, rangeError, sources } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  // Live refresh, throttled: at most one refetch every few seconds however fast events arrive.
  const revalidate = useThrottledRevalidate(REVALIDATE_EVERY_MS);
  const connected = useRealtime({ "productivity:events": () => revalidate() });
  const f = dashboard.factory;
  const link = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    return `?${next.toString()}`;
  };
  const toggle = (key: "worker" | "workstation", id: string) => link({ [key]: params.get(key) === id ? null : id });

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <div role="group" aria-label="Time range" className="inline-flex rounded-md shadow-sm ring-1 ring-slate-300">
          {Object.keys(RANGE_PRESETS).map((p) => (
            <Link
              key={p}
              to={link({ range: p, start_time: null, end_time: null })}
              aria-current={p === preset ? "true" : undefined}
              className={`px-3 py-1.5 text-sm first:rounded-l-md last:rounded-r-md ${p === preset ? "bg-indigo-600 text-white" : "bg-white text-slate-700 hover:bg-slate-50"}`}
            >
              Last {p}
            </Link>
          ))}
        </div>
        <CustomRange
          key={preset ?? `${dashboard.range.start_time}|${dashboard.range.end_time}`}
          start={dashboard.range.start_time}
          end={dashboard.range.end_time}
          onApply={(start, end) => navigate(link({ start_time: start, end_time: end, range: null }))}
        />
        {dashboard.filter.worker_id ? (
          <FilterChip label={`Person ${dashboard.filter.worker_id}`} to={link({ worker: null })} />
        ) : null}
        {dashboard.filter.workstation_id ? (
          <FilterChip label={`Workstation ${dashboard.filter.workstation_id}`} to={link({ workstation: null })} />
        ) : null}
        <span className="ml-auto">
          <LiveIndicator connected={connected} />
        </span>
      </div>

      {rangeError ? <FormError message={`Time range ignored: ${rangeError}`} /> : null}
      {alerts.length ? (
        <div role="alert" className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200">
          <strong>
            {alerts.length} open model alert{alerts.length > 1 ? "s" : ""}:
          </strong>{" "}
          {alerts[0].message}{" "}
          <Link to="/productivity/models" className="font-medium underline">
            Review
          </Link>
        </div>
      ) : null}

      <div className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
        <StatCard
          label="Productive time"
          value={formatHours(f.total_productive_seconds)}
          hint={`idle ${formatHours(f.total_idle_seconds)}`}
        />
        <StatCard label="Production" value={formatNumber(f.total_production)} hint="units" />
        <StatCard label="Average rate" value={formatRate(f.average_production_rate)} hint="units per productive hour" />
        <StatCard
          label="People utilisation"
          value={formatPercent(f.average_worker_utilisation)}
          hint={countOf(f.active_workers, "active person", "active people")}
        />
        <StatCard label="Station utilisation" value={formatPercent(f.average_workstation_utilisation)} />
        <StatCard
          label="Events"
          value={formatNumber(f.event_count)}
          hint={`each state = ${f.state_duration_seconds / 60} min`}
        />
      </div>

      <Card title="Utilisation over time">
        <UtilisationChart points={dashboard.series.points} step={dashboard.series.step} range={dashboard.range} />
      </Card>

      {/* grid-cols-1 (minmax(0, 1fr)): the tables scroll inside their cards on a phone, not the page. */}
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
        <Card title="People">
          <Table
            testId="workers-table"
            head={["Person", "Active", "Idle", "Absent", "Utilisation", "Units", "Units/h"]}
            rows={dashboard.workers.map((w) => ({
              key: w.worker_id,
              selected: dashboard.filter.worker_id === w.worker_id,
              onClick: () => navigate(toggle("worker", w.worker_id), { preventScrollReset: true }),
              cells: [
                <Link
                  key="id"
                  to={toggle("worker", w.worker_id)}
                  preventScrollReset
                  className="font-medium text-indigo-700 hover:underline"
                >
                  {w.worker_id}
                  {w.name ? ` · ${w.name}` : ""}
                </Link>,
                formatHours(w.active_seconds),
                formatHours(w.idle_seconds),
                formatHours(w.absent_seconds),
                formatPercent(w.utilisation),
                formatNumber(w.units_produced),
                formatRate(w.units_per_active_hour),
              ],
            }))}
          />
        </Card>
        <Card title="Workstations">
          <Table
            testId="workstations-table"
            head={["Station", "Source · now", "Occupied", "Utilisation", "Units", "Units/occupied h"]}
            rows={dashboard.workstations.map((s) => ({
              key: s.workstation_id,
              selected: dashboard.filter.workstation_id === s.workstation_id,
              onClick: () => navigate(toggle("workstation", s.workstation_id), { preventScrollReset: true }),
              cells: [
                <Link
                  key="id"
                  to={toggle("workstation", s.workstation_id)}
                  preventScrollReset
                  className="font-medium text-indigo-700 hover:underline"
                >
                  {s.workstation_id}
                  {s.name ? ` · ${s.name}` : ""}
                </Link>,
                <WorkstationSourceCell key="source" view={sources[s.workstation_id]} />,
                formatHours(s.occupancy_seconds),
                formatPercent(s.utilisation),
                formatNumber(s.units_produced),
                formatRate(s.throughput_per_occupied_hour),
              ],
            }))}
          />
        </Card>
      </div>
    </div>
  );
}

function FilterChip({ label, to }: { label: string; to: string }) {
  return (
    <span
      className="inline-flex items-center gap-1 rounded-full bg-indigo-50 px-3 py-1 text-sm text-indigo-800 ring-1 ring-indigo-200"
      data-testid="active-filter"
    >
      {label}
      <Link to={to} aria-label={`Clear filter ${label}`} className="ml-1 font-bold hover:text-indigo-950">
        ×
      </Link>
    </span>
  );
}

function Table({
  head,
  rows,
  testId,
}: {
  head: string[];
  rows: Array<{ key: string; selected: boolean; onClick: () => void; cells: React.ReactNode[] }>;
  testId: string;
}) {
  if (!rows.length)
    return (
      <p className="text-sm text-slate-500">
        None yet. Add them under “People & stations” or seed sample data under “Settings & data”.
      </p>
    );
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-sm" data-testid={testId}>
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
            {head.map((h, i) => (
              <th key={h} className={`py-2 pr-3 font-medium ${i ? "text-right" : ""}`}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr
              key={r.key}
              onClick={(e) => {
                if (!(e.target as HTMLElement).closest("a")) r.onClick();
              }}
              aria-selected={r.selected}
              className={`cursor-pointer ${r.selected ? "bg-indigo-50" : "hover:bg-slate-50"}`}
            >
              {r.cells.map((c, i) => (
                <td key={i} className={`py-2 pr-3 ${i ? "text-right tabular-nums" : ""}`}>
                  {c}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** datetime-local inputs are in the viewer's zone; the URL carries UTC ISO instants. */
function CustomRange({
  start,
  end,
  onApply,
}: {
  start: string | null;
  end: string | null;
  onApply: (start: string, end: string) => void;
}) {
  const toLocal = (iso: string | null) => {
    if (!iso) return "";
    const d = new Date(iso);
    return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  };
  const [from, setFrom] = useState(() => toLocal(start));
  const [to, setTo] = useState(() => toLocal(end));
  return (
    <form
      className="flex flex-wrap items-end gap-2 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        if (from && to) onApply(new Date(from).toISOString(), new Date(to).toISOString());
      }}
    >
      {/* Wraps on a phone: From on one line, To and Apply on the next, nothing cut off (issue 12). */}
      <label className="flex flex-col text-xs text-slate-600">
        From
        <input
          id="range-from"
          type="datetime-local"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          className="mt-0.5 rounded-md border border-slate-300 px-2 py-1 text-sm text-slate-900"
        />
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        To
        <input
          id="range-to"
          type="datetime-local"
          value={to}
          onChange={(e) => setTo(e.target.value)}
          className="mt-0.5 rounded-md border border-slate-300 px-2 py-1 text-sm text-slate-900"
        />
      </label>
      <button type="submit" className="rounded-md px-2 py-1 text-indigo-700 ring-1 ring-slate-300 hover:bg-slate-50">
        Apply
      </button>
    </form>
  );
}
