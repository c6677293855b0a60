import { describe, expect, it } from "vitest";
import { workerState } from "./fleet-test-support";
import { cleanupDue, flushRows, sampleRows, shortestHeartbeat } from "./liveness.server";

describe("liveness (W5, O3)", () => {
  it("sweeps at the pace of the fastest worker still there", () => {
    const workers = [
      workerState({ heartbeatMs: 800 }),
      workerState({ heartbeatMs: 100, status: "OFFLINE" }),
      workerState({ heartbeatMs: 400 }),
    ];
    expect(shortestHeartbeat(workers, 30_000)).toBe(400);
    expect(shortestHeartbeat([], 30_000)).toBe(30_000);
  });

  it("cleans up at most every minute, sooner for short retentions", () => {
    expect(cleanupDue(60_001, 0, 24)).toBe(true);
    expect(cleanupDue(59_000, 0, 24)).toBe(false);
    expect(cleanupDue(1_000, 0, 0.001)).toBe(true); // 3.6 s retention: a quarter of it
  });

  it("flushes only workers with unsaved heartbeats", () => {
    const rows = flushRows([
      workerState({ id: "a", dirty: true, lastSeenMs: 0, driftMs: 3 }),
      workerState({ id: "b", dirty: false }),
    ]);
    expect(rows).toEqual([{ id: "a", seen: new Date(0).toISOString(), metrics: {}, driftMs: 3 }]);
  });

  it("samples the heartbeat stats of workers that heartbeated since the last flush (A2 charts)", () => {
    const metrics = { cpuPercent: 30, memoryMb: 512, cameras: [{ cameraId: "c", fps: 4, latencyMs: 12 }] as never };
    expect(
      sampleRows([
        workerState({ id: "a", dirty: true, lastSeenMs: 0, metrics }),
        workerState({ id: "b", dirty: true, metrics: null }),
        workerState({ id: "c", dirty: false, metrics }),
      ]),
    ).toEqual([
      { time: new Date(0).toISOString(), workerId: "a", cpuPercent: 30, memoryMb: 512, fps: 4, latencyMs: 12 },
    ]);
  });
});
