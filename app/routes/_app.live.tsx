// Live grid (SPEC C3): every enabled camera of the tenant, or of one site (?site=), watched over WebRTC, with each
// camera's detections, counting lines and zones drawn over it (read-only; totals are on the camera's live page).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { createRef, useEffect, useMemo, type RefObject } from "react";
import { requireTenant } from "~/auth/guards.server";
import { DetectorStatusStrip } from "~/components/detections/detector-status";
import { useCameraWatch, useLiveDetections } from "~/components/detections/use-live-detections";
import { PageHeader } from "~/components/form";
import { LiveVideo, type LiveVideoHandle } from "~/components/live-video";
import { listCameras } from "~/models/cameras.server";
import { analysisForCameras } from "~/models/detections/scenes.server";
import { markFirstRun } from "~/models/first-run.server";
import { listSites } from "~/models/sites.server";

export const meta: MetaFunction = () => [{ title: "Live · Argus" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { scope } = await requireTenant(request, context);
  await markFirstRun(scope, "watched_live"); // ticks the overview's first-run checklist
  const site = new URL(request.url).searchParams.get("site");
  const sites = await listSites(scope);
  const cameras = (await listCameras(scope)).filter((c) => c.enabled && (!site || c.siteId === site));
  const analysis = await analysisForCameras(
    context.services.db,
    scope.tenantId,
    cameras.map((c) => c.id),
  );
  return {
    cameras: cameras.map((c) => ({
      id: c.id,
      name: c.name,
      scene: analysis.get(c.id)?.scene ?? { lines: [], zones: [] },
    })),
    sites: sites.map((s) => ({ id: s.id, name: s.name })),
  };
}

export default function LiveGrid() {
  const { cameras, sites } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const site = params.get("site");
  const ids = useMemo(() => cameras.map((c) => c.id), [cameras]);
  const videos = useMemo(
    () =>
      Object.fromEntries(ids.map((id) => [id, createRef<LiveVideoHandle>()])) as Record<
        string,
        RefObject<LiveVideoHandle>
      >,
    [ids],
  );
  useCameraWatch(ids);
  const detectors = useLiveDetections(videos);
  // Each tile draws its camera's saved lines and zones.
  useEffect(() => {
    for (const c of cameras) videos[c.id]?.current?.overlay()?.setScene(c.scene);
  }, [cameras, videos]);
  return (
    <div>
      <PageHeader
        title="Live"
        description="Every camera, live from the SFU, with its detections: green boxes are recognised, red unknown, other colours by class. Open a camera for its counts and scene editor."
        actions={
          sites.length ? (
            <nav className="flex flex-wrap gap-3 text-sm" aria-label="Sites">
              <Link to="/live" className={!site ? "font-semibold" : "text-indigo-700 hover:underline"}>
                All sites
              </Link>
              {sites.map((s) => (
                <Link
                  key={s.id}
                  to={`/live?site=${s.id}`}
                  className={site === s.id ? "font-semibold" : "text-indigo-700 hover:underline"}
                >
                  {s.name}
                </Link>
              ))}
            </nav>
          ) : null
        }
      />
      {cameras.length === 0 ? (
        <p className="text-sm text-slate-600">
          No cameras here yet.{" "}
          <Link to="/cameras" className="text-indigo-700 underline">
            Add one
          </Link>
          .
        </p>
      ) : (
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-3">
          {cameras.map((c) => (
            <Link key={c.id} to={`/cameras/${c.id}/live`} className="block">
              <LiveVideo
                ref={videos[c.id]}
                cameraId={c.id}
                name={c.name}
                compact
                status={detectors[c.id] ? <DetectorStatusStrip status={detectors[c.id]!} compact /> : null}
              />
            </Link>
          ))}
        </div>
      )}
    </div>
  );
}
