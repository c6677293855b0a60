// Kiosk publish page (SPEC C2): a browser that holds a camera's publish link publishes that camera without a user
// account. The token in the URL is the credential (checked here and again by the SFU's /sfu handshake). With an
// operator's signed binding (`?worker=&workstation=&binding=`), it also analyses on the device (issue 13 item 2).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { kioskOnDeviceData } from "~/components/on-device/on-device-data.server";
import { PublishPanel } from "~/components/publish-panel";
import { resolvePublishToken } from "~/models/publish-tokens.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Publish ${data?.camera.name ?? "camera"} · Argus` },
  { name: "referrer", content: "no-referrer" },
];

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const resolved = await resolvePublishToken(context.services.db, params.token ?? "");
  if (!resolved) throw new Response("This publish link is invalid or has been revoked.", { status: 404 });
  const onDevice = await kioskOnDeviceData(context.services.db, resolved, params.token!, new URL(request.url));
  return { camera: { id: resolved.cameraId, name: resolved.cameraName }, token: params.token!, onDevice };
}

export default function KioskPublish() {
  const { camera, token, onDevice } = useLoaderData<typeof loader>();
  return (
    <main className="mx-auto max-w-5xl p-6">
      <h1 className="mb-1 text-2xl font-bold tracking-tight">Publishing {camera.name}</h1>
      <p className="mb-6 text-sm text-slate-600">
        This browser&apos;s camera is the camera&apos;s live stream. Keep this page open.
      </p>
      <PublishPanel cameraId={camera.id} publishToken={token} onDevice={onDevice} autoStart />
    </main>
  );
}
