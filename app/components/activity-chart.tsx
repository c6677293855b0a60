// Hourly bars for the last day, drawn with the app's one chart component (uPlot, app/components/charts/).
import { TimeChart } from "~/components/charts/time-chart";

const HOUR_MS = 3600_000;

export function ActivityChart({
  buckets,
  hours = 24,
}: {
  buckets: Array<{ bucket: string; events: number }>;
  hours?: number;
}) {
  const start = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - (hours - 1) * HOUR_MS;
  const byHour = new Map(buckets.map((b) => [new Date(b.bucket).getTime(), b.events]));
  const times = Array.from({ length: hours }, (_, i) => start + i * HOUR_MS);
  const values = times.map((t) => byHour.get(t) ?? 0);
  const total = values.reduce((sum, v) => sum + v, 0);
  return (
    <div>
      <TimeChart
        kind="bars"
        times={times}
        stepMs={HOUR_MS}
        height={140}
        label={`${total} events in the last ${hours} hours`}
        testId="activity-chart"
        series={[{ label: "Events", values, color: "#6366f1" }]}
      />
      <p className="mt-2 text-xs text-slate-500">{total} events · one bar per hour, oldest on the left</p>
    </div>
  );
}
