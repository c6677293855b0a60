// Live grid (SPEC C3): every enabled camera of the tenant, or of one site (?site=), watched over WebRTC.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireTenant } from "~/auth/guards.server";
import { PageHeader } from "~/components/form";
import { LiveVideo } from "~/components/live-video";
import { listCameras } from "~/models/cameras.server";
import { listSites } from "~/models/sites.server";

export const meta: MetaFunction = () => [{ title: "Live · Argus" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { scope } = await requireTenant(request, context);
  const site = new URL(request.url).searchParams.get("site");
  const sites = await listSites(scope);
  const cameras = (await listCameras(scope)).filter((c) => c.enabled && (!site || c.siteId === site));
  return {
    cameras: cameras.map((c) => ({ id: c.id, name: c.name })),
    sites: sites.map((s) => ({ id: s.id, name: s.name })),
  };
}

export default function LiveGrid() {
  const { cameras, sites } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const site = params.get("site");
  return (
    <div>
      <PageHeader
        title="Live"
        description="Every camera, live from the SFU."
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
              <LiveVideo cameraId={c.id} name={c.name} compact />
            </Link>
          ))}
        </div>
      )}
    </div>
  );
}
