// A2: the worker page's stats history: the samples the loader read (one per flushed heartbeat) plus the live
// fleet:worker views that arrive after it, one point per heartbeat, kept to the chart's window. Pure.
import type { MetricSampleView, WorkerView } from "~/fleet/views";

/** The sample a live worker view carries, or null when it holds no heartbeat stats yet. */
export function sampleOfView(view: WorkerView): MetricSampleView | null {
  if (view.cpuPercent === null && view.memoryMb === null) return null;
  return {
    time: Date.parse(view.lastSeenAt),
    cpuPercent: view.cpuPercent,
    memoryMb: view.memoryMb,
    fps: view.fps,
    latencyMs: view.latencyMs,
  };
}

/**
 * Adds a sample unless one for the same heartbeat (same time) is there; drops samples older than `windowMs` before
 * the newest. Views without a new heartbeat (status or load changes) add nothing.
 */
export function appendSample(
  samples: MetricSampleView[],
  sample: MetricSampleView | null,
  windowMs: number,
): MetricSampleView[] {
  if (!sample || samples.some((s) => s.time === sample.time)) return samples;
  const merged = [...samples, sample].sort((a, b) => a.time - b.time);
  const newest = merged[merged.length - 1].time;
  return merged.filter((s) => s.time >= newest - windowMs);
}
