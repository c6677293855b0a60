// Workers page (SPEC A1, A4, W8): live table with search and status filter; issue (shown once) and
// revoke worker credentials; maintenance and removal. Live updates arrive as fleet:worker events. Shared workers
// (issue 12: a platform admin's credential, or the built-in local worker) serve every tenant and are marked so;
// only platform admins change them or issue shared credentials.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { requireTenant } from "~/auth/guards.server";
import { ConfirmButton } from "~/components/confirm-button";
import { Button, Card, Field, FormError, PageHeader } from "~/components/form";
import { LoadBar, WorkerKindBadge, WorkerStatusBadge } from "~/components/fleet/badges";
import { useLiveWorkers } from "~/components/fleet/use-fleet-live";
import { LiveIndicator } from "~/components/live-indicator";
import { LocalTime } from "~/components/local-time";
import { SecretOnce } from "~/components/secret-once";
import { EmptyRow, Table, Td } from "~/components/table";
import { asLocalError } from "~/fleet/http.server";
import {
  fleetStats,
  issueCredential,
  listWorkerViews,
  removeWorker,
  revokeCredential,
  setMaintenance,
  workerFilterSchema,
} from "~/fleet/operations.server";
import type { CredentialView, WorkerView } from "~/fleet/views";
import { listCameras } from "~/models/cameras.server";
import { hasRole } from "~/models/scope.server";
import { HttpError } from "~/utils/errors.server";
import { workerStatuses } from "../../protocol";

export const meta: MetaFunction = () => [{ title: "Workers · Argus" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { scope, auth } = await requireTenant(request, context);
  const fleet = context.services.fleet;
  const url = new URL(request.url);
  const filter = workerFilterSchema.safeParse({
    status: url.searchParams.get("status") || undefined,
    q: url.searchParams.get("q") || undefined,
  });
  const canAdmin = hasRole(scope.role, "admin");
  return {
    workers: listWorkerViews(fleet, scope),
    filter: filter.success ? filter.data : {},
    stats: await fleetStats(fleet, scope, await listCameras(scope)),
    credentials: canAdmin ? await fleet.credentials.list(scope.tenantId) : [],
    canAdmin,
    canOperate: hasRole(scope.role, "operator"),
    isPlatformAdmin: auth.user.isPlatformAdmin,
    serverUrl: url.origin,
  };
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("issue-credential"),
    name: z.string().trim().min(1, "Name is required").max(100),
    shared: z.literal("on").optional(),
  }),
  z.object({ intent: z.literal("revoke-credential"), credentialId: z.uuid() }),
  z.object({ intent: z.literal("maintenance"), workerId: z.string().min(1), on: z.enum(["true", "false"]) }),
  z.object({ intent: z.literal("remove"), workerId: z.string().min(1) }),
]);

interface ActionResult {
  error?: string;
  issued?: { name: string; credential: string; shared: boolean };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { scope } = await requireTenant(request, context, "operator");
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success)
    return data<ActionResult>({ error: parsed.error.issues[0]?.message ?? "Invalid input" }, { status: 400 });
  const fleet = context.services.fleet;
  const input = parsed.data;
  try {
    if (input.intent === "issue-credential") {
      const issued = await issueCredential(fleet, scope, { name: input.name, shared: input.shared === "on" });
      return data<ActionResult>({
        issued: { name: issued.name, credential: issued.credential, shared: issued.shared },
      });
    }
    if (input.intent === "revoke-credential") await revokeCredential(fleet, scope, input.credentialId);
    if (input.intent === "maintenance") await setMaintenance(fleet, scope, input.workerId, input.on === "true");
    if (input.intent === "remove") await removeWorker(fleet, scope, input.workerId);
    return data<ActionResult>({});
  } catch (error) {
    const local = asLocalError(error);
    if (local instanceof HttpError) return data<ActionResult>({ error: local.message }, { status: local.status });
    throw local;
  }
}

function matches(w: WorkerView, filter: { status?: string; q?: string }): boolean {
  const q = filter.q?.toLowerCase();
  return (
    (!filter.status || w.status === filter.status) &&
    (!q || [w.id, w.name, w.host].some((s) => s.toLowerCase().includes(q)))
  );
}

export default function WorkersPage() {
  const loaded = useLoaderData<typeof loader>();
  const { workers, connected } = useLiveWorkers(loaded.workers);
  const [params] = useSearchParams();
  const filter = { status: params.get("status") ?? undefined, q: params.get("q") ?? undefined };
  const shown = workers.filter((w) => matches(w, filter));
  const s = loaded.stats;
  return (
    <div className="space-y-6">
      <PageHeader
        title="Workers"
        description="Processes that analyse camera streams. They register with a credential, heartbeat, and take cameras up to their capacity."
        actions={<LiveIndicator connected={connected} />}
      />
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {[
          ["Workers", `${s.total - s.byStatus.OFFLINE} online / ${s.total}`],
          ["Capacity in use", `${s.assigned}/${s.capacity}`],
          ["Cameras active", `${s.cameras.active}`],
          ["Cameras unassigned", `${s.cameras.unassigned}`],
        ].map(([label, value]) => (
          <div key={label} className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <dt className="text-xs text-slate-500">{label}</dt>
            <dd className="mt-1 text-lg font-semibold tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      {s.cameras.unassigned > 0 ? (
        <p
          role="status"
          data-testid="no-capacity-help"
          className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200"
        >
          {s.cameras.unassigned === 1 ? "1 camera waits" : `${s.cameras.unassigned} cameras wait`} for a worker with
          free capacity.{" "}
          {loaded.canAdmin
            ? "Start a worker on a machine with the command shown when you issue a credential below"
            : "Ask an admin of this tenant to start a worker"}
          , or ask a platform admin for room on the shared workers. They are assigned as soon as capacity appears.
        </p>
      ) : null}
      <Card
        title={`${shown.length} of ${workers.length} workers`}
        actions={
          <Form method="get" className="flex flex-wrap items-end gap-2" role="search">
            <label className="text-sm">
              <span className="sr-only">Search workers</span>
              <input
                name="q"
                type="search"
                defaultValue={filter.q}
                placeholder="Search id, name, host"
                className="rounded-md border border-slate-300 px-2 py-1.5 text-sm"
              />
            </label>
            <label className="text-sm">
              <span className="sr-only">Status</span>
              <select
                name="status"
                defaultValue={filter.status ?? ""}
                className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
                aria-label="Filter by status"
              >
                <option value="">All statuses</option>
                {workerStatuses.map((st) => (
                  <option key={st} value={st}>
                    {st}
                  </option>
                ))}
              </select>
            </label>
            <Button variant="secondary">Filter</Button>
          </Form>
        }
      >
        <Table
          caption="Workers"
          columns={[
            "Name / id",
            "Host",
            "Status",
            "Last seen",
            "Load",
            "FPS",
            "Latency",
            "Version",
            { label: "Actions", srOnly: true, align: "right" },
          ]}
        >
          {shown.length === 0 ? (
            <EmptyRow colSpan={9}>
              {workers.length
                ? "No worker matches the filter."
                : "No workers yet. Issue a credential below and start one."}
            </EmptyRow>
          ) : null}
          {shown.map((w) => (
            <WorkerRow
              key={w.id}
              worker={w}
              canOperate={loaded.canOperate && (!w.shared || loaded.isPlatformAdmin)}
              canAdmin={loaded.canAdmin && (!w.shared || loaded.isPlatformAdmin)}
            />
          ))}
        </Table>
      </Card>
      {loaded.canAdmin ? (
        // The first-run checklist links here (/workers#worker-credentials).
        <div id="worker-credentials" className="scroll-mt-4">
          <CredentialsCard
            credentials={loaded.credentials}
            serverUrl={loaded.serverUrl}
            isPlatformAdmin={loaded.isPlatformAdmin}
          />
        </div>
      ) : null}
    </div>
  );
}

function WorkerRow({
  worker: w,
  canOperate,
  canAdmin,
}: {
  worker: WorkerView;
  canOperate: boolean;
  canAdmin: boolean;
}) {
  const fetcher = useFetcher<ActionResult>();
  return (
    <tr data-testid={`worker-row-${w.name}`}>
      <Td>
        <span className="inline-flex flex-wrap items-center gap-2">
          <Link to={`/workers/${encodeURIComponent(w.id)}`} className="font-medium text-indigo-700 hover:underline">
            {w.name}
          </Link>
          <WorkerKindBadge shared={w.shared} />
        </span>
        <div className="font-mono text-xs text-slate-500">{w.id}</div>
      </Td>
      <Td className="text-slate-600">{w.host}</Td>
      <Td>
        <WorkerStatusBadge worker={w} />
      </Td>
      <Td className="whitespace-nowrap text-slate-600">
        <LocalTime iso={w.lastSeenAt} relative />
      </Td>
      <Td>
        <LoadBar assigned={w.assigned} capacity={w.capacity} />
      </Td>
      <Td className="tabular-nums text-slate-600">{w.fps === null ? "—" : w.fps.toFixed(1)}</Td>
      <Td className="tabular-nums text-slate-600">{w.latencyMs === null ? "—" : `${Math.round(w.latencyMs)} ms`}</Td>
      <Td className="text-slate-600">{w.version}</Td>
      <Td className="text-right">
        <fetcher.Form
          method="post"
          className="inline-flex flex-wrap items-center justify-end gap-2"
          aria-label={`Actions for worker ${w.name}`}
        >
          <input type="hidden" name="workerId" value={w.id} />
          {canOperate ? (
            <Button variant="secondary" name="intent" value="maintenance">
              {w.maintenance ? "End maintenance" : "Maintenance"}
            </Button>
          ) : null}
          <input type="hidden" name="on" value={String(!w.maintenance)} />
          {w.shared && !canOperate ? <span className="text-xs text-slate-500">Managed by a platform admin</span> : null}
          {canAdmin ? (
            <ConfirmButton
              label="Remove"
              question={`Remove ${w.name}?`}
              value="remove"
              busy={fetcher.state !== "idle"}
            />
          ) : null}
        </fetcher.Form>
        {fetcher.data?.error ? (
          <div className="mt-2 text-left">
            <FormError message={fetcher.data.error} />
          </div>
        ) : null}
      </Td>
    </tr>
  );
}

function CredentialsCard({
  credentials,
  serverUrl,
  isPlatformAdmin,
}: {
  credentials: CredentialView[];
  serverUrl: string;
  isPlatformAdmin: boolean;
}) {
  const fetcher = useFetcher<ActionResult>();
  const issued = fetcher.data?.issued;
  return (
    <Card title="Worker credentials">
      <p className="mb-4 text-sm text-slate-600">
        Each worker gets its own credential. It is shown once; Argus keeps only a hash. Revoking one disconnects its
        worker at once. A worker started with it serves{" "}
        {isPlatformAdmin ? "this tenant only, or every tenant when shared" : "this tenant only"}.
      </p>
      <fetcher.Form method="post" className="flex flex-wrap items-end gap-3">
        <div className="min-w-56 flex-1">
          <Field label="Worker name" name="name" id="credential-name" required maxLength={100} autoComplete="off" />
        </div>
        {isPlatformAdmin ? (
          <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
            <input type="checkbox" name="shared" defaultChecked className="h-4 w-4 rounded border-slate-300" />
            Shared: serves every tenant
          </label>
        ) : null}
        <Button name="intent" value="issue-credential" disabled={fetcher.state !== "idle"}>
          Issue credential
        </Button>
      </fetcher.Form>
      <div className="mt-2">
        <FormError message={fetcher.data?.error} />
      </div>
      {issued ? (
        <div className="mt-4">
          <SecretOnce
            title={<>Credential for “{issued.name}”</>}
            secret={issued.credential}
            what="credential"
            testId="issued-credential"
          >
            <p className="text-xs text-amber-900">Start the worker:</p>
            <code className="mt-1 block rounded bg-white p-2 font-mono text-xs break-all">
              npm run worker -- --server {serverUrl} --token {issued.credential} --name &quot;{issued.name}&quot;
            </code>
          </SecretOnce>
        </div>
      ) : null}
      <div className="mt-4">
        <Table
          caption="Credentials"
          columns={[
            "Name",
            "Prefix",
            "Created",
            "Last used",
            "State",
            { label: "Actions", srOnly: true, align: "right" },
          ]}
        >
          {credentials.length === 0 ? <EmptyRow colSpan={6}>No credentials yet.</EmptyRow> : null}
          {credentials.map((c) => (
            <CredentialRow key={c.id} credential={c} canRevoke={!c.shared || isPlatformAdmin} />
          ))}
        </Table>
      </div>
    </Card>
  );
}

function CredentialRow({ credential: c, canRevoke }: { credential: CredentialView; canRevoke: boolean }) {
  const fetcher = useFetcher<ActionResult>();
  return (
    <tr data-testid={`credential-row-${c.name}`}>
      <Td className="font-medium">
        <span className="inline-flex flex-wrap items-center gap-2">
          {c.name}
          <WorkerKindBadge shared={c.shared} />
        </span>
      </Td>
      <Td className="font-mono text-xs text-slate-600">{c.prefix}…</Td>
      <Td className="whitespace-nowrap text-slate-600">
        <LocalTime iso={c.createdAt} />
      </Td>
      <Td className="whitespace-nowrap text-slate-600">
        {c.lastUsedAt ? <LocalTime iso={c.lastUsedAt} relative /> : "never"}
      </Td>
      <Td>
        {c.revokedAt ? (
          <span className="text-xs font-semibold text-red-700">Revoked</span>
        ) : (
          <span className="text-xs font-semibold text-emerald-700">Active</span>
        )}
      </Td>
      <Td className="text-right">
        {c.revokedAt || !canRevoke ? null : (
          <fetcher.Form method="post" aria-label={`Revoke ${c.name}`}>
            <input type="hidden" name="credentialId" value={c.id} />
            <ConfirmButton
              label="Revoke"
              question={`Revoke ${c.name}? Its worker disconnects now.`}
              value="revoke-credential"
              busy={fetcher.state !== "idle"}
            />
          </fetcher.Form>
        )}
      </Td>
    </tr>
  );
}
