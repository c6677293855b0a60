import { describe, expect, it } from "vitest";
import type { WorkerView } from "~/fleet/views";
import { appendSample, sampleOfView } from "./metric-history";

const sample = (time: number, fps = 5) => ({ time, cpuPercent: 10, memoryMb: 100, fps, latencyMs: 20 });

describe("worker stats history (A2)", () => {
  it("adds one point per heartbeat and keeps the window", () => {
    const start = [sample(1_000), sample(2_000)];
    expect(appendSample(start, sample(2_000, 9), 60_000)).toBe(start); // same heartbeat: unchanged
    expect(appendSample(start, null, 60_000)).toBe(start);
    expect(appendSample(start, sample(3_000), 60_000).map((s) => s.time)).toEqual([1_000, 2_000, 3_000]);
    expect(appendSample(start, sample(62_500), 60_000).map((s) => s.time)).toEqual([62_500]);
  });

  it("reads the stats of a live worker view, none before its first heartbeat stats", () => {
    const view = {
      lastSeenAt: new Date(5_000).toISOString(),
      cpuPercent: 12,
      memoryMb: 300,
      fps: 4,
      latencyMs: null,
    } as WorkerView;
    expect(sampleOfView(view)).toEqual({ time: 5_000, cpuPercent: 12, memoryMb: 300, fps: 4, latencyMs: null });
    expect(sampleOfView({ ...view, cpuPercent: null, memoryMb: null })).toBeNull();
  });
});
