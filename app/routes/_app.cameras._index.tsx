// Cameras (SPEC C1, A3): records per tenant and site, and where each one runs. Assign round-robin or
// to a chosen worker, release, move; pending/active/unassigned update live (fleet:camera events).
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { z, ZodError } from "zod";
import { requireTenant } from "~/auth/guards.server";
import { Button, Card, Field, FormError, PageHeader, SelectField, type FieldErrors } from "~/components/form";
import {
  CAMERA_KIND_LABELS,
  CameraLiveBadge,
  useCameraLiveStates,
  type CameraLiveState,
} from "~/components/camera-live-status";
import { PlacementBadge } from "~/components/fleet/badges";
import { useLivePlacements, useLiveWorkers } from "~/components/fleet/use-fleet-live";
import { EmptyRow, Table, Td } from "~/components/table";
import { useResetOnSuccess } from "~/components/use-reset-on-success";
import { asLocalError } from "~/fleet/http.server";
import { assignCamera, createCameraAndPlace, listWorkerViews, releaseCamera } from "~/fleet/operations.server";
import type { CameraFleetView, WorkerView } from "~/fleet/views";
import { listCameras } from "~/models/cameras.server";
import { hasRole } from "~/models/scope.server";
import { redactUrl } from "~/sfu/rtsp-ffmpeg.server";
import { listSites } from "~/models/sites.server";
import { HttpError } from "~/utils/errors.server";

export const meta: MetaFunction = () => [{ title: "Cameras · Argus" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { scope } = await requireTenant(request, context);
  const fleet = context.services.fleet;
  const cameras = await listCameras(scope);
  const placements: Record<string, CameraFleetView | null> = {};
  for (const c of cameras) placements[c.id] = await fleet.cameraView(c.id, scope.tenantId);
  const sites = await listSites(scope);
  return {
    cameras: cameras.map((c) => ({
      id: c.id,
      name: c.name,
      kind: c.kind,
      siteName: sites.find((s) => s.id === c.siteId)?.name ?? null,
      rtspUrl: c.rtspUrl ? redactUrl(c.rtspUrl) : null, // never the camera's password in page data (C1)
      analysisFps: c.analysisFps,
      enabled: c.enabled,
    })),
    // Live video (C1-C3): whether a stream reaches the SFU right now, or why an RTSP camera's does not.
    liveStatus: Object.fromEntries(
      await Promise.all(
        cameras.map(async (c) => [c.id, (await context.services.sfu.liveState(c.id)) as CameraLiveState] as const),
      ),
    ),
    placements,
    workers: listWorkerViews(fleet, scope),
    sites: sites.map((s) => ({ id: s.id, name: s.name })),
    canOperate: hasRole(scope.role, "operator"),
    autoAssign: fleet.config.AUTO_ASSIGN_CAMERAS,
  };
}

const cameraId = z.uuid();
const actionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create"),
    name: z.string(),
    kind: z.enum(["browser", "rtsp"]),
    siteId: z.string().optional(),
    rtspUrl: z.string().optional(),
    analysisFps: z.string().optional(),
  }),
  z.object({ intent: z.literal("assign-round-robin"), cameraId }),
  z.object({ intent: z.literal("assign-worker"), cameraId, workerId: z.string().min(1, "Pick a worker") }),
  z.object({ intent: z.literal("release"), cameraId }),
]);

interface ActionResult {
  error?: string;
  fieldErrors?: FieldErrors;
  ok?: string;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { scope } = await requireTenant(request, context, "operator");
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success)
    return data<ActionResult>({ error: parsed.error.issues[0]?.message ?? "Invalid input" }, { status: 400 });
  const fleet = context.services.fleet;
  const input = parsed.data;
  try {
    if (input.intent === "create") {
      const camera = await createCameraAndPlace(fleet, scope, {
        name: input.name,
        kind: input.kind,
        siteId: input.siteId || null,
        rtspUrl: input.kind === "rtsp" ? input.rtspUrl || null : null,
        analysisFps: input.analysisFps ? Number(input.analysisFps) : 5,
      });
      await context.services.sfu.syncCamera(camera.id); // an RTSP camera starts ingesting (C1)
      return data<ActionResult>({ ok: `Camera "${camera.name}" added` });
    }
    if (input.intent === "release") {
      await releaseCamera(fleet, scope, input.cameraId);
      return data<ActionResult>({ ok: "Released: no worker analyses this camera now" });
    }
    const placed = await assignCamera(
      fleet,
      scope,
      input.cameraId,
      input.intent === "assign-worker" ? { mode: "worker", workerId: input.workerId } : { mode: "round-robin" },
    );
    return data<ActionResult>({ ok: describePlacement(placed) });
  } catch (error) {
    const local = asLocalError(error);
    if (local instanceof ZodError)
      return data<ActionResult>({ fieldErrors: z.flattenError(local).fieldErrors }, { status: 400 });
    if (local instanceof HttpError) {
      const details = Array.isArray(local.details) ? (local.details as Array<{ path: string; message: string }>) : [];
      return data<ActionResult>(
        { error: local.message, fieldErrors: Object.fromEntries(details.map((d) => [d.path, [d.message]])) },
        { status: local.status },
      );
    }
    throw local;
  }
}

/** A3: what an assign or move did, for the confirmation under the row. */
function describePlacement(view: CameraFleetView): string {
  const a = view.assignment;
  if (a?.state === "active") return `Assigned to ${a.workerName}`;
  if (a?.state === "pending") return `Sent to ${a.workerName}: waiting for it to acknowledge`;
  return "Not assigned yet";
}

type CameraRowData = ReturnType<typeof useLoaderData<typeof loader>>["cameras"][number];

export default function CamerasPage() {
  const loaded = useLoaderData<typeof loader>();
  const placements = useLivePlacements(loaded.placements);
  const { workers } = useLiveWorkers(loaded.workers);
  const liveStatus = useCameraLiveStates(loaded.liveStatus);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Cameras"
        description={`Camera records and the worker analysing each one.${loaded.autoAssign ? " New cameras are assigned round-robin automatically." : ""}`}
      />
      {/* grid-cols-1 (minmax(0, 1fr)) and min-w-0: a wide table scrolls inside its card instead of widening a
          phone's page. */}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className={`min-w-0 ${loaded.canOperate ? "lg:col-span-2" : "lg:col-span-3"}`}>
          <Card title={`${loaded.cameras.length} ${loaded.cameras.length === 1 ? "camera" : "cameras"}`}>
            <Table
              caption="Cameras"
              columns={["Name", "Kind", "Site", "Worker", { label: "Assignment", srOnly: true, align: "right" }]}
            >
              {loaded.cameras.length === 0 ? <EmptyRow colSpan={5}>No cameras yet.</EmptyRow> : null}
              {loaded.cameras.map((c) => (
                <CameraRow
                  key={c.id}
                  camera={c}
                  placement={placements[c.id] ?? null}
                  live={liveStatus[c.id] ?? { status: "offline", error: null, at: 0 }}
                  workers={workers}
                  canOperate={loaded.canOperate}
                />
              ))}
            </Table>
          </Card>
        </div>
        {loaded.canOperate ? <CreateCameraCard sites={loaded.sites} /> : null}
      </div>
    </div>
  );
}

function CameraRow({
  camera,
  placement,
  live,
  workers,
  canOperate,
}: {
  camera: CameraRowData;
  placement: CameraFleetView | null;
  live: CameraLiveState;
  workers: WorkerView[];
  canOperate: boolean;
}) {
  const fetcher = useFetcher<ActionResult>();
  const busy = fetcher.state !== "idle";
  const eligible = workers.filter(
    (w) => w.connected && !w.maintenance && w.status !== "OFFLINE" && w.status !== "ERROR",
  );
  const currentWorker = placement?.assignment?.workerId;
  const choices = eligible.filter((w) => w.id !== currentWorker);
  // A3: Move/Assign needs a worker to pick; say why it is off instead of answering "Pick a worker" with a 400.
  const noChoice = choices.length === 0;
  const noChoiceReason = currentWorker
    ? "No other worker can take this camera (all offline, in maintenance or none connected)"
    : "No worker can take this camera (all offline, in maintenance or none connected)";
  const reasonId = `no-worker-${camera.id}`;
  const feedback = fetcher.state === "idle" ? fetcher.data : undefined;
  return (
    <tr data-testid={`camera-row-${camera.name}`}>
      <Td>
        <Link to={`/cameras/${camera.id}`} className="font-medium text-indigo-700 hover:underline">
          {camera.name}
        </Link>
        <div className="flex flex-wrap items-center gap-2 text-xs text-slate-500">
          <span>{camera.analysisFps} fps</span>
          <CameraLiveBadge state={live} />
          <Link to={`/cameras/${camera.id}/live`} className="text-indigo-700 hover:underline">
            Watch
          </Link>
        </div>
      </Td>
      <Td className="text-slate-600">{CAMERA_KIND_LABELS[camera.kind]}</Td>
      <Td className="text-slate-600">{camera.siteName ?? "—"}</Td>
      <Td>
        <div data-testid="placement">
          <PlacementBadge placement={placement} enabled={camera.enabled} />
        </div>
      </Td>
      <Td className="text-right">
        {canOperate && camera.enabled ? (
          <fetcher.Form
            method="post"
            className="inline-flex flex-wrap items-center justify-end gap-2"
            aria-label={`Assignment for ${camera.name}`}
          >
            <input type="hidden" name="cameraId" value={camera.id} />
            {!currentWorker ? (
              <Button variant="secondary" name="intent" value="assign-round-robin" disabled={busy}>
                Round-robin
              </Button>
            ) : null}
            <label className="sr-only" htmlFor={`worker-${camera.id}`}>
              Worker for {camera.name}
            </label>
            <select
              id={`worker-${camera.id}`}
              name="workerId"
              defaultValue=""
              disabled={noChoice}
              aria-describedby={noChoice ? reasonId : undefined}
              className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm disabled:opacity-60"
            >
              <option value="">{noChoice ? "No worker to pick" : "Pick a worker…"}</option>
              {choices.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name} ({w.assigned}/{w.capacity})
                </option>
              ))}
            </select>
            <Button
              variant="secondary"
              name="intent"
              value="assign-worker"
              disabled={busy || noChoice}
              aria-describedby={noChoice ? reasonId : undefined}
              title={noChoice ? noChoiceReason : undefined}
            >
              {currentWorker ? "Move" : "Assign"}
            </Button>
            {currentWorker ? (
              <Button variant="danger" name="intent" value="release" disabled={busy}>
                Release
              </Button>
            ) : null}
            {noChoice ? (
              <span id={reasonId} className="basis-full text-xs text-slate-500" data-testid="no-worker-reason">
                {noChoiceReason}
              </span>
            ) : null}
          </fetcher.Form>
        ) : null}
        {feedback?.error ? (
          <div className="mt-2 text-left" role="alert">
            <FormError message={feedback.error} />
          </div>
        ) : null}
        {feedback?.ok ? (
          <p role="status" className="mt-2 text-left text-xs text-emerald-700" data-testid="assignment-feedback">
            {feedback.ok}
          </p>
        ) : null}
      </Td>
    </tr>
  );
}

function CreateCameraCard({ sites }: { sites: Array<{ id: string; name: string }> }) {
  const fetcher = useFetcher<ActionResult>();
  const formRef = useResetOnSuccess(fetcher);
  const [kind, setKind] = useState("browser");
  const errors = fetcher.data?.fieldErrors;
  return (
    <Card title="Add a camera">
      <fetcher.Form method="post" ref={formRef} className="space-y-4">
        <Field
          label="Name"
          name="name"
          id="new-camera-name"
          required
          maxLength={100}
          autoComplete="off"
          error={errors?.name?.[0]}
        />
        <SelectField
          label="Kind"
          name="kind"
          id="new-camera-kind"
          value={kind}
          onChange={(e) => setKind(e.target.value)}
        >
          <option value="browser">Browser (WebRTC publish)</option>
          <option value="rtsp">IP camera (RTSP)</option>
        </SelectField>
        {kind === "rtsp" ? (
          <Field
            label="RTSP URL"
            name="rtspUrl"
            id="new-camera-rtsp"
            placeholder="rtsp://camera.local/stream"
            error={errors?.rtspUrl?.[0]}
          />
        ) : null}
        <SelectField label="Site" name="siteId" id="new-camera-site" defaultValue="">
          <option value="">No site</option>
          {sites.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <Field
          label="Analysis fps"
          name="analysisFps"
          id="new-camera-fps"
          type="number"
          min={0.1}
          max={60}
          step={0.1}
          defaultValue={5}
          error={errors?.analysisFps?.[0]}
        />
        <FormError message={fetcher.data?.error} />
        {fetcher.state === "idle" && fetcher.data?.ok ? (
          <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
            {fetcher.data.ok}
          </p>
        ) : null}
        <Button name="intent" value="create" disabled={fetcher.state !== "idle"}>
          Add camera
        </Button>
      </fetcher.Form>
    </Card>
  );
}
