// One camera (SPEC C1, A3): edit its record, see where it runs and its assignment history, delete it.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { z, ZodError } from "zod";
import { requireTenant } from "~/auth/guards.server";
import {
  CAMERA_KIND_LABELS,
  CameraLiveBadge,
  useCameraLiveStates,
  type CameraLiveState,
} from "~/components/camera-live-status";
import { ConfirmButton } from "~/components/confirm-button";
import { DetectionSettingsForm } from "~/components/detections/detection-settings-form";
import { detailsToFieldErrors, parseDetectionForm } from "~/components/detections/detection-settings-input";
import { Button, Card, Field, FormError, PageHeader, SelectField, type FieldErrors } from "~/components/form";
import { PlacementBadge } from "~/components/fleet/badges";
import { useLivePlacements, useRevalidateOn } from "~/components/fleet/use-fleet-live";
import { LocalTime } from "~/components/local-time";
import { SecretOnce } from "~/components/secret-once";
import { EmptyRow, Table, Td } from "~/components/table";
import { asLocalError } from "~/fleet/http.server";
import { cameraAssignments, deleteCameraAndRelease, updateCameraAndPlace } from "~/fleet/operations.server";
import { getCamera } from "~/models/cameras.server";
import { listModels } from "~/models/detections/models.server";
import { getCameraAnalysis, updateCameraAnalysis } from "~/models/detections/scenes.server";
import { issuePublishToken, listPublishTokens, revokePublishToken } from "~/models/publish-tokens.server";
import { hasRole, type TenantScope } from "~/models/scope.server";
import { redactUrl } from "~/sfu/rtsp-ffmpeg.server";
import { listSites } from "~/models/sites.server";
import { HttpError } from "~/utils/errors.server";
import { redirectWithFlash } from "~/utils/flash.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.camera.name ?? "Camera"} · Cameras · Argus` },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { scope } = await requireTenant(request, context);
  let camera;
  try {
    camera = await getCamera(scope, params.cameraId ?? "");
  } catch (error) {
    if (error instanceof HttpError) throw new Response(error.message, { status: error.status });
    throw error;
  }
  const fleet = context.services.fleet;
  return {
    camera: {
      id: camera.id,
      name: camera.name,
      kind: camera.kind,
      siteId: camera.siteId,
      // The full URL (with its password) only for those who may edit it (C1).
      rtspUrl: camera.rtspUrl && !hasRole(scope.role, "operator") ? redactUrl(camera.rtspUrl) : camera.rtspUrl,
      analysisFps: camera.analysisFps,
      enabled: camera.enabled,
    },
    live: (await context.services.sfu.liveState(camera.id)) as CameraLiveState,
    placement: await fleet.cameraView(camera.id, scope.tenantId),
    history: await cameraAssignments(fleet, scope, camera.id),
    sites: (await listSites(scope)).map((s) => ({ id: s.id, name: s.name })),
    canOperate: hasRole(scope.role, "operator"),
    publishTokens:
      camera.kind === "browser" && hasRole(scope.role, "operator") ? await listPublishTokens(scope, camera.id) : [],
    // Detection settings (D1, W10): only operators see and edit them.
    detection: hasRole(scope.role, "operator")
      ? {
          settings: (await getCameraAnalysis(context.services.db, scope, camera.id)).detection,
          models: (await listModels(context.services.db, scope.tenantId)).map((m) => ({
            id: m.id,
            version: m.version,
            format: m.format,
            classes: m.classes,
            isDefault: m.isDefault,
          })),
        }
      : null,
  };
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("update"),
    name: z.string(),
    siteId: z.string().optional(),
    rtspUrl: z.string().optional(),
    analysisFps: z.string(),
    enabled: z.string().optional(),
  }),
  z.object({ intent: z.literal("delete") }),
  z.object({ intent: z.literal("issue-publish-token") }),
  z.object({ intent: z.literal("revoke-publish-token"), tokenId: z.uuid() }),
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { scope } = await requireTenant(request, context, "operator");
  const form = await request.formData();
  if (form.get("intent") === "update-detection") return saveDetectionSettings(context, scope, params.cameraId, form);
  const parsed = actionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success)
    return data<{ error?: string; fieldErrors?: FieldErrors }>({ error: "Invalid input" }, { status: 400 });
  const fleet = context.services.fleet;
  const id = params.cameraId ?? "";
  try {
    if (parsed.data.intent === "issue-publish-token") {
      const issued = await issuePublishToken(scope, id);
      return data<{ error?: string; fieldErrors?: FieldErrors; publishPath?: string }>({
        publishPath: `/publish/${issued.token}`,
      });
    }
    if (parsed.data.intent === "revoke-publish-token") {
      await revokePublishToken(scope, id, parsed.data.tokenId);
      await context.services.sfu.disconnectPublishToken(parsed.data.tokenId);
      return data<{ error?: string; fieldErrors?: FieldErrors }>({});
    }
    if (parsed.data.intent === "delete") {
      const { name } = await getCamera(scope, id);
      await deleteCameraAndRelease(fleet, scope, id);
      await context.services.sfu.syncCamera(id); // stops its RTSP ingest (C1)
      await context.services.sfu.closeRoom(id);
      return redirectWithFlash("/cameras", { type: "success", message: `Camera "${name}" deleted` }, context);
    }
    const input = parsed.data;
    const current = await getCamera(scope, id);
    await updateCameraAndPlace(fleet, scope, id, {
      name: input.name,
      siteId: input.siteId || null,
      rtspUrl: current.kind === "rtsp" ? input.rtspUrl || null : null,
      analysisFps: Number(input.analysisFps),
      enabled: input.enabled === "on",
    });
    await context.services.sfu.syncCamera(id); // RTSP ingest (C1): new URL restarts it, disabling stops it
    if (input.enabled !== "on") await context.services.sfu.closeRoom(id); // a disabled camera streams nothing
    return data<{ error?: string; fieldErrors?: FieldErrors }>({});
  } catch (error) {
    const local = asLocalError(error);
    if (local instanceof ZodError)
      return data<{ error?: string; fieldErrors?: FieldErrors }>(
        { fieldErrors: z.flattenError(local).fieldErrors },
        { status: 400 },
      );
    if (local instanceof HttpError)
      return data<{ error?: string; fieldErrors?: FieldErrors }>({ error: local.message }, { status: local.status });
    throw local;
  }
}

/** intent update-detection (D1, W10): validated per field, then saved and pushed to the camera's worker. */
async function saveDetectionSettings(
  context: ActionFunctionArgs["context"],
  scope: TenantScope,
  cameraId: string | undefined,
  form: FormData,
) {
  type Result = { ok?: boolean; error?: string; fieldErrors?: FieldErrors };
  const input = parseDetectionForm(form);
  if (!input.ok) return data<Result>({ fieldErrors: input.fieldErrors }, { status: 400 });
  try {
    const id = cameraId ?? "";
    const analysis = await updateCameraAnalysis(context.services.db, scope, id, { detection: input.patch });
    context.services.fleet.pushCameraAnalysis(scope.tenantId, id, analysis);
    return data<Result>({ ok: true });
  } catch (error) {
    if (error instanceof HttpError) {
      const fieldErrors = detailsToFieldErrors(error.details);
      return data<Result>(Object.keys(fieldErrors).length ? { fieldErrors } : { error: error.message }, {
        status: error.status,
      });
    }
    throw error;
  }
}

const DELETE_FORM_ID = "delete-camera";

export default function CameraPage() {
  const loaded = useLoaderData<typeof loader>();
  // Memoised: a new object every render re-ran useLivePlacements' effect, whose setState re-rendered the page
  // forever; the endless urgent updates starved Remix's router transitions, so forms' fetchers never left "submitting".
  const initialPlacements = useMemo(
    () => ({ [loaded.camera.id]: loaded.placement }),
    [loaded.camera.id, loaded.placement],
  );
  const placements = useLivePlacements(initialPlacements);
  useRevalidateOn({ cameraId: loaded.camera.id });
  const fetcher = useFetcher<{ error?: string; fieldErrors?: FieldErrors }>();
  const c = loaded.camera;
  const errors = fetcher.data?.fieldErrors;
  const initialLive = useMemo(() => ({ [c.id]: loaded.live }), [c.id, loaded.live]);
  const live = useCameraLiveStates(initialLive)[c.id] ?? loaded.live;
  const navigation = useNavigation();
  const deleting = navigation.state !== "idle" && navigation.formData?.get("intent") === "delete";
  return (
    <div className="space-y-6">
      <PageHeader
        title={c.name}
        description={CAMERA_KIND_LABELS[c.kind]}
        actions={
          <div className="flex gap-4 text-sm">
            <Link to={`/cameras/${c.id}/live`} className="text-indigo-700 hover:underline">
              Watch live
            </Link>
            {c.kind === "browser" && loaded.canOperate ? (
              <Link to={`/cameras/${c.id}/publish`} className="text-indigo-700 hover:underline">
                Publish from this browser
              </Link>
            ) : null}
            <Link to="/cameras" className="text-indigo-700 hover:underline">
              All cameras
            </Link>
          </div>
        }
      />
      {c.kind === "browser" && loaded.canOperate ? (
        <PublishLinks cameraId={c.id} tokens={loaded.publishTokens} />
      ) : null}
      <Card title="Live video">
        <div className="text-sm">
          <CameraLiveBadge state={live} />
        </div>
        {c.kind === "rtsp" && c.enabled ? (
          <p className="mt-2 text-xs text-slate-500">
            The server pulls this camera over RTSP and re-encodes it (VP8, a key frame every second) for viewers and
            workers.
          </p>
        ) : null}
        {c.kind === "demo" && c.enabled ? (
          <p className="mt-2 text-xs text-slate-500">
            The server plays a looped clip as this camera (VP8, a key frame every second), so the whole pipeline can be
            tried without hardware. Disable or delete it when you have real cameras.
          </p>
        ) : null}
      </Card>
      <Card title="Where it runs">
        <div data-testid="placement">
          <PlacementBadge placement={placements[c.id] ?? null} enabled={c.enabled} />
        </div>
        {loaded.canOperate ? (
          <p className="mt-2 text-xs text-slate-500">
            Assign, move and release from the{" "}
            <Link to="/cameras" className="underline">
              cameras list
            </Link>{" "}
            or a worker page.
          </p>
        ) : null}
      </Card>
      {loaded.canOperate ? (
        <Card title="Settings">
          <fetcher.Form method="post" className="grid gap-4 sm:grid-cols-2">
            <Field
              label="Name"
              name="name"
              id="camera-name"
              defaultValue={c.name}
              required
              maxLength={100}
              error={errors?.name?.[0]}
            />
            <SelectField label="Site" name="siteId" id="camera-site" defaultValue={c.siteId ?? ""}>
              <option value="">No site</option>
              {loaded.sites.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </SelectField>
            {c.kind === "rtsp" ? (
              <Field
                label="RTSP URL"
                name="rtspUrl"
                id="camera-rtsp"
                defaultValue={c.rtspUrl ?? ""}
                error={errors?.rtspUrl?.[0]}
              />
            ) : null}
            <Field
              label="Analysis fps"
              name="analysisFps"
              id="camera-fps"
              type="number"
              min={0.1}
              max={60}
              step={0.1}
              defaultValue={c.analysisFps}
              error={errors?.analysisFps?.[0]}
            />
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="enabled" defaultChecked={c.enabled} /> Enabled
            </label>
            <div className="flex items-center gap-2 sm:col-span-2">
              <Button name="intent" value="update" disabled={fetcher.state !== "idle"}>
                Save
              </Button>
              <ConfirmButton
                label="Delete"
                question={`Delete ${c.name}?`}
                value="delete"
                form={DELETE_FORM_ID}
                busy={deleting}
              />
            </div>
            <div className="sm:col-span-2">
              <FormError message={fetcher.data?.error} />
            </div>
          </fetcher.Form>
          {/* Delete is a navigation, not a fetcher: a revalidation started by the fleet event the deletion itself
              sends would otherwise win over the fetcher's redirect, leave this page on screen and ask for the
              deleted camera's data (404). Its button sits in the form above through the form attribute. */}
          <Form method="post" id={DELETE_FORM_ID} replace />
        </Card>
      ) : null}
      {loaded.detection ? (
        <DetectionSettingsForm settings={loaded.detection.settings} models={loaded.detection.models} />
      ) : null}
      <Card title="Assignment history">
        <Table caption="Assignment history" columns={["Worker", "State", "Reason", "Created", "Ended"]}>
          {loaded.history.length === 0 ? <EmptyRow colSpan={5}>Never assigned.</EmptyRow> : null}
          {loaded.history.map((a) => (
            <tr key={a.id}>
              <Td>
                <Link to={`/workers/${encodeURIComponent(a.workerId)}`} className="text-indigo-700 hover:underline">
                  {a.workerName}
                </Link>
              </Td>
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

/** Kiosk publish links (C2): issue (shown once) and revoke. */
function PublishLinks({
  cameraId,
  tokens,
}: {
  cameraId: string;
  tokens: Array<{ id: string; prefix: string; createdAt: string; lastUsedAt: string | null }>;
}) {
  const fetcher = useFetcher<{ error?: string; publishPath?: string }>();
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  return (
    <Card title="Publish links">
      <p className="mb-3 text-sm text-slate-600">
        A publish link lets a kiosk browser publish this camera without signing in. Revoke it to cut the kiosk off.
      </p>
      {fetcher.data?.publishPath ? (
        <div className="mb-3">
          <SecretOnce
            title="New publish link"
            secret={`${origin}${fetcher.data.publishPath}`}
            href={fetcher.data.publishPath}
            what="link"
            testId="publish-link"
          />
        </div>
      ) : null}
      <Table caption="Publish links" columns={["Link", "Created", "Last used", ""]}>
        {tokens.length === 0 ? <EmptyRow colSpan={4}>No publish links.</EmptyRow> : null}
        {tokens.map((t) => (
          <tr key={t.id}>
            <Td className="font-mono text-xs">{t.prefix}…</Td>
            <Td>
              <LocalTime iso={t.createdAt} />
            </Td>
            <Td>{t.lastUsedAt ? <LocalTime iso={t.lastUsedAt} relative /> : "never"}</Td>
            <Td>
              <fetcher.Form method="post">
                <input type="hidden" name="tokenId" value={t.id} />
                <Button variant="danger" name="intent" value="revoke-publish-token" aria-label={`Revoke ${t.prefix}`}>
                  Revoke
                </Button>
              </fetcher.Form>
            </Td>
          </tr>
        ))}
      </Table>
      <fetcher.Form method="post" className="mt-3">
        <Button name="intent" value="issue-publish-token" variant="secondary" data-camera={cameraId}>
          New publish link
        </Button>
      </fetcher.Form>
      <FormError message={fetcher.data?.error} />
    </Card>
  );
}
