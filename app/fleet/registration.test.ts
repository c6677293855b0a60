import { describe, expect, it } from "vitest";
import { fakeLink, memoryContext, workerState } from "./fleet-test-support";
import { LiveViews } from "./live-views.server";
import type { Placement } from "./placement.server";
import { metricsOf, splitByCapacity, statusAfterHeartbeat, WorkerRegistry } from "./registration.server";

const heartbeat = {
  status: "PROCESSING" as const,
  sentAt: new Date(0).toISOString(),
  cpuPercent: 12,
  memoryMb: 300,
  cameras: [],
  load: { assigned: 0, capacity: 2 },
};

describe("registration (W1, W4, W5)", () => {
  it("keeps maintenance the server's to set", () => {
    expect(statusAfterHeartbeat(true, "PROCESSING")).toBe("MAINTENANCE");
    expect(statusAfterHeartbeat(false, "MAINTENANCE")).toBe("ONLINE");
    expect(statusAfterHeartbeat(false, "IDLE")).toBe("IDLE");
  });

  it("keeps the first `capacity` cameras of a returning worker", () => {
    expect(splitByCapacity([1, 2, 3], 2)).toEqual({ keep: [1, 2], drop: [3] });
    expect(splitByCapacity([1], 0)).toEqual({ keep: [], drop: [1] });
    expect(splitByCapacity([1], -1)).toEqual({ keep: [], drop: [1] });
  });

  it("takes a heartbeat's metrics and refuses one from a connection that did not register", () => {
    expect(metricsOf(heartbeat as never)).toMatchObject({ cpuPercent: 12, memoryMb: 300, cameras: [] });
    const state = workerState({ link: fakeLink("s1"), status: "PROCESSING" });
    const { ctx } = memoryContext([state]);
    const published: unknown[] = [];
    const views = new LiveViews(ctx, { emitToTenant: (...args: unknown[]) => void published.push(args) });
    const registry = new WorkerRegistry(ctx, {} as Placement, views);
    const session = { socketId: "s1", credentialId: "c1", tenantId: "t1", workerId: "w1" };
    expect(registry.heartbeat({ ...session, socketId: "other" }, heartbeat as never)).toMatchObject({
      ok: false,
      error: { code: "not_registered" },
    });
    expect(registry.heartbeat(session, heartbeat as never).ok).toBe(true);
    expect(state).toMatchObject({ dirty: true, metrics: { cpuPercent: 12 } });
    expect(published).toHaveLength(1); // same status: one fleet:worker, no status change recorded
  });
});
