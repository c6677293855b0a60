import { describe, expect, it } from "vitest";
import { fakeLink, workerState } from "./fleet-test-support";
import { candidatesFor, NO_CAPACITY, reconcileActions, tenantsAffected } from "./placement.server";

describe("placement rules (A3, W11)", () => {
  it("offers a tenant its own workers with their load and health", () => {
    const workers = [
      workerState({ id: "a", link: fakeLink("s-a") }),
      workerState({ id: "b", link: null }),
      workerState({ id: "c", tenantId: "t2", link: fakeLink("s-c") }),
      workerState({ id: "d", maintenance: true, link: fakeLink("s-d") }),
    ];
    expect(candidatesFor(workers, new Map([["a", 1]]), "t1")).toEqual([
      { id: "a", capacity: 2, assigned: 1, healthy: true, shared: false },
      { id: "b", capacity: 2, assigned: 0, healthy: false, shared: false },
      { id: "d", capacity: 2, assigned: 0, healthy: false, shared: false },
    ]);
  });

  it("offers every tenant the shared pool, never another tenant's own workers (issue 12)", () => {
    const workers = [
      workerState({ id: "local", tenantId: "t1", shared: true, link: fakeLink("s-l") }),
      workerState({ id: "t1-own", tenantId: "t1", link: fakeLink("s-o") }),
    ];
    expect(candidatesFor(workers, new Map(), "t2")).toEqual([
      { id: "local", capacity: 2, assigned: 0, healthy: true, shared: true },
    ]);
    expect(candidatesFor(workers, new Map(), "t1").map((c) => c.id)).toEqual(["local", "t1-own"]);
  });

  it("after a worker loses cameras, reconciles its tenant and the tenants of those cameras", () => {
    expect(tenantsAffected({ tenantId: "t1" }, [{ tenantId: "t2" }, { tenantId: "t1" }, { tenantId: "t3" }])).toEqual([
      "t1",
      "t2",
      "t3",
    ]);
  });

  it("places planned cameras and marks the others unassigned only once", () => {
    const plan = new Map<string, string | null>([
      ["c1", "w1"],
      ["c2", null],
      ["c3", null],
    ]);
    expect(
      reconcileActions(
        [
          { id: "c1", note: null },
          { id: "c2", note: null },
          { id: "c3", note: NO_CAPACITY },
        ],
        plan,
      ),
    ).toEqual([
      { cameraId: "c1", workerId: "w1" },
      { cameraId: "c2", unassigned: true },
    ]);
  });
});
