import { describe, expect, it } from "vitest";
import { assignment, workerState } from "./fleet-test-support";
import { assignmentsOf, countByWorker, toWorkerView, visibleTo, workerStateFromRow } from "./worker-state";

describe("worker state (A1, W4)", () => {
  it("lists and counts current assignments per worker", () => {
    const current = [assignment("c1", "w1"), assignment("c2", "w2"), assignment("c3", "w1")];
    expect(assignmentsOf(current, "w1").map((a) => a.cameraId)).toEqual(["c1", "c3"]);
    expect(assignmentsOf(current, "none")).toEqual([]);
    expect([...countByWorker(current)]).toEqual([
      ["w1", 2],
      ["w2", 1],
    ]);
  });

  it("loads a stored worker unlinked, with the restart grace and its last metrics", () => {
    const state = workerStateFromRow(
      {
        id: "w1",
        tenantId: "t1",
        credentialId: null,
        name: "one",
        host: "h",
        version: "1",
        capacity: 3,
        shared: true,
        capabilities: { models: [], codecs: [] },
        status: "PROCESSING",
        maintenance: true,
        heartbeatMs: 500,
        metrics: { cpuPercent: 5, memoryMb: 100, cameras: [] },
        registeredAt: new Date(1000),
        lastSeenAt: new Date(2000),
        driftMs: 7,
      },
      99_000,
    );
    expect(state).toMatchObject({
      shared: true,
      link: null,
      graceUntilMs: 99_000,
      lastSeenMs: 2000,
      maintenance: true,
      driftMs: 7,
    });
    expect(state.metrics?.cpuPercent).toBe(5);
  });

  it("averages fps over cameras and latency over cameras that report one", () => {
    const view = toWorkerView(
      workerState({
        metrics: {
          cpuPercent: 10,
          memoryMb: 200,
          cameras: [
            { cameraId: "c1", fps: 4, latencyMs: 20, state: "streaming" },
            { cameraId: "c2", fps: 2, latencyMs: null, state: "streaming" },
          ] as never,
        },
      }),
      2,
    );
    expect(view).toMatchObject({ fps: 3, latencyMs: 20, assigned: 2, connected: false, cpuPercent: 10 });
    expect(toWorkerView(workerState(), 0)).toMatchObject({ fps: null, latencyMs: null, cpuPercent: null });
  });

  it("shows a shared worker to every tenant, each with only its own cameras and no credential (issue 12)", () => {
    expect(visibleTo({ tenantId: "t1", shared: false }, "t2")).toBe(false);
    expect(visibleTo({ tenantId: "t1", shared: false }, "t1")).toBe(true);
    expect(visibleTo({ tenantId: "t1", shared: true }, "t2")).toBe(true);
    const shared = workerState({
      shared: true,
      metrics: {
        cpuPercent: 1,
        memoryMb: 2,
        cameras: [
          { cameraId: "c-t1", fps: 5, latencyMs: 10, state: "streaming" },
          { cameraId: "c-t2", fps: 3, latencyMs: 30, state: "streaming" },
        ] as never,
      },
    });
    const tenantOf = (id: string) => (id === "c-t1" ? "t1" : "t2");
    const seenByT2 = toWorkerView(shared, 2, "t2", tenantOf);
    expect(seenByT2.cameras.map((c) => c.cameraId)).toEqual(["c-t2"]);
    expect(seenByT2).toMatchObject({ shared: true, credentialId: null, assigned: 2, fps: 4 });
    const seenByOwner = toWorkerView(shared, 2, "t1", tenantOf);
    expect(seenByOwner.cameras.map((c) => c.cameraId)).toEqual(["c-t1"]);
    expect(seenByOwner.credentialId).toBe("c1");
  });
});
