// Live view of one camera (SPEC C3): WebRTC from the SFU, status, resolution and fps, detection overlay hook.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useMemo, useRef } from "react";
import { requireTenant } from "~/auth/guards.server";
import { CameraLiveBadge, useCameraLiveStates, type CameraLiveState } from "~/components/camera-live-status";
import { PageHeader } from "~/components/form";
import { LiveVideo, type LiveVideoHandle } from "~/components/live-video";
import { getCamera } from "~/models/cameras.server";
import { hasRole } from "~/models/scope.server";
import { HttpError } from "~/utils/errors.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.camera.name ?? "Camera"} · Live · Argus` },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { scope } = await requireTenant(request, context);
  try {
    const camera = await getCamera(scope, params.cameraId ?? "");
    return {
      camera: { id: camera.id, name: camera.name, kind: camera.kind },
      live: (await context.services.sfu.liveState(camera.id)) as CameraLiveState,
      canPublish: camera.kind === "browser" && hasRole(scope.role, "operator"),
    };
  } catch (error) {
    if (error instanceof HttpError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

export default function CameraLive() {
  const { camera, canPublish, live: loadedLive } = useLoaderData<typeof loader>();
  const overlay = useRef<LiveVideoHandle>(null);
  const initialLive = useMemo(() => ({ [camera.id]: loadedLive }), [camera.id, loadedLive]);
  const live = useCameraLiveStates(initialLive)[camera.id] ?? loadedLive;
  return (
    <div>
      <PageHeader
        title={`${camera.name} · Live`}
        actions={
          <div className="flex gap-4 text-sm">
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
      <div className="max-w-4xl">
        <LiveVideo ref={overlay} cameraId={camera.id} name={camera.name} />
      </div>
    </div>
  );
}
