// Publish page of a browser camera (SPEC C2): signed-in operators publish this browser's camera to the SFU, and/or
// analyse it on the device (issue 13 item 2: PoseLandmarker in the browser, events for a chosen worker and workstation).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireTenant } from "~/auth/guards.server";
import { PageHeader } from "~/components/form";
import { sessionOnDeviceData } from "~/components/on-device/on-device-data.server";
import { PublishPanel } from "~/components/publish-panel";
import { getCamera } from "~/models/cameras.server";
import { HttpError } from "~/utils/errors.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Publish ${data?.camera.name ?? "camera"} · Argus` },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { scope } = await requireTenant(request, context, "operator");
  try {
    const camera = await getCamera(scope, params.cameraId ?? "");
    if (camera.kind !== "browser")
      throw new Response("Only browser cameras are published from this page", { status: 400 });
    const onDevice = await sessionOnDeviceData(scope, camera.id, new URL(request.url));
    return { camera: { id: camera.id, name: camera.name }, onDevice };
  } catch (error) {
    if (error instanceof HttpError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

export default function PublishCamera() {
  const { camera, onDevice } = useLoaderData<typeof loader>();
  return (
    <div>
      <PageHeader
        title={`Publish ${camera.name}`}
        description="This browser's camera becomes the camera's live stream. Keep this page open."
        actions={
          <div className="flex gap-4 text-sm">
            <Link to={`/cameras/${camera.id}/live`} className="text-indigo-700 hover:underline">
              Watch
            </Link>
            <Link to={`/cameras/${camera.id}`} className="text-indigo-700 hover:underline">
              Camera settings
            </Link>
          </div>
        }
      />
      <PublishPanel cameraId={camera.id} onDevice={onDevice} />
    </div>
  );
}
