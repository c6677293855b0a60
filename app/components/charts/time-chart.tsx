// The app's one way to draw a chart (issue 11 §4): uPlot over time, as bars, stacked bars or lines. uPlot draws on a
// canvas in the browser only; the server renders the empty frame with the same height (no layout shift) and the
// figure's label, so screen readers get a summary either way. Times on the axis and in the hover readout are in the
// browser's zone, which is the viewer's (the page sends it as `tz`).
import type { LinksFunction } from "@remix-run/node";
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import uPlotStyles from "uplot/dist/uPlot.min.css";

/**
 * uPlot's stylesheet as a bundled file, not injected at run time. Routes add it to `links` (loaded in the head); the
 * chart also renders the same link itself, so a page whose route module does not list it still lays charts out.
 */
export const chartLinks: LinksFunction = () => [{ rel: "stylesheet", href: uPlotStyles }];

export interface ChartSeries {
  label: string;
  /** One value per time; null is a gap. */
  values: Array<number | null>;
  /** CSS colour (hex): a canvas cannot use Tailwind classes. */
  color: string;
  dash?: number[];
}

export type ChartKind = "bars" | "stacked-bars" | "lines";

export interface TimeChartProps {
  /** Bucket starts, ms since epoch, ascending. */
  times: number[];
  series: ChartSeries[];
  kind: ChartKind;
  /** Width of one bucket in ms: sets the bar width and the readout's precision. */
  stepMs: number;
  label: string;
  height?: number;
  testId?: string;
  /** Fixed y range, e.g. [0, 1] for ratios. */
  yRange?: [number, number];
  formatValue?: (value: number) => string;
}

/** Running sums, so series i is drawn from the top of series i-1 (the readout shows the series' own value). */
export function stackValues(series: ChartSeries[]): Array<Array<number | null>> {
  const sums: number[] = [];
  return series.map((s) =>
    s.values.map((v, i) => {
      sums[i] = (sums[i] ?? 0) + (v ?? 0);
      return sums[i];
    }),
  );
}

function formatTime(ms: number, stepMs: number): string {
  const date = new Date(ms);
  return stepMs >= 86_400_000
    ? date.toLocaleDateString([], { weekday: "short", year: "numeric", month: "short", day: "numeric" })
    : date.toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** The readout when the cursor is off the chart: the series' sum (counts) or its mean (a fixed y range: ratios). */
function summarise(values: Array<number | null>, format: (v: number) => string, mean: boolean): string {
  const present = values.filter((v): v is number => v != null);
  if (!present.length) return "–";
  const sum = present.reduce((a, b) => a + b, 0);
  return mean ? `${format(sum / present.length)} mean` : `${format(sum)} total`;
}

function buildOptions(props: TimeChartProps, width: number): uPlot.Options {
  const { kind, stepMs, series, formatValue = (v) => v.toLocaleString(), yRange } = props;
  const bars = kind !== "lines" ? uPlot.paths.bars!({ size: [0.8, 64], align: 1 }) : undefined;
  // Stacked: series i is a running sum drawn down to series i-1's (a band), so the legend keeps the given order.
  const bands =
    kind === "stacked-bars" ? series.slice(1).map((_, i) => ({ series: [i + 2, i + 1] as [number, number] })) : [];
  return {
    width,
    height: props.height ?? 220,
    padding: [8, 8, 0, 0],
    cursor: { drag: { x: false, y: false }, points: { show: kind === "lines" } },
    legend: { live: true },
    bands,
    scales: {
      // x is in seconds (uPlot's unit); the last bucket gets its full width.
      x: { time: true, range: (_u, min, max) => [min, max + stepMs / 1000] },
      y: yRange ? { range: () => yRange } : { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
    },
    axes: [
      { stroke: "#64748b", grid: { stroke: "#f1f5f9" }, ticks: { stroke: "#e2e8f0" } },
      {
        stroke: "#64748b",
        grid: { stroke: "#f1f5f9" },
        ticks: { stroke: "#e2e8f0" },
        size: 48,
        // Counts tick at whole numbers; ratios keep uPlot's own steps.
        incrs: yRange ? undefined : [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 1e6, 1e7],
        values: (_u, splits) => splits.map((v) => formatValue(v)),
      },
    ],
    series: [
      { label: "Time", value: (_u, v) => (v == null ? "whole range" : formatTime(v * 1000, stepMs)) },
      ...series.map((s) => {
        return {
          label: s.label,
          stroke: s.color,
          fill: kind === "lines" ? undefined : s.color,
          width: kind === "lines" ? 2 : 0,
          dash: s.dash,
          paths: bars,
          points: { show: false },
          // The readout shows the series' own value, not the running sum it is drawn at.
          value: (_u: uPlot, _v: number | null, _si: number, idx: number | null) => {
            if (idx == null) return summarise(s.values, formatValue, Boolean(yRange));
            const own = s.values[idx];
            return own == null ? "–" : formatValue(own);
          },
        } satisfies uPlot.Series;
      }),
    ],
  };
}

function buildData(props: TimeChartProps): uPlot.AlignedData {
  const { kind, series, times } = props;
  const values = kind === "stacked-bars" ? stackValues(series) : series.map((s) => s.values);
  return [times.map((t) => t / 1000), ...values];
}

export function TimeChart(props: TimeChartProps) {
  const frame = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const height = props.height ?? 220;
  // Rebuild when the shape changes (series, kind, step); only swap the data otherwise (live updates).
  const shape = `${props.kind}|${props.stepMs}|${props.series.map((s) => `${s.label}:${s.color}`).join(",")}|${props.yRange?.join("-") ?? ""}`;
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    const chart = new uPlot(
      buildOptions(latest.current, element.clientWidth || 300),
      buildData(latest.current),
      element,
    );
    plot.current = chart;
    const observer = new ResizeObserver(() => chart.setSize({ width: element.clientWidth || 300, height }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [shape, height]);

  useEffect(() => {
    plot.current?.setData(buildData(props));
  });

  const total = props.series.reduce((sum, s) => sum + s.values.reduce<number>((a, v) => a + (v ?? 0), 0), 0);
  return (
    <figure
      role="img"
      aria-label={props.label}
      data-testid={props.testId}
      data-points={props.times.length}
      data-total={total}
      className="min-w-0"
    >
      <link rel="stylesheet" href={uPlotStyles} />
      <div ref={frame} className="w-full min-w-0 overflow-hidden text-xs" style={{ minHeight: height }} />
    </figure>
  );
}
