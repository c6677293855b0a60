// A workstation's sources and live state on the productivity dashboard (issue 13): a coloured dot with the latest
// state (grey when older than two state durations: nothing is reporting) and where its events come from.
import type { WorkstationSourceView } from "~/models/productivity/camera-source-view.server";

const KIND_LABEL = { camera: "Camera", device: "On-device", api: "API" } as const;
const STATE_STYLE = {
  working: "bg-emerald-500",
  idle: "bg-amber-400",
  absent: "bg-slate-400",
} as const;

export function WorkstationSourceCell({ view }: { view: WorkstationSourceView | undefined }) {
  if (!view) return <span className="text-slate-500">—</span>;
  const { live, sources } = view;
  return (
    <span className="inline-flex flex-col items-end gap-0.5 text-xs" data-testid="workstation-source">
      {live ? (
        <span
          className="inline-flex items-center gap-1"
          data-state={live.state}
          data-current={live.current}
          title={`Latest ${live.state} event at ${new Date(live.at).toLocaleString()} (${KIND_LABEL[live.kind]})`}
        >
          <span
            aria-hidden
            className={`inline-block h-2 w-2 rounded-full ${live.current ? STATE_STYLE[live.state] : "bg-slate-200"}`}
          />
          <span className={live.current ? "font-medium text-slate-800" : "text-slate-500"}>
            {live.current ? live.state : `${live.state} (stale)`}
          </span>
        </span>
      ) : null}
      {sources.map((s) => (
        <span key={`${s.kind}:${s.label}`} className="text-slate-500" data-kind={s.kind}>
          {KIND_LABEL[s.kind]}
          {s.kind === "camera" ? `: ${s.label}` : ""}
        </span>
      ))}
    </span>
  );
}
