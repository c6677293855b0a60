// Live view of one camera (SPEC C3, C5, D3, D5): WebRTC from the SFU with the worker's detections drawn over it,
// the camera's counting lines and zones with running totals, the detector's state and scene warnings, and (for
// operators) the scene editor, saved through this route's action.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useEffect, useMemo, useRef } from "react";
import { z } from "zod";
import { requireTenant } from "~/auth/guards.server";
import { CameraLiveBadge, useCameraLiveStates, type CameraLiveState } from "~/components/camera-live-status";
import { DetectorStatusStrip } from "~/components/detections/detector-status";
import { OverlayLegend, SceneCounts } from "~/components/detections/scene-counts";
import { SceneEditorLayer, SceneEditorPanel } from "~/components/detections/scene-editor";
import { useCameraWatch, useLiveDetections, useRunningTotals } from "~/components/detections/use-live-detections";
import { FacesInViewList } from "~/components/detections/faces-in-view";
import { useSceneEditor } from "~/components/detections/use-scene-editor";
import { Card, PageHeader } from "~/components/form";
import { LiveVideo, type LiveVideoHandle } from "~/components/live-video";
import { getCamera } from "~/models/cameras.server";
import { getCameraAnalysis, updateCameraAnalysis } from "~/models/detections/scenes.server";
import { markFirstRun } from "~/models/first-run.server";
import { getCameraTotals } from "~/models/detections/totals.server";
import { hasRole } from "~/models/scope.server";
import { HttpError } from "~/utils/errors.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.camera.name ?? "Camera"} · Live · Argus` },
];

/** Running totals cover the last 24 hours (the server does not know the viewer's midnight). */
const TOTALS_WINDOW_MS = 24 * 3600_000;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { scope } = await requireTenant(request, context);
  const db = context.services.db;
  try {
    const camera = await getCamera(scope, params.cameraId ?? "");
    await markFirstRun(scope, "watched_live"); // ticks the overview's first-run checklist
    const analysis = await getCameraAnalysis(db, scope, camera.id);
    const asOf = new Date();
    const since = new Date(asOf.getTime() - TOTALS_WINDOW_MS);
    return {
      camera: { id: camera.id, name: camera.name, kind: camera.kind },
      live: (await context.services.sfu.liveState(camera.id)) as CameraLiveState,
      canPublish: camera.kind === "browser" && hasRole(scope.role, "operator"),
      canEdit: hasRole(scope.role, "operator"),
      detection: { enabled: analysis.detection.enabled, model: analysis.model?.id ?? null },
      scene: analysis.scene,
      totals: await getCameraTotals(db, scope, camera.id, since),
      since: since.toISOString(),
      asOf: asOf.toISOString(),
    };
  } catch (error) {
    if (error instanceof HttpError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

const actionSchema = z.object({ intent: z.literal("save-scene"), scene: z.string().max(200_000) });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { scope } = await requireTenant(request, context, "operator");
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data<SaveSceneResult>({ error: "Invalid input" }, { status: 400 });
  let scene: unknown;
  try {
    scene = JSON.parse(parsed.data.scene);
  } catch {
    return data<SaveSceneResult>({ error: "The scene is not valid JSON" }, { status: 400 });
  }
  const cameraId = params.cameraId ?? "";
  try {
    const analysis = await updateCameraAnalysis(context.services.db, scope, cameraId, { scene });
    // The worker holding the camera counts with the new lines and zones at once (C5).
    context.services.fleet.pushCameraAnalysis(scope.tenantId, cameraId, analysis);
    return data<SaveSceneResult>({ ok: true });
  } catch (error) {
    if (error instanceof HttpError) {
      const details = Array.isArray(error.details) ? (error.details as Array<{ message?: string }>) : [];
      const why = details.map((d) => d.message).filter(Boolean);
      return data<SaveSceneResult>(
        { error: why.length ? `${error.message}: ${why.join("; ")}` : error.message },
        { status: error.status },
      );
    }
    throw error;
  }
}
type SaveSceneResult = { ok?: boolean; error?: string };

export default function CameraLive() {
  const loaded = useLoaderData<typeof loader>();
  const { camera, canPublish, canEdit } = loaded;
  const video = useRef<LiveVideoHandle>(null);
  const initialLive = useMemo(() => ({ [camera.id]: loaded.live }), [camera.id, loaded.live]);
  const live = useCameraLiveStates(initialLive)[camera.id] ?? loaded.live;
  const watchError = useCameraWatch([camera.id]);
  const videos = useMemo(() => ({ [camera.id]: video }), [camera.id]);
  const detector = useLiveDetections(videos)[camera.id]!;
  const editor = useSceneEditor({ saved: loaded.scene, video, editable: canEdit });
  const totals = useRunningTotals(camera.id, loaded.totals, loaded.asOf);
  // Totals move the overlay's line labels; the renderer redraws on its next frame.
  useEffect(() => video.current?.overlay()?.setTotals(totals), [totals]);
  return (
    <div>
      <PageHeader
        title={`${camera.name} · Live`}
        actions={
          <div className="flex flex-wrap gap-4 text-sm">
            {canPublish ? (
              <Link to={`/cameras/${camera.id}/publish`} className="text-indigo-700 hover:underline">
                Publish
              </Link>
            ) : null}
            <Link to={`/cameras/${camera.id}`} className="text-indigo-700 hover:underline">
              Camera settings
            </Link>
            <Link to="/live" className="text-indigo-700 hover:underline">
              All live cameras
            </Link>
          </div>
        }
      />
      {live.status === "error" ? (
        <div
          role="alert"
          className="mb-4 max-w-4xl rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200"
        >
          <CameraLiveBadge state={live} showReason={false} /> The server cannot get this camera's stream
          {live.error ? `: ${live.error}` : "."} It keeps retrying.
        </div>
      ) : null}
      {/* grid-cols-1 and min-w-0: on a phone the columns are the screen's width, whatever their content. */}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3" onKeyDown={editor.onKeyDown}>
        <div className="min-w-0 space-y-3 lg:col-span-2">
          <LiveVideo
            ref={video}
            cameraId={camera.id}
            name={camera.name}
            status={<DetectorStatusStrip status={detector} />}
          >
            {canEdit ? <SceneEditorLayer editor={editor} /> : null}
          </LiveVideo>
          {!loaded.detection.enabled ? (
            <p className="text-sm text-slate-600">
              Detection is off for this camera.{" "}
              {canEdit ? (
                <Link to={`/cameras/${camera.id}#detection`} className="text-indigo-700 underline">
                  Turn it on in the camera settings
                </Link>
              ) : null}
            </p>
          ) : !loaded.detection.model ? (
            <p className="text-sm text-amber-800">No detection model is available on the server yet.</p>
          ) : null}
          {watchError ? (
            <p role="alert" className="text-sm text-red-700">
              Live detections are unavailable: {watchError}
            </p>
          ) : null}
        </div>
        <div className="min-w-0 space-y-6">
          {detector.faces.known.length || detector.faces.unknown ? (
            <Card title="Faces in view">
              <FacesInViewList faces={detector.faces} />
            </Card>
          ) : null}
          <Card title="Counts">
            <SceneCounts scene={editor.draft} totals={totals} since={loaded.since} video={video} />
          </Card>
          {canEdit ? (
            <Card title="Counting lines and zones">
              <SceneEditorPanel editor={editor} />
            </Card>
          ) : null}
          <Card title="Legend">
            <OverlayLegend />
          </Card>
        </div>
      </div>
    </div>
  );
}
