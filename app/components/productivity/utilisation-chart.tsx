// Utilisation per bucket as SVG bars (like activity-chart.tsx): no chart library for one shape.
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
  const width = Math.max(points.length * 14, 200);
  const barWidth = width / points.length;
  const label = (iso: string) =>
    step === "1 day"
      ? new Date(iso).toLocaleDateString()
      : new Date(iso).toLocaleString([], { weekday: "short", hour: "2-digit", minute: "2-digit" });
  return (
    <figure>
      <svg
        viewBox={`0 0 ${width} 100`}
        preserveAspectRatio="none"
        className="h-40 w-full"
        role="img"
        aria-label="Utilisation over time"
        data-testid="utilisation-chart"
      >
        {[25, 50, 75].map((y) => (
          <line key={y} x1={0} x2={width} y1={100 - y} y2={100 - y} className="stroke-slate-100" strokeWidth={0.5} />
        ))}
        {points.map((p, i) => {
          const h = (p.utilisation ?? 0) * 100;
          return (
            <rect
              key={p.bucket}
              x={i * barWidth + barWidth * 0.1}
              y={100 - h}
              width={barWidth * 0.8}
              height={Math.max(h, 0.5)}
              className={p.utilisation === null ? "fill-slate-200" : "fill-emerald-500"}
            >
              <title>{`${label(p.bucket)}: ${p.utilisation === null ? "no data" : `${Math.round(p.utilisation * 100)}% utilisation`}, ${p.units} units`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="mt-2 flex justify-between text-xs text-slate-500">
        <span>{label(points[0].bucket)}</span>
        <span>utilisation (working ÷ working + idle), one bar per {step === "1 day" ? "day" : "hour"}</span>
        <span>{label(points[points.length - 1].bucket)}</span>
      </figcaption>
    </figure>
  );
}

/** Mean confidence per bucket for one model version, as a polyline with a threshold line. */
export function ConfidenceChart({
  series,
  threshold,
}: {
  series: Array<{ model: string; points: Array<{ bucket: string; confidence: number }> }>;
  threshold: number;
}) {
  const times = series.flatMap((s) => s.points.map((p) => Date.parse(p.bucket)));
  if (!times.length) return <p className="text-sm text-slate-500">No events in this range.</p>;
  const width = 600;
  const min = Math.min(...times);
  const span = Math.max(...times) - min;
  // Time-linear, so a model that was silent for hours shows as a gap, not a squeezed line.
  const x = (bucket: string) => (span ? ((Date.parse(bucket) - min) / span) * width : width / 2);
  const colours = [
    ["stroke-indigo-500", "bg-indigo-500"],
    ["stroke-rose-500", "bg-rose-500"],
    ["stroke-amber-500", "bg-amber-500"],
    ["stroke-emerald-500", "bg-emerald-500"],
    ["stroke-sky-500", "bg-sky-500"],
  ];
  return (
    <figure>
      <svg
        viewBox={`0 0 ${width} 100`}
        preserveAspectRatio="none"
        className="h-40 w-full"
        role="img"
        aria-label="Confidence trend per model version"
      >
        <line
          x1={0}
          x2={width}
          y1={100 - threshold * 100}
          y2={100 - threshold * 100}
          className="stroke-red-300"
          strokeDasharray="4 3"
          strokeWidth={1}
        />
        {series.map((s, i) => (
          <g key={s.model} className={colours[i % colours.length][0]}>
            {runs(s.points).map((run) => (
              <polyline
                key={run[0].bucket}
                fill="none"
                strokeWidth={2}
                vectorEffect="non-scaling-stroke"
                points={
                  run.length === 1 // one lone hour: a short dash, since a one-point line is invisible
                    ? `${x(run[0].bucket) - 4},${100 - run[0].confidence * 100} ${x(run[0].bucket) + 4},${100 - run[0].confidence * 100}`
                    : run.map((p) => `${x(p.bucket)},${100 - p.confidence * 100}`).join(" ")
                }
              />
            ))}
          </g>
        ))}
      </svg>
      <figcaption className="mt-2 flex flex-wrap gap-3 text-xs text-slate-500">
        {series.map((s, i) => (
          <span key={s.model} className="flex items-center gap-1">
            <span className={`inline-block h-0.5 w-4 ${colours[i % colours.length][1]}`} />
            {s.model}
          </span>
        ))}
        <span className="text-red-400">- - alert threshold {threshold}</span>
      </figcaption>
    </figure>
  );
}

/** Splits hourly points where an hour is missing, so silent periods show as gaps, not lines. */
function runs<P extends { bucket: string }>(points: P[]): P[][] {
  const out: P[][] = [];
  for (const p of points) {
    const last = out.at(-1)?.at(-1);
    if (last && Date.parse(p.bucket) - Date.parse(last.bucket) <= 3600_000) out.at(-1)!.push(p);
    else out.push([p]);
  }
  return out;
}
