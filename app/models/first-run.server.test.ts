// First-run checklist (issue 12 §2): the pure decision, and the facts read from a real embedded TimescaleDB through
// the same functions the landing page calls.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle, type Db } from "../../db/client";
import { cameras, workerCredentials, workers } from "../../db/schema";
import { LOCAL_CREDENTIAL_NAME } from "../fleet/local-worker.server";
import { createCamera } from "./cameras.server";
import { DEMO_SCENE } from "./demo-scene";
import {
  buildChecklist,
  getFirstRunChecklist,
  loadFirstRunFacts,
  markFirstRun,
  restoreFirstRun,
  type FirstRunFacts,
} from "./first-run.server";
import { scopeFor, type TenantScope } from "./scope.server";
import { createTenant } from "./tenants.server";
import { addMember, createUser } from "./users.server";

const NOTHING: FirstRunFacts = {
  role: "admin",
  addedCameras: 0,
  firstAddedCameraId: null,
  demoCameraId: null,
  remoteWorkers: 0,
  drawnLines: 0,
  marks: new Set(),
};

describe("buildChecklist", () => {
  it("lists the five steps in order, none done, for an operator or admin", () => {
    const list = buildChecklist(NOTHING);
    expect(list.steps.map((s) => s.id)).toEqual(["watch", "camera", "worker", "line", "analytics"]);
    expect(list.done).toBe(0);
    expect(list.dismissed).toBe(false);
    expect(list.canIssueCredentials).toBe(true);
    expect(buildChecklist({ ...NOTHING, role: "operator" }).canIssueCredentials).toBe(false);
  });

  it("shows a viewer only what a viewer can do", () => {
    expect(buildChecklist({ ...NOTHING, role: "viewer" }).steps.map((s) => s.id)).toEqual(["watch", "analytics"]);
  });

  it("ticks each step from its own fact", () => {
    const list = buildChecklist({
      ...NOTHING,
      addedCameras: 1,
      firstAddedCameraId: "c1",
      remoteWorkers: 1,
      drawnLines: 2,
      marks: new Set(["watched_live", "opened_analytics"]),
    });
    expect(list.steps.every((s) => s.done)).toBe(true);
    expect(list.done).toBe(5);
    expect(buildChecklist({ ...NOTHING, marks: new Set(["dismissed"]) }).dismissed).toBe(true);
  });

  it("points the watch step at the demo camera and the line step at the user's own camera", () => {
    const demoOnly = buildChecklist({ ...NOTHING, demoCameraId: "demo" });
    expect(demoOnly.steps.find((s) => s.id === "watch")?.href).toBe("/cameras/demo/live");
    expect(demoOnly.steps.find((s) => s.id === "line")?.href).toBe("/cameras/demo/live");
    const both = buildChecklist({ ...NOTHING, demoCameraId: "demo", firstAddedCameraId: "mine", addedCameras: 1 });
    expect(both.steps.find((s) => s.id === "watch")?.href).toBe("/cameras/demo/live");
    expect(both.steps.find((s) => s.id === "line")?.href).toBe("/cameras/mine/live");
    expect(buildChecklist(NOTHING).steps.find((s) => s.id === "watch")?.href).toBe("/live");
  });
});

describe("facts from the database", () => {
  let dataDir: string;
  let handle: DatabaseHandle;
  let db: Db;
  let admin: TenantScope;
  let viewer: TenantScope;
  let other: TenantScope;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "argus-first-run-"));
    handle = await openDatabase({ dataDir });
    await handle.migrate();
    db = handle.db;
    const root = await createUser(db, {
      email: "root@fr.test",
      name: "Root",
      password: "first-run-pw-1",
      isPlatformAdmin: true,
    });
    const tenant = await createTenant(db, root, { name: "First run" });
    const otherTenant = await createTenant(db, root, { name: "Someone else" });
    admin = await scopeFor(db, root.id, tenant.id);
    other = await scopeFor(db, root.id, otherTenant.id);
    const vera = await addMember(admin, {
      email: "vera@fr.test",
      name: "Vera",
      password: "first-run-pw-1",
      role: "viewer",
    });
    viewer = await scopeFor(db, vera.member.userId, tenant.id);
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts with nothing done", async () => {
    const list = await getFirstRunChecklist(admin);
    expect(list.done).toBe(0);
    expect(list.steps).toHaveLength(5);
  });

  it("does not count the demo camera or its pre-drawn line as the user's own", async () => {
    const demo = await createCamera(admin, { name: "Demo", kind: "demo" }, { wantAssigned: false });
    await db.update(cameras).set({ scene: DEMO_SCENE }).where(eqId(demo.id));
    const facts = await loadFirstRunFacts(admin);
    expect(facts.demoCameraId).toBe(demo.id);
    expect(facts.addedCameras).toBe(0);
    expect(facts.drawnLines).toBe(0);
    // A line the user adds to the demo camera is theirs.
    await db
      .update(cameras)
      .set({
        scene: {
          lines: [...DEMO_SCENE.lines, { id: "door", name: "Door", a: { x: 0.1, y: 0.1 }, b: { x: 0.2, y: 0.9 } }],
          zones: [],
        },
      })
      .where(eqId(demo.id));
    expect((await loadFirstRunFacts(admin)).drawnLines).toBe(1);
    await db.update(cameras).set({ scene: DEMO_SCENE }).where(eqId(demo.id));
  });

  it("counts added cameras, their lines and remote workers, not the local worker, and only in this tenant", async () => {
    const mine = await createCamera(admin, { name: "Gate", kind: "browser" }, { wantAssigned: false });
    await db
      .update(cameras)
      .set({ scene: { lines: [{ id: "gate", name: "Gate", a: { x: 0.5, y: 0 }, b: { x: 0.5, y: 1 } }], zones: [] } })
      .where(eqId(mine.id));
    await addWorker(db, admin.tenantId, "local-1", LOCAL_CREDENTIAL_NAME);
    let facts = await loadFirstRunFacts(admin);
    expect(facts).toMatchObject({ addedCameras: 1, firstAddedCameraId: mine.id, drawnLines: 1, remoteWorkers: 0 });
    await addWorker(db, admin.tenantId, "remote-1", "gpu box");
    facts = await loadFirstRunFacts(admin);
    expect(facts.remoteWorkers).toBe(1);
    // Another tenant of the same user sees none of it.
    expect(await loadFirstRunFacts(other)).toMatchObject({
      addedCameras: 0,
      drawnLines: 0,
      remoteWorkers: 0,
      demoCameraId: null,
    });
  });

  it("keeps marks per user, once, and restores a dismissed list", async () => {
    await markFirstRun(admin, "watched_live");
    await markFirstRun(admin, "watched_live");
    await markFirstRun(admin, "dismissed");
    expect((await getFirstRunChecklist(admin)).dismissed).toBe(true);
    expect((await loadFirstRunFacts(admin)).marks).toEqual(new Set(["watched_live", "dismissed"]));
    // The viewer has their own list: nothing watched, not dismissed.
    const vera = await getFirstRunChecklist(viewer);
    expect(vera.dismissed).toBe(false);
    expect(vera.steps.map((s) => [s.id, s.done])).toEqual([
      ["watch", false],
      ["analytics", false],
    ]);
    await restoreFirstRun(admin);
    expect((await getFirstRunChecklist(admin)).dismissed).toBe(false);
    expect((await loadFirstRunFacts(admin)).marks.has("watched_live")).toBe(true);
  });
});

function eqId(id: string) {
  return eq(cameras.id, id);
}

async function addWorker(db: Db, tenantId: string, id: string, credentialName: string): Promise<void> {
  const [credential] = await db
    .insert(workerCredentials)
    .values({ tenantId, name: credentialName, secretHash: `hash-${id}`, prefix: id.slice(0, 4) })
    .returning({ id: workerCredentials.id });
  await db.insert(workers).values({
    id,
    tenantId,
    credentialId: credential!.id,
    name: id,
    host: "test",
    version: "1",
    capacity: 2,
    capabilities: { models: [], codecs: [] },
    status: "IDLE",
    heartbeatMs: 1000,
  });
}
