// The publish page's on-device part (issue 13 item 2): the analysis mode, who and where the events are for, and what
// the model sees. Signed-in operators choose the worker and workstation (a GET form: the loader mints the scoped
// key for that pair); kiosk pages show the pair their publish link was bound to.
import { Form } from "@remix-run/react";
import { SelectField } from "../form";
import type { AnalysisStatus } from "./use-pose-analysis";
import type { VisionAssetUrls } from "./pose-landmarker.client";

export const ANALYSIS_MODES = [
  { id: "video", label: "Video only" },
  { id: "analyse", label: "Video + on-device analysis" },
  { id: "events-only", label: "On-device analysis, events only (no video leaves this device)" },
] as const;
export type AnalysisMode = (typeof ANALYSIS_MODES)[number]["id"];

export function parseAnalysisMode(value: string | null | undefined): AnalysisMode {
  return ANALYSIS_MODES.some((m) => m.id === value) ? (value as AnalysisMode) : "video";
}

/** What a publish page's loader gives the on-device mode. */
export interface OnDevicePageData {
  /** Null when setup has not fetched the pose model (the mode is then unavailable, and says so). */
  assets: (VisionAssetUrls & { modelId: string; modelVersion: string }) | null;
  deviceKey: string | null;
  workerId: string | null;
  workstationId: string | null;
  stateDurationSeconds: number;
  mode: AnalysisMode;
  /** Session pages: the tenant's workers and workstations to choose from. */
  choices?: { workers: Array<{ id: string; name: string }>; workstations: Array<{ id: string; name: string }> };
  /** Session pages: the query a publish link of this camera needs to post for the chosen pair (kiosk binding). */
  kioskQuery?: string | null;
  /** Why the on-device mode cannot run as asked (e.g. a kiosk link without a valid binding). */
  problem?: string | null;
}

const STATE_TONE: Record<string, string> = {
  working: "bg-emerald-100 text-emerald-800",
  idle: "bg-amber-100 text-amber-800",
  absent: "bg-slate-200 text-slate-700",
};

export function OnDeviceControls({
  data,
  mode,
  onModeChange,
  status,
}: {
  data: OnDevicePageData;
  mode: AnalysisMode;
  onModeChange: (mode: AnalysisMode) => void;
  status: AnalysisStatus;
}) {
  const analysing = mode !== "video";
  return (
    <fieldset className="space-y-3 rounded-lg border border-slate-200 p-3" data-testid="on-device">
      <legend className="px-1 text-sm font-medium text-slate-700">On-device analysis</legend>
      <SelectField
        label="Mode"
        name="analysis-mode"
        value={mode}
        onChange={(e) => onModeChange(parseAnalysisMode(e.target.value))}
        disabled={!data.assets}
        hint={
          data.assets
            ? "Pose analysis runs in this browser; only working / idle / absent events are sent."
            : "Unavailable: the pose model is not installed on the server (run setup)."
        }
      >
        {ANALYSIS_MODES.map((m) => (
          <option key={m.id} value={m.id}>
            {m.label}
          </option>
        ))}
      </SelectField>
      {data.choices ? <PairForm data={data} mode={mode} /> : <KioskPair data={data} />}
      {data.problem ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {data.problem}
        </p>
      ) : null}
      {analysing ? <AnalysisReadout data={data} status={status} /> : null}
    </fieldset>
  );
}

function PairForm({ data, mode }: { data: OnDevicePageData; mode: AnalysisMode }) {
  const { workers, workstations } = data.choices!;
  if (!workers.length || !workstations.length)
    return (
      <p className="text-sm text-slate-600">
        Add a worker and a workstation on{" "}
        <a className="text-indigo-700 hover:underline" href="/productivity/people">
          the productivity people page
        </a>{" "}
        first.
      </p>
    );
  return (
    <Form method="get" className="space-y-2" replace preventScrollReset>
      <input type="hidden" name="mode" value={mode} />
      <SelectField label="Worker" name="worker" defaultValue={data.workerId ?? ""}>
        <option value="">Choose…</option>
        {workers.map((w) => (
          <option key={w.id} value={w.id}>
            {w.id} · {w.name}
          </option>
        ))}
      </SelectField>
      <SelectField label="Workstation" name="workstation" defaultValue={data.workstationId ?? ""}>
        <option value="">Choose…</option>
        {workstations.map((w) => (
          <option key={w.id} value={w.id}>
            {w.id} · {w.name}
          </option>
        ))}
      </SelectField>
      <button type="submit" className="text-sm font-medium text-indigo-700 hover:underline">
        Use this worker and workstation
      </button>
      {data.kioskQuery ? (
        <p className="text-xs break-all text-slate-500">
          For a kiosk at this workstation, add to this camera&apos;s publish link:{" "}
          <code data-testid="kiosk-query">{data.kioskQuery}</code>
        </p>
      ) : null}
    </Form>
  );
}

function KioskPair({ data }: { data: OnDevicePageData }) {
  if (!data.workerId || !data.workstationId) return null;
  return (
    <p className="text-sm text-slate-600">
      Events for worker <strong>{data.workerId}</strong> at workstation <strong>{data.workstationId}</strong>.
    </p>
  );
}

function AnalysisReadout({ data, status }: { data: OnDevicePageData; status: AnalysisStatus }) {
  if (!data.deviceKey) return <p className="text-sm text-slate-600">Choose a worker and a workstation to analyse.</p>;
  return (
    <dl
      className="grid grid-cols-2 gap-x-3 gap-y-1 text-sm"
      data-testid="on-device-status"
      data-phase={status.phase}
      data-state={status.state ?? ""}
      data-landmarks={status.landmarks}
      data-frames={status.framesAnalysed}
      data-sent={status.sender.sent}
      data-presence={status.presence.toFixed(2)}
      data-motion={status.motionPerSecond?.toFixed(2) ?? ""}
    >
      <dt className="text-slate-500">Model</dt>
      <dd>{status.phase === "running" ? `${status.fps.toFixed(1)} frames/s` : status.phase}</dd>
      <dt className="text-slate-500">Landmarks</dt>
      <dd>{status.landmarks}</dd>
      <dt className="text-slate-500">Presence · arm motion</dt>
      <dd>
        {status.presence.toFixed(2)} · {status.motionPerSecond?.toFixed(2) ?? "—"} /s
      </dd>
      <dt className="text-slate-500">State</dt>
      <dd>
        {status.state ? (
          <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATE_TONE[status.state]}`}>
            {status.state}
          </span>
        ) : (
          "—"
        )}
      </dd>
      <dt className="text-slate-500">Events sent</dt>
      <dd>
        {status.sender.sent}
        {status.sender.pending ? ` (${status.sender.pending} waiting)` : ""}
      </dd>
      {status.error || status.sender.lastError ? (
        <dd role="alert" className="col-span-2 text-xs text-red-700">
          {status.error ?? status.sender.lastError}
        </dd>
      ) : null}
    </dl>
  );
}
