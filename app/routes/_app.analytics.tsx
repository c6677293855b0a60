// VCC analytics dashboard (SPEC V1-V5, issue 11): crossings over time stacked by class, class distribution, in/out
// split, totals and the peak bucket, for all cameras or one (Top devices filters by a click), over a preset or a
// custom range at a chosen bucket. Filter state lives in the URL (shareable, the back button works); a range relative
// to now follows new events live; "Download CSV" asks the API for exactly what is on screen.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  useLoaderData,
  useLocation,
  useNavigate,
  useNavigation,
  useRouteError,
  useSearchParams,
  useSubmit,
} from "@remix-run/react";
import { useEffect, useState } from "react";
import { chartLinks } from "~/components/charts/time-chart";
import { browserTimeZone } from "~/components/time-zones";
import { csvHref, useLiveVcc } from "~/components/vcc/live";
import {
  bucketFits,
  DEFAULT_PRESET,
  defaultBucket,
  isLivePreset,
  parsePreset,
  resolvePreset,
} from "~/components/vcc/range";
import { BucketBar, PresetBar, RangePicker, rangePickerLinks } from "~/components/vcc/range-picker";
import { GenerateTrafficForm } from "~/components/vcc/generate-traffic";
import { LiveIndicator } from "~/components/live-indicator";
import { TopDevices } from "~/components/vcc/top-devices";
import { ClassDistribution, CountsChart, DirectionChart, DirectionSplit, VccStats } from "~/components/vcc/vcc-charts";
import { requireTenant } from "~/auth/guards.server";
import { listCameras } from "~/models/cameras.server";
import { markFirstRun } from "~/models/first-run.server";
import { hasRole } from "~/models/scope.server";
import { listSites } from "~/models/sites.server";
import { parseVccParams } from "~/models/vcc/params";
import { queryVcc } from "~/models/vcc/query.server";
import type { VccBucket } from "~/models/vcc/types";

export const meta: MetaFunction = () => [{ title: "Analytics · Argus" }];
export const links: LinksFunction = () => [...chartLinks(), ...rangePickerLinks()];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { scope } = await requireTenant(request, context, "viewer");
  await markFirstRun(scope, "opened_analytics"); // ticks the overview's first-run checklist
  const url = new URL(request.url);
  const get = (name: string) => url.searchParams.get(name) ?? undefined;
  const tz = get("tz") ?? "UTC";
  // A custom range (?start_time=&end_time=) wins; otherwise a preset relative to now, resolved here.
  const custom = url.searchParams.has("start_time") || url.searchParams.has("end_time");
  const preset = custom ? null : (parsePreset(url.searchParams.get("range")) ?? DEFAULT_PRESET);
  let startTime = get("start_time");
  let endTime = get("end_time");
  if (preset) {
    try {
      const { start, end } = resolvePreset(preset, Date.now(), tz);
      startTime = new Date(start).toISOString();
      endTime = new Date(end).toISOString();
    } catch {
      // An unknown zone: the params schema below says so.
    }
  }
  const span = startTime && endTime ? { start: Date.parse(startTime), end: Date.parse(endTime) } : null;
  const bucket = get("bucket") ?? (span && span.end > span.start ? defaultBucket(span.start, span.end, tz) : undefined);
  const parsed = parseVccParams({
    start_time: startTime,
    end_time: endTime,
    bucket,
    camera_id: get("camera_id"),
    site_id: get("site_id"),
    tz,
  });
  if (!parsed.success) throw new Response(parsed.message, { status: 400 });
  const [result, cameras, sites] = await Promise.all([
    queryVcc(scope.db, scope.tenantId, parsed.query),
    listCameras(scope),
    listSites(scope),
  ]);
  return {
    result,
    preset,
    live: isLivePreset(preset),
    canGenerate: hasRole(scope.role, "admin"),
    cameras: cameras.map((c) => ({ id: c.id, name: c.name, siteId: c.siteId })),
    sites: sites.map((s) => ({ id: s.id, name: s.name })),
  };
}

export default function AnalyticsDashboard() {
  const data = useLoaderData<typeof loader>();
  const { preset, cameras, sites } = data;
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const location = useLocation();
  const submit = useSubmit();
  const [picking, setPicking] = useState(false);
  const [hydrated, setHydrated] = useState(false);
  // After "Generate sample traffic" the range is no longer empty: keep the form and its result on screen.
  const [generated, setGenerated] = useState(false);
  const { result, connected } = useLiveVcc(data.result, data.live, cameras);
  const query = result.query;
  const start = Date.parse(query.startTime);
  const end = Date.parse(query.endTime);
  const loading = navigation.state === "loading" && navigation.location.pathname === location.pathname;

  // The server renders in UTC until it knows the viewer's zone: send it once, replacing the entry.
  useEffect(() => {
    setHydrated(true);
    const zone = browserTimeZone();
    if (zone && !params.get("tz")) {
      const next = new URLSearchParams(params);
      next.set("tz", zone);
      navigate(`?${next}`, { replace: true, preventScrollReset: true });
    }
  }, [params, navigate]);

  const href = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    return `?${next.toString()}`;
  };
  const presetHref = (p: string) => href({ range: p, start_time: null, end_time: null, bucket: null });
  const pickBucket = (bucket: VccBucket) => navigate(href({ bucket }), { preventScrollReset: true });
  const applyRange = (from: Date, to: Date) => {
    setPicking(false);
    const bucket = bucketFits(from.getTime(), to.getTime(), query.bucket, query.tz)
      ? query.bucket
      : defaultBucket(from.getTime(), to.getTime(), query.tz);
    navigate(href({ start_time: from.toISOString(), end_time: to.toISOString(), range: null, bucket }));
  };
  const siteCameras = query.siteId ? cameras.filter((c) => c.siteId === query.siteId) : cameras;
  const cameraName = query.cameraId ? (cameras.find((c) => c.id === query.cameraId)?.name ?? "Unknown camera") : null;
  const empty = result.totals.total === 0;

  return (
    <div className="space-y-5" aria-busy={loading}>
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-xl font-semibold text-slate-900">Vehicle and people counts</h1>
          <p className="mt-0.5 text-sm text-slate-500" data-testid="vcc-scope">
            {cameraName ?? "All cameras"} ·{" "}
            {hydrated ? (
              <>
                {new Date(start).toLocaleString()} – {new Date(end).toLocaleString()}
              </>
            ) : (
              <>
                {query.startTime} – {query.endTime}
              </>
            )}{" "}
            · one bar per {query.bucket}
          </p>
        </div>
        <div className="flex items-center gap-3">
          {data.live ? (
            <LiveIndicator connected={connected} testId="vcc-live" />
          ) : (
            <span className="text-xs text-slate-500" data-testid="vcc-live" data-state="fixed">
              Fixed range
            </span>
          )}
          <a
            href={csvHref(query)}
            download
            data-testid="vcc-csv"
            className="rounded-md bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
          >
            Download CSV
          </a>
        </div>
      </header>

      <section aria-label="Filters" className="space-y-3 rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
        <div className="flex flex-wrap items-center gap-2">
          <PresetBar preset={preset} hrefFor={presetHref} />
          <button
            type="button"
            aria-expanded={picking}
            aria-controls="vcc-range-picker"
            onClick={() => setPicking((v) => !v)}
            className={`rounded-md px-2.5 py-1.5 text-sm ring-1 ${preset ? "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50" : "bg-indigo-600 text-white ring-indigo-600"}`}
          >
            Custom range…
          </button>
        </div>
        {picking ? (
          <div id="vcc-range-picker">
            <RangePicker start={start} end={end} onApply={applyRange} onCancel={() => setPicking(false)} />
          </div>
        ) : null}
        <div className="flex flex-wrap items-end gap-x-6 gap-y-3">
          <div>
            <p className="mb-1 text-sm font-medium text-slate-700" id="vcc-bucket-label">
              Bucket
            </p>
            <BucketBar bucket={query.bucket} start={start} end={end} tz={query.tz} onPick={pickBucket} />
          </div>
          <Form
            method="get"
            className="flex flex-wrap items-end gap-3"
            onChange={(event) => submit(event.currentTarget, { preventScrollReset: true })}
          >
            {["range", "start_time", "end_time", "bucket", "tz"].map((name) =>
              params.get(name) ? <input key={name} type="hidden" name={name} value={params.get(name)!} /> : null,
            )}
            <label className="text-sm font-medium text-slate-700">
              Site
              <select
                name="site_id"
                defaultValue={query.siteId ?? ""}
                key={`site-${query.siteId}`}
                className="mt-1 block w-44 max-w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
              >
                <option value="">All sites</option>
                {sites.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="text-sm font-medium text-slate-700">
              Camera
              <select
                name="camera_id"
                defaultValue={query.cameraId ?? ""}
                key={`camera-${query.cameraId}`}
                className="mt-1 block w-52 max-w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
              >
                <option value="">All cameras</option>
                {siteCameras.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
            <noscript>
              <button type="submit" className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm text-white">
                Filter
              </button>
            </noscript>
          </Form>
          {loading ? (
            <p className="text-sm text-slate-500" role="status" data-testid="vcc-loading">
              Loading…
            </p>
          ) : null}
        </div>
      </section>

      <div className={`space-y-5 transition-opacity ${loading ? "opacity-60" : ""}`}>
        <VccStats result={result} hydrated={hydrated} />
        <div className="grid gap-5 lg:grid-cols-[minmax(0,1fr)_18rem]">
          <section
            className="min-w-0 rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200"
            aria-labelledby="vcc-h-counts"
          >
            <h2 id="vcc-h-counts" className="mb-3 text-base font-semibold">
              Crossings over time, by class
            </h2>
            {empty ? (
              <p className="py-12 text-center text-sm text-slate-500" data-testid="vcc-empty">
                No crossings in this range{cameraName ? ` for ${cameraName}` : ""}. Draw a counting line on a
                camera&apos;s live view, or pick a longer range.
              </p>
            ) : null}
            <div className={empty ? "hidden" : ""}>
              <CountsChart result={result} />
            </div>
            {(empty || generated) && data.canGenerate && !query.cameraId ? (
              <div className="mt-4 border-t border-slate-100 pt-4">
                <p className="mb-2 text-center text-sm text-slate-500">
                  {empty
                    ? "Or fill the dashboard with realistic sample crossings (daily rhythm, class mix, in/out split):"
                    : "Sample crossings added. More:"}
                </p>
                <GenerateTrafficForm compact onGenerated={() => setGenerated(true)} />
              </div>
            ) : null}
          </section>
          <section className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200" aria-labelledby="vcc-h-devices">
            <h2 id="vcc-h-devices" className="mb-3 text-base font-semibold">
              Top devices
            </h2>
            <TopDevices
              devices={result.topDevices}
              selected={query.cameraId}
              hrefFor={(cameraId) => href({ camera_id: cameraId })}
            />
            {query.cameraId ? (
              <Link to={href({ camera_id: null })} className="mt-3 inline-block text-sm text-indigo-600 underline">
                All cameras
              </Link>
            ) : null}
          </section>
        </div>
        <div className="grid gap-5 lg:grid-cols-3">
          <section className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200" aria-labelledby="vcc-h-classes">
            <h2 id="vcc-h-classes" className="mb-3 text-base font-semibold">
              By class
            </h2>
            {empty ? <p className="text-sm text-slate-500">Nothing counted.</p> : <ClassDistribution result={result} />}
          </section>
          <section
            className="min-w-0 rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200 lg:col-span-2"
            aria-labelledby="vcc-h-direction"
          >
            <h2 id="vcc-h-direction" className="mb-3 text-base font-semibold">
              In and out
            </h2>
            <DirectionSplit result={result} />
            <div className="mt-3">
              <DirectionChart result={result} />
            </div>
          </section>
        </div>
        <p className="text-xs text-slate-500">
          Times in {hydrated ? (browserTimeZone() ?? query.tz) : query.tz}. Answered from the {result.source.aggregate}{" "}
          aggregate{result.source.rawTail ? " plus the newest raw events" : ""}.
        </p>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? typeof error.data === "string"
      ? error.data
      : error.statusText || "The analytics could not be loaded."
    : "Something went wrong loading the analytics. The error has been logged.";
  return (
    <div className="mx-auto max-w-xl rounded-xl bg-white p-6 shadow-sm ring-1 ring-red-200" data-testid="vcc-error">
      <h1 className="text-lg font-semibold text-slate-900">These analytics cannot be shown</h1>
      <p role="alert" className="mt-2 text-sm text-red-700">
        {message}
      </p>
      <Link
        to="/analytics"
        className="mt-4 inline-block rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500"
      >
        Back to the last 24 hours
      </Link>
    </div>
  );
}
