import { describe, expect, it } from "vitest";
import { assignment, memoryContext, workerState } from "./fleet-test-support";
import { LiveViews, workerAudience } from "./live-views.server";

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
    views.publishWorkerRemoved({ id: "w1", tenantId: "t1", shared: false });
    expect(sent[1]).toEqual(["t1", "fleet:worker-removed", { id: "w1" }]);
  });

  it("sends a shared worker's changes to every tenant online, each its own view (issue 12)", () => {
    expect(workerAudience({ tenantId: "t1", shared: false }, ["t2"])).toEqual(["t1"]);
    expect(workerAudience({ tenantId: "t1", shared: true }, ["t2", "t1", "t3"])).toEqual(["t1", "t2", "t3"]);
    const { ctx } = memoryContext([workerState({ shared: true })], [assignment("c1", "w1", "t2")]);
    const sent: Array<[string, string, { credentialId: string | null }]> = [];
    const views = new LiveViews(ctx, {
      emitToTenant: (tenant, event, payload) => void sent.push([tenant, event, payload as never]),
      tenantsOnline: () => ["t2"],
    });
    views.publishWorkerById("w1");
    expect(sent.map(([t, , v]) => [t, v.credentialId])).toEqual([
      ["t1", "c1"],
      ["t2", null],
    ]);
  });
});
