import { describe, expect, it } from "vitest";
import { assignment, memoryContext, workerState } from "./fleet-test-support";
import { LiveViews } from "./live-views.server";

describe("live views (A1)", () => {
  it("counts a worker's current cameras and publishes to its tenant", () => {
    const { ctx, events } = memoryContext([workerState()], [assignment("c1", "w1"), assignment("c2", "w2")]);
    const sent: Array<[string, string, unknown]> = [];
    const views = new LiveViews(ctx, {
      emitToTenant: (tenant, event, payload) => void sent.push([tenant, event, payload]),
    });
    expect(views.view(ctx.workers.get("w1")!).assigned).toBe(1);
    views.publishWorkerById("w1");
    views.publishWorkerById("unknown");
    expect(sent.map(([t, e]) => [t, e])).toEqual([["t1", "fleet:worker"]]);
    expect(events.map((e) => e.event)).toEqual(["worker"]);
    views.publishWorkerRemoved({ id: "w1", tenantId: "t1" });
    expect(sent[1]).toEqual(["t1", "fleet:worker-removed", { id: "w1" }]);
  });
});
