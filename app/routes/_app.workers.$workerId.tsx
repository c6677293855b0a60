// Worker detail (SPEC A2, A4): live status, stats charts, current and past assignments, command history
// with ack state, status changes; maintenance toggle, commands and removal. Status, load and stats arrive live as
// fleet:worker events; assignment and command changes re-run the loader (useRevalidateOn). A shared worker
// (issue 12) shows this tenant's cameras only, and only platform admins change it.
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { z } from "zod";
import { requireTenant } from "~/auth/guards.server";
import { ConfirmButton } from "~/components/confirm-button";
import { Button, Card, FormError, PageHeader } from "~/components/form";
import { LoadBar, WorkerKindBadge, WorkerStatusBadge } from "~/components/fleet/badges";
import { useLiveSamples, useLiveWorkers, useRevalidateOn } from "~/components/fleet/use-fleet-live";
import { WorkerCharts } from "~/components/fleet/worker-charts";
import { chartLinks } from "~/components/charts/time-chart";
import { LocalTime } from "~/components/local-time";
import { EmptyRow, Table, Td } from "~/components/table";
import { asLocalError } from "~/fleet/http.server";
import {
  METRIC_HISTORY_MS,
  releaseCamera,
  removeWorker,
  sendCommand,
  setMaintenance,
  workerDetail,
} from "~/fleet/operations.server";
import { hasRole } from "~/models/scope.server";
import { HttpError } from "~/utils/errors.server";
import type { WorkerView } from "~/fleet/views";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.worker.name ?? "Worker"} · Workers · Argus` },
];

export const links: LinksFunction = chartLinks;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { scope } = await requireTenant(request, context);
  try {
    const detail = await workerDetail(context.services.fleet, scope, params.workerId ?? "");
    return {
      ...detail,
      canOperate: hasRole(scope.role, "operator") && detail.canManage,
      canAdmin: hasRole(scope.role, "admin") && detail.canManage,
      canRelease: hasRole(scope.role, "operator"),
      historyMs: METRIC_HISTORY_MS,
    };
  } catch (error) {
    const local = asLocalError(error);
    if (local instanceof HttpError) throw new Response(local.message, { status: local.status });
    throw local;
  }
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("maintenance"), on: z.enum(["true", "false"]) }),
  z.object({ intent: z.literal("release"), cameraId: z.uuid() }),
  z.object({ intent: z.literal("shutdown") }),
  z.object({ intent: z.literal("remove") }),
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { scope } = await requireTenant(request, context, "operator");
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ error: "Invalid input" }, { status: 400 });
  const fleet = context.services.fleet;
  const workerId = params.workerId ?? "";
  try {
    const input = parsed.data;
    if (input.intent === "maintenance") await setMaintenance(fleet, scope, workerId, input.on === "true");
    if (input.intent === "release") await releaseCamera(fleet, scope, input.cameraId);
    if (input.intent === "shutdown")
      await sendCommand(fleet, scope, workerId, {
        type: "SHUTDOWN",
        payload: { reason: "requested from the UI" },
        priority: 50,
      });
    if (input.intent === "remove") {
      await removeWorker(fleet, scope, workerId);
      return redirect("/workers");
    }
    return data({ error: null });
  } catch (error) {
    const local = asLocalError(error);
    if (local instanceof HttpError) return data({ error: local.message }, { status: local.status });
    throw local;
  }
}

const analysisModeLabel = { active: "detecting", idle: "idle (low rate)", off: "decode only" } as const;

/** T2: the worker's event spool, loud when events are waiting or being dropped. */
function SpoolNotice({ spool }: { spool: WorkerView["spool"] }) {
  if (!spool || (spool.pendingEvents === 0 && !spool.full && spool.droppedEvents === 0)) return null;
  const tone =
    spool.full || spool.droppedEvents > 0
      ? "bg-red-50 text-red-800 ring-red-200"
      : "bg-amber-50 text-amber-800 ring-amber-200";
  return (
    <p role="status" data-testid="worker-spool" className={`rounded-lg px-3 py-2 text-sm ring-1 ${tone}`}>
      {spool.full
        ? `Event spool full: new detection events are being dropped (${spool.droppedEvents} so far). `
        : spool.droppedEvents > 0
          ? `${spool.droppedEvents} detection events were dropped while the spool was full. `
          : ""}
      {spool.pendingEvents} events ({(spool.bytes / 1024 / 1024).toFixed(1)} MB) wait on the worker's disk for the
      server.
    </p>
  );
}

const commandTones: Record<string, string> = {
  acked: "text-emerald-700",
  sent: "text-amber-700",
  queued: "text-slate-600",
  failed: "text-red-700",
  timeout: "text-red-700",
  cancelled: "text-slate-500",
};

export default function WorkerDetailPage() {
  const loaded = useLoaderData<typeof loader>();
  const initial = useMemo(() => [loaded.worker], [loaded.worker]);
  const { workers } = useLiveWorkers(initial);
  const w = workers.find((x) => x.id === loaded.worker.id) ?? loaded.worker;
  useRevalidateOn({ workerId: w.id });
  const samples = useLiveSamples(loaded.samples, w, loaded.historyMs);
  const fetcher = useFetcher<{ error: string | null }>();
  const current = loaded.assignments.filter((a) => a.state === "pending" || a.state === "active");
  return (
    <div className="space-y-6">
      <PageHeader
        title={w.name}
        description={`Worker ${w.id} on ${w.host} · version ${w.version} · ${w.shared ? "shared: serves every tenant" : "this tenant only"}`}
        actions={
          <fetcher.Form method="post" className="flex flex-wrap items-center gap-2">
            <Link to="/workers" className="text-sm text-indigo-700 hover:underline">
              All workers
            </Link>
            {loaded.canOperate ? (
              <>
                <input type="hidden" name="on" value={String(!w.maintenance)} />
                <Button variant="secondary" name="intent" value="maintenance">
                  {w.maintenance ? "End maintenance" : "Maintenance"}
                </Button>
                {w.connected ? (
                  <ConfirmButton
                    label="Shut down"
                    question="Shut this worker down?"
                    value="shutdown"
                    busy={fetcher.state !== "idle"}
                  />
                ) : null}
              </>
            ) : null}
            {loaded.canAdmin ? (
              <ConfirmButton
                label="Remove"
                question={`Remove ${w.name}?`}
                value="remove"
                busy={fetcher.state !== "idle"}
              />
            ) : null}
          </fetcher.Form>
        }
      />
      <FormError message={fetcher.data?.error} />
      {w.shared ? (
        <p
          data-testid="worker-shared-note"
          className="rounded-lg bg-sky-50 px-3 py-2 text-sm text-sky-900 ring-1 ring-sky-200"
        >
          Shared worker: it serves every tenant. You see this tenant&apos;s cameras on it; its load counts all of them.
          {loaded.canManage ? "" : " Only a platform admin can put it in maintenance, shut it down or remove it."}
        </p>
      ) : null}
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <Stat label="Status">
          <span className="inline-flex flex-wrap gap-1">
            <WorkerStatusBadge worker={w} />
            <WorkerKindBadge shared={w.shared} />
          </span>
        </Stat>
        <Stat label="Last seen">
          <LocalTime iso={w.lastSeenAt} relative />
        </Stat>
        <Stat label="Load">
          <LoadBar assigned={w.assigned} capacity={w.capacity} />
        </Stat>
        <Stat label="CPU / memory">{w.cpuPercent === null ? "—" : `${w.cpuPercent}% · ${w.memoryMb} MB`}</Stat>
        <Stat label="Heartbeat">{w.heartbeatMs / 1000} s</Stat>
        <Stat label="Clock drift">{w.driftMs === null ? "—" : `${w.driftMs} ms`}</Stat>
      </dl>
      <SpoolNotice spool={w.spool} />
      <Card title="Stats, last hour">
        <WorkerCharts samples={samples} heartbeatMs={w.heartbeatMs} />
      </Card>
      <Card title={`Cameras (${current.length})`}>
        <Table
          caption="Current assignments"
          columns={[
            "Camera",
            "State",
            "Since",
            "FPS",
            "Decode latency",
            "Frame size",
            "Analysis",
            "Detector",
            { label: "Actions", srOnly: true, align: "right" },
          ]}
        >
          {current.length === 0 ? <EmptyRow colSpan={9}>No cameras on this worker.</EmptyRow> : null}
          {current.map((a) => {
            const health = w.cameras.find((c) => c.cameraId === a.cameraId);
            return (
              <tr key={a.id}>
                <Td>
                  <Link to={`/cameras/${a.cameraId}`} className="font-medium text-indigo-700 hover:underline">
                    {a.cameraName}
                  </Link>
                </Td>
                <Td>
                  <span data-testid="camera-stream-state" data-state={health?.state ?? ""}>
                    {a.state === "active" ? `active${health ? ` · ${health.state}` : ""}` : "pending ack"}
                  </span>
                  {health?.error ? <p className="mt-0.5 max-w-xs text-xs text-amber-700">{health.error}</p> : null}
                </Td>
                <Td className="whitespace-nowrap">
                  <LocalTime iso={a.activatedAt ?? a.createdAt} />
                </Td>
                <Td className="tabular-nums">
                  <span data-testid="camera-fps">{health ? health.fps.toFixed(1) : "—"}</span>
                </Td>
                <Td className="tabular-nums">
                  {health?.latencyMs === null || health?.latencyMs === undefined ? "—" : `${health.latencyMs} ms`}
                </Td>
                <Td className="tabular-nums">
                  <span data-testid="camera-frame-size">
                    {health?.width ? `${health.width}×${health.height}` : "—"}
                  </span>
                </Td>
                <Td>
                  <span data-testid="camera-analysis-mode" data-mode={health?.mode ?? ""}>
                    {health?.mode ? analysisModeLabel[health.mode] : "—"}
                  </span>
                  {health?.warning ? (
                    <p className="mt-0.5 text-xs font-medium text-amber-700">
                      {health.warning === "dark" ? "Scene too dark" : "Low contrast"}
                    </p>
                  ) : null}
                </Td>
                <Td className="whitespace-nowrap tabular-nums">
                  <span data-testid="camera-detector">
                    {health?.detectorMs == null
                      ? "—"
                      : `${Math.round(health.detectorMs)} ms · ${(health.detectFps ?? 0).toFixed(1)}/s · ${health.objects ?? 0} obj`}
                  </span>
                </Td>
                <Td className="text-right">
                  {loaded.canRelease ? (
                    <fetcher.Form method="post">
                      <input type="hidden" name="cameraId" value={a.cameraId} />
                      <Button variant="secondary" name="intent" value="release">
                        Release
                      </Button>
                    </fetcher.Form>
                  ) : null}
                </Td>
              </tr>
            );
          })}
        </Table>
      </Card>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card title="Commands">
          <Table caption="Command history" columns={["Command", "State", "Attempts", "Created"]}>
            {loaded.commands.length === 0 ? <EmptyRow colSpan={4}>No commands yet.</EmptyRow> : null}
            {loaded.commands.map((c) => (
              <tr key={c.id}>
                <Td>
                  <span className="font-mono text-xs">{c.type}</span>
                  {c.error ? <div className="text-xs text-red-700">{c.error}</div> : null}
                </Td>
                <Td className={`text-xs font-semibold ${commandTones[c.state]}`}>
                  {c.state === "sent" ? "sent, awaiting ack" : c.state}
                </Td>
                <Td className="tabular-nums">
                  {c.attempts}/{c.maxAttempts}
                </Td>
                <Td className="whitespace-nowrap text-xs">
                  <LocalTime iso={c.createdAt} />
                </Td>
              </tr>
            ))}
          </Table>
        </Card>
        <Card title="Status changes">
          <Table caption="Status history" columns={["Time", "Status", "Reason"]}>
            {loaded.history.length === 0 ? <EmptyRow colSpan={3}>No changes recorded.</EmptyRow> : null}
            {loaded.history.map((h, i) => (
              <tr key={`${h.time}-${i}`}>
                <Td className="whitespace-nowrap text-xs">
                  <LocalTime iso={h.time} />
                </Td>
                <Td className="text-xs font-semibold">{h.status}</Td>
                <Td className="text-xs text-slate-600">{h.reason}</Td>
              </tr>
            ))}
          </Table>
        </Card>
      </div>
      <Card title="Assignment history">
        <Table caption="Assignment history" columns={["Camera", "State", "Reason", "Created", "Ended"]}>
          {loaded.assignments.map((a) => (
            <tr key={a.id}>
              <Td>{a.cameraName}</Td>
              <Td className="text-xs font-semibold">{a.state}</Td>
              <Td className="text-xs text-slate-600">
                {a.reason}
                {a.error ? ` · ${a.error}` : ""}
              </Td>
              <Td className="whitespace-nowrap text-xs">
                <LocalTime iso={a.createdAt} />
              </Td>
              <Td className="whitespace-nowrap text-xs">{a.endedAt ? <LocalTime iso={a.endedAt} /> : "—"}</Td>
            </tr>
          ))}
        </Table>
      </Card>
    </div>
  );
}

function Stat({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="mt-1 text-sm font-medium">{children}</dd>
    </div>
  );
}
