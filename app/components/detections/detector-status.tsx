// The detector's state under a live video (C3, D5, W10): active/idle and its inference time, and an amber warning
// when the worker finds the scene too dark or too flat to detect reliably (cleared when the warning goes away).
import type { DetectorStatus } from "./use-live-detections";

const WARNINGS: Record<"dark" | "low_contrast", string> = {
  dark: "Scene too dark",
  low_contrast: "Low contrast",
};

export function DetectorStatusStrip({ status, compact = false }: { status: DetectorStatus; compact?: boolean }) {
  const label =
    status.state === "waiting"
      ? "No detections yet"
      : status.state === "stale"
        ? "Detector not reporting"
        : `Detector ${status.mode ?? ""}${status.detectorMs !== null ? ` · ${Math.round(status.detectorMs)} ms` : ""}`;
  const tone =
    status.state !== "receiving"
      ? "bg-slate-100 text-slate-600"
      : status.mode === "idle"
        ? "bg-sky-50 text-sky-700"
        : "bg-emerald-50 text-emerald-700";
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5" role="status" aria-live="polite">
      <span
        data-testid="detector-status"
        data-state={status.state}
        data-mode={status.mode ?? ""}
        className={`rounded-full px-2 py-0.5 font-medium whitespace-nowrap ${tone}`}
        title={compact ? label : undefined}
      >
        {compact && status.state === "receiving" ? (status.mode ?? "") : label}
      </span>
      {status.warning && status.state === "receiving" ? (
        <span
          data-testid="scene-warning"
          data-warning={status.warning}
          className="rounded-full bg-amber-100 px-2 py-0.5 font-semibold whitespace-nowrap text-amber-900 ring-1 ring-amber-300"
        >
          <span aria-hidden="true">⚠ </span>
          {WARNINGS[status.warning]}
        </span>
      ) : null}
    </span>
  );
}
