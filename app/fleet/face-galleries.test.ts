import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import type { CameraAnalysis, FaceGallery } from "../../protocol";
import { galleryChanges } from "../models/staff/gallery.server";
import { FaceGalleries, galleryTenantsOf, type GalleryFleet } from "./face-galleries.server";
import { assignment, fakeLink, memoryContext, workerState } from "./fleet-test-support";
import type { CurrentAssignment, WorkerState } from "./worker-state";

function fleetWith(workers: WorkerState[], current: CurrentAssignment[]) {
  const { ctx } = memoryContext(workers, current);
  const sent: Array<{ workerId: string; gallery: FaceGallery }> = [];
  const pushed: Array<{ tenantId: string; cameraId: string }> = [];
  const bus = new EventEmitter();
  const fleet: GalleryFleet = Object.assign(ctx, {
    emitToWorker: (workerId: string, _event: string, gallery: unknown) => {
      if (!ctx.workers.get(workerId)?.link) return false;
      sent.push({ workerId, gallery: gallery as FaceGallery });
      return true;
    },
    pushCameraAnalysis: (tenantId: string, cameraId: string) => (pushed.push({ tenantId, cameraId }), true),
    placement: {
      cameraAnalysis: async (_t: string, ids: string[]) => new Map(ids.map((id) => [id, {} as CameraAnalysis])),
    },
    on: bus.on.bind(bus),
    off: bus.off.bind(bus),
  }) as never;
  let revision = 1;
  const load = async (tenantId: string): Promise<FaceGallery> => ({
    galleryId: tenantId,
    revision,
    modelId: "faceres",
    modelVersion: "1",
    enabled: true,
    people: [],
  });
  const galleries = new FaceGalleries(fleet, load);
  return { fleet, galleries, sent, pushed, bus, bump: () => (revision += 1) };
}

describe("face galleries to workers (D6, C6; issue 14)", () => {
  it("a tenant's worker holds its tenant's gallery; a shared worker only those of tenants whose cameras it has", () => {
    const current = [assignment("c1", "shared", "t2"), assignment("c2", "own", "t1")];
    expect([...galleryTenantsOf(workerState({ id: "own", tenantId: "t1" }), current)]).toEqual(["t1"]);
    expect([...galleryTenantsOf(workerState({ id: "shared", tenantId: "t9", shared: true }), current)]).toEqual(["t2"]);
  });

  it("sends on register, not again before an assignment on the same connection, again on a new one", async () => {
    const worker = workerState({ id: "own", tenantId: "t1", link: fakeLink("s1") });
    const { galleries, sent } = fleetWith([worker], []);
    await galleries.workerRegistered(worker);
    await galleries.ensure("own", "t1");
    expect(sent.map((s) => [s.workerId, s.gallery.galleryId])).toEqual([["own", "t1"]]);
    worker.link = fakeLink("s2");
    await galleries.ensure("own", "t1");
    expect(sent).toHaveLength(2);
    galleries.close();
  });

  it("on a change, re-sends to every connected worker serving the tenant and pushes its cameras' analysis", async () => {
    const own = workerState({ id: "own", tenantId: "t1", link: fakeLink("s1") });
    const shared = workerState({ id: "shared", tenantId: "t9", shared: true, link: fakeLink("s2") });
    const other = workerState({ id: "other", tenantId: "t3", link: fakeLink("s3") });
    const offline = workerState({ id: "off", tenantId: "t1", link: null });
    const current = [assignment("c1", "shared", "t1"), assignment("c2", "own", "t1"), assignment("c3", "other", "t3")];
    const { galleries, sent, pushed, bump } = fleetWith([own, shared, other, offline], current);
    bump();
    galleryChanges.emit("changed", "t1");
    galleryChanges.emit("changed", "t1"); // coalesced
    await new Promise((r) => setTimeout(r, 300));
    expect(sent.map((s) => s.workerId).sort()).toEqual(["own", "shared"]);
    expect(sent.every((s) => s.gallery.revision === 2)).toBe(true);
    expect(pushed.map((p) => p.cameraId).sort()).toEqual(["c1", "c2"]);
    galleries.close();
  });

  it("tells a shared worker to drop a tenant's gallery when its last camera of that tenant is released", async () => {
    const shared = workerState({ id: "shared", tenantId: "t9", shared: true, link: fakeLink("s2") });
    const current = [assignment("c1", "shared", "t1")];
    const { fleet, galleries, sent, bus } = fleetWith([shared], current);
    await galleries.ensure("shared", "t1");
    fleet.current.delete("c1");
    bus.emit("assignment-ended", { workerId: "shared", cameraId: "c1" });
    expect(sent.map((s) => [s.gallery.galleryId, s.gallery.enabled, s.gallery.revision])).toEqual([
      ["t1", true, 1],
      ["t1", false, 1],
    ]);
    galleries.close();
  });
});
