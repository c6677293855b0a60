// A2: small charts of a worker's heartbeat stats (fps, decode latency, CPU, memory) over the last hour, drawn with
// the shared uPlot TimeChart; they grow live as fleet:worker events bring new heartbeats.
import { TimeChart } from "~/components/charts/time-chart";
import type { MetricSampleView } from "~/fleet/views";

const CHARTS: Array<{
  key: keyof Omit<MetricSampleView, "time">;
  title: string;
  color: string;
  format: (v: number) => string;
}> = [
  { key: "fps", title: "Analysed fps", color: "#4f46e5", format: (v) => v.toFixed(1) },
  { key: "latencyMs", title: "Decode latency", color: "#d97706", format: (v) => `${Math.round(v)} ms` },
  { key: "cpuPercent", title: "CPU", color: "#0891b2", format: (v) => `${Math.round(v)}%` },
  { key: "memoryMb", title: "Memory", color: "#059669", format: (v) => `${Math.round(v)} MB` },
];

export function WorkerCharts({ samples, heartbeatMs }: { samples: MetricSampleView[]; heartbeatMs: number }) {
  const times = samples.map((s) => s.time);
  return (
    <div className="grid min-w-0 gap-4 sm:grid-cols-2" data-testid="worker-charts" data-samples={samples.length}>
      {CHARTS.map((c) => (
        <div key={c.key} className="min-w-0">
          <h3 className="mb-1 text-xs font-medium text-slate-600">{c.title}</h3>
          {samples.length === 0 ? (
            <p className="text-xs text-slate-500">No heartbeat stats in the last hour.</p>
          ) : (
            <TimeChart
              kind="lines"
              height={120}
              stepMs={heartbeatMs}
              times={times}
              series={[{ label: c.title, values: samples.map((s) => s[c.key]), color: c.color }]}
              label={`${c.title} over the last hour`}
              testId={`worker-chart-${c.key}`}
              formatValue={c.format}
            />
          )}
        </div>
      ))}
    </div>
  );
}
