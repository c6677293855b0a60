// Live view of one camera (SPEC C3): WebRTC from the SFU, status, resolution and fps, detection overlay hook.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useRef } from "react";
import { requireTenant } from "~/auth/guards.server";
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
      canPublish: camera.kind === "browser" && hasRole(scope.role, "operator"),
    };
  } catch (error) {
    if (error instanceof HttpError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

export default function CameraLive() {
  const { camera, canPublish } = useLoaderData<typeof loader>();
  const overlay = useRef<LiveVideoHandle>(null);
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
      <div className="max-w-4xl">
        <LiveVideo ref={overlay} cameraId={camera.id} name={camera.name} />
      </div>
    </div>
  );
}
