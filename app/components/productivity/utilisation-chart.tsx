// Utilisation per bucket as bars and model confidence as lines, drawn with the app's one chart component (uPlot).
import { TimeChart } from "~/components/charts/time-chart";
import type { SeriesPoint } from "~/models/productivity/schemas";

const STEP_MS = { "1 hour": 3600_000, "1 day": 86_400_000 } as const;

/** Every bucket of the range, with empty ones (no events) as null, so gaps show as gaps. */
export function fillBuckets(
  points: SeriesPoint[],
  step: "1 hour" | "1 day",
  start: string | null,
  end: string | null,
): SeriesPoint[] {
  if (!start || !end) return points;
  const unit = STEP_MS[step];
  const byTime = new Map(points.map((p) => [Date.parse(p.bucket), p]));
  const filled: SeriesPoint[] = [];
  for (let t = Math.floor(Date.parse(start) / unit) * unit; t < Date.parse(end); t += unit) {
    filled.push(
      byTime.get(t) ?? {
        bucket: new Date(t).toISOString(),
        active_seconds: 0,
        idle_seconds: 0,
        utilisation: null,
        units: 0,
      },
    );
  }
  return filled.length <= 1000 ? filled : points;
}

export function UtilisationChart({
  points: sparse,
  step,
  range,
}: {
  points: SeriesPoint[];
  step: "1 hour" | "1 day";
  range: { start_time: string | null; end_time: string | null };
}) {
  if (!sparse.length) return <p className="text-sm text-slate-500">No working or idle events in this range.</p>;
  const points = fillBuckets(sparse, step, range.start_time, range.end_time);
  return (
    <div>
      <TimeChart
        kind="bars"
        times={points.map((p) => Date.parse(p.bucket))}
        stepMs={STEP_MS[step]}
        height={180}
        yRange={[0, 1]}
        formatValue={(v) => `${Math.round(v * 100)}%`}
        label="Utilisation over time"
        testId="utilisation-chart"
        series={[{ label: "Utilisation", values: points.map((p) => p.utilisation), color: "#10b981" }]}
      />
      <p className="mt-2 text-xs text-slate-500">
        utilisation (working ÷ working + idle), one bar per {step === "1 day" ? "day" : "hour"}; empty buckets show as
        gaps
      </p>
    </div>
  );
}

/** Mean confidence per bucket for each model version, as lines, with the alert threshold dashed. */
export function ConfidenceChart({
  series,
  threshold,
}: {
  series: Array<{ model: string; points: Array<{ bucket: string; confidence: number }> }>;
  threshold: number;
}) {
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => Date.parse(p.bucket))))].sort((a, b) => a - b);
  if (!times.length) return <p className="text-sm text-slate-500">No events in this range.</p>;
  const colours = ["#6366f1", "#f43f5e", "#f59e0b", "#10b981", "#0ea5e9"];
  // Aligned on the union of hours; a model silent in an hour has a null there, drawn as a gap.
  const lines = series.map((s, i) => {
    const byTime = new Map(s.points.map((p) => [Date.parse(p.bucket), p.confidence]));
    return { label: s.model, values: times.map((t) => byTime.get(t) ?? null), color: colours[i % colours.length]! };
  });
  return (
    <TimeChart
      kind="lines"
      times={times}
      stepMs={3600_000}
      height={180}
      yRange={[0, 1]}
      formatValue={(v) => v.toFixed(2)}
      label="Confidence trend per model version"
      testId="confidence-chart"
      series={[
        ...lines,
        { label: `alert threshold ${threshold}`, values: times.map(() => threshold), color: "#fca5a5", dash: [4, 3] },
      ]}
    />
  );
}
