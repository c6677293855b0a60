// Shared worker pool (issue 12; SPEC A3, A4, O1, U2): a worker started with a shared credential (a platform admin's,
// like the built-in local worker's) takes a second tenant's cameras; its events land in the CAMERA's tenant and never
// show in another tenant's views; a tenant-issued worker never gets another tenant's camera; a tenant admin sees a
// shared worker but cannot command, remove or revoke it. Real server and database; workers speak the protocol over
// real sockets (tests/integration/support/worker-socket.ts).
import { randomUUID } from "node:crypto";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Json, waitUntil } from "./fleet-support";
import { login, makeDataDir, startServerProcess, type ServerProcess } from "./support/server-process";
import { onnxBytes, uploadForm } from "./support/model-upload";
import { askWorker, connectWorkerSocket, exchangeWorkerToken } from "./support/worker-socket";

let server: ServerProcess;
let data: { dir: string; remove(): void };
let adminCookie: string; // platform admin, admin of tenant A (default) and B (creator)
let tenantAdminCookie: string; // admin of tenant B only, not a platform admin
let tenantA: string;
let tenantB: string;
const sockets: Socket[] = [];
let shared: { socket: Socket; credentialId: string; commands: Json[]; token: string };
let ownA: { socket: Socket; commands: Json[]; token: string };

async function call(cookie: string, method: string, path: string, body?: unknown, tenant?: string) {
  const res = await fetch(server.url + path, {
    method,
    headers: {
      cookie,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...(tenant ? { "x-argus-tenant": tenant } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json: Json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: res.status, body: json };
}

/** The Workers page's own action (what the UI's "Shared" checkbox posts): the shared credential in its answer. */
async function issueSharedCredential(name: string): Promise<{ credential: string; id: string }> {
  const res = await fetch(`${server.url}/workers.data?index`, {
    method: "POST",
    headers: { cookie: adminCookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ intent: "issue-credential", name, shared: "on" }),
  });
  const credential = /argw_[A-Za-z0-9_-]{20,}/.exec(await res.text())?.[0];
  expect(credential, `status ${res.status}`).toBeTruthy();
  const listed = await call(adminCookie, "GET", "/api/v1/workers/credentials", undefined, tenantA);
  const row = listed.body.credentials.find((c: Json) => c.name === name);
  expect(row.shared).toBe(true);
  return { credential: credential!, id: row.id };
}

async function startFakeWorker(credential: string, id: string, capacity: number) {
  const token = await exchangeWorkerToken(server.url, credential);
  const socket = await connectWorkerSocket(server.url, token);
  sockets.push(socket);
  const commands: Json[] = [];
  socket.on("v1:command", (command: Json) => {
    commands.push(command);
    void askWorker(socket, "v1:command-ack", { commandId: command.commandId, ok: true });
  });
  const registered = await askWorker(socket, "v1:register", {
    id,
    name: id,
    host: "test",
    version: "1",
    capacity,
    capabilities: { models: [], codecs: [] },
  });
  expect(registered.ok, JSON.stringify(registered.error)).toBe(true);
  return { socket, commands, token };
}

function crossing(cameraId: string): Json {
  const iso = new Date().toISOString();
  return {
    type: "line_crossing",
    eventId: randomUUID(),
    cameraId,
    utcTimestamp: iso,
    localTime: iso.slice(0, 23),
    timezoneOffset: 0,
    driftOffset: 0,
    correctedUtc: iso,
    lamport: 1,
    modelId: "centernet-coco",
    modelVersion: "1",
    trackId: 1,
    class: "person",
    confidence: 0.9,
    lineId: "gate",
    direction: "in",
  };
}

async function cameraIn(tenant: string, name: string): Promise<string> {
  const res = await call(adminCookie, "POST", "/api/v1/cameras", { name, kind: "browser" }, tenant);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.camera.id;
}

async function placementOf(cookie: string, cameraId: string, tenant?: string): Promise<Json> {
  return (await call(cookie, "GET", `/api/v1/cameras/${cameraId}`, undefined, tenant)).body.camera.placement;
}

beforeAll(async () => {
  data = makeDataDir("argus-shared-pool-");
  server = await startServerProcess({ dataDir: data.dir, env: { LOCAL_WORKER: "false", LOG_LEVEL: "warn" } });
  adminCookie = await login(server.url);
  tenantA = (await call(adminCookie, "GET", "/api/v1/tenants")).body.tenants[0].id;
  tenantB = (await call(adminCookie, "POST", "/api/v1/tenants", { name: "Second tenant" })).body.tenant.id;
  const member = await call(
    adminCookie,
    "POST",
    "/api/v1/members",
    { email: "b-admin@argus.test", name: "B admin", password: "b-admin-password-123", role: "admin" },
    tenantB,
  );
  expect(member.status).toBe(201);
  tenantAdminCookie = await login(server.url, "b-admin@argus.test", "b-admin-password-123");
  // Tenant A's own worker (a tenant credential) with free slots, and a shared worker from the platform admin.
  const ownCredential = await call(adminCookie, "POST", "/api/v1/workers/credentials", { name: "a-own" }, tenantA);
  expect(ownCredential.body.shared).toBe(false);
  ownA = await startFakeWorker(ownCredential.body.credential, "a-own", 4);
  const sharedCredential = await issueSharedCredential("pool");
  shared = { ...(await startFakeWorker(sharedCredential.credential, "pool", 2)), credentialId: sharedCredential.id };
}, 120_000);

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server?.stop();
  data?.remove();
});

describe("shared worker pool (issue 12)", () => {
  let cameraB1: string;

  it("places a second tenant's camera on the shared worker, never on another tenant's own worker", async () => {
    cameraB1 = await cameraIn(tenantB, "B gate");
    const placed = await waitUntil("B's camera active on the pool", async () => {
      const p = await placementOf(tenantAdminCookie, cameraB1);
      return p?.assignment?.state === "active" ? p : null;
    });
    expect(placed.assignment.workerId).toBe("pool");
    expect(ownA.commands.some((c) => c.payload?.cameraId === cameraB1)).toBe(false);
    // Manual placement on tenant A's own worker: it does not exist for tenant B.
    const manual = await call(tenantAdminCookie, "POST", `/api/v1/cameras/${cameraB1}/assign`, {
      mode: "worker",
      workerId: "a-own",
    });
    expect(manual.status).toBe(404);
    // The pool full (capacity 2), B's third camera waits, with what to do, while A's own worker has 4 free slots.
    await cameraIn(tenantB, "B dock");
    const third = await cameraIn(tenantB, "B yard");
    const waiting = await waitUntil("B's third camera unassigned", async () => {
      const p = await placementOf(tenantAdminCookie, third);
      return p && !p.assignment && p.note ? p : null;
    });
    expect(waiting.note).toContain("Workers page");
    expect(ownA.commands.filter((c) => c.type === "ASSIGN_CAMERA")).toHaveLength(0);
    const roundRobin = await call(tenantAdminCookie, "POST", `/api/v1/cameras/${third}/assign`, {
      mode: "round-robin",
    });
    expect(roundRobin.status).toBe(409);
    // Tenant A's cameras go to its own worker first (the pool is the fallback).
    const cameraA = await cameraIn(tenantA, "A gate");
    const placedA = await waitUntil("A's camera active", async () => {
      const p = await placementOf(adminCookie, cameraA, tenantA);
      return p?.assignment?.state === "active" ? p : null;
    });
    expect(placedA.assignment.workerId).toBe("a-own");
  });

  it("stores the shared worker's events under the camera's tenant; other tenants never see them", async () => {
    const reply = await askWorker(shared.socket, "v1:events", {
      batchId: randomUUID(),
      events: [crossing(cameraB1), crossing(cameraB1)],
    });
    expect(reply.ok, JSON.stringify(reply.error)).toBe(true);
    expect(reply.data).toMatchObject({ stored: 2, rejected: [] });
    const inB = await call(tenantAdminCookie, "GET", `/api/v1/detection-events?camera_id=${cameraB1}`);
    expect(inB.status).toBe(200);
    expect(inB.body.count).toBe(2);
    const inA = await call(adminCookie, "GET", "/api/v1/detection-events", undefined, tenantA);
    expect(inA.body.events.filter((e: Json) => e.camera_id === cameraB1)).toHaveLength(0);
    const aAskingForB = await call(
      adminCookie,
      "GET",
      `/api/v1/detection-events?camera_id=${cameraB1}`,
      undefined,
      tenantA,
    );
    expect(aAskingForB.body.count ?? 0).toBe(0);
    // Tenant A's own worker cannot report on B's camera; the pool cannot report on a camera never given to it.
    const fromOwn = await askWorker(ownA.socket, "v1:events", { batchId: randomUUID(), events: [crossing(cameraB1)] });
    expect(fromOwn.data).toMatchObject({ stored: 0, rejected: [expect.objectContaining({ index: 0 })] });
    const elsewhere = await cameraIn(tenantA, "A dock");
    await waitUntil(
      "A's second camera placed",
      async () => (await placementOf(adminCookie, elsewhere, tenantA))?.assignment,
    );
    expect((await placementOf(adminCookie, elsewhere, tenantA)).assignment.workerId).toBe("a-own");
    const notGiven = await askWorker(shared.socket, "v1:events", {
      batchId: randomUUID(),
      events: [crossing(elsewhere)],
    });
    expect(notGiven.data).toMatchObject({ stored: 0, rejected: [expect.objectContaining({ index: 0 })] });
  });

  it("lets the shared worker download the model of a tenant whose camera it holds, and no other tenant's", async () => {
    const upload = async (cookie: string, tenant: string, id: string, seed: number) => {
      const res = await fetch(`${server.url}/api/v1/detection-models`, {
        method: "POST",
        headers: { cookie, "x-argus-tenant": tenant },
        body: uploadForm({ id, version: "1", classes: "person", inputSize: "320" }, onnxBytes(4000, seed)),
      });
      expect(res.status, await res.clone().text()).toBe(201);
    };
    // Tenant C has no camera on the pool. (The pool's credential was issued in tenant A, whose models it sees anyway.)
    const tenantC = (await call(adminCookie, "POST", "/api/v1/tenants", { name: "Third tenant" })).body.tenant.id;
    await upload(tenantAdminCookie, tenantB, "b-own-yolo", 5);
    await upload(adminCookie, tenantC, "c-own-yolo", 6);
    const download = (token: string, id: string) =>
      fetch(`${server.url}/api/v1/detection-models/${id}/versions/1/file`, {
        headers: { authorization: `Bearer ${token}` },
      }).then(async (r) => ({ status: r.status, size: (await r.arrayBuffer()).byteLength }));
    // The pool holds B's cameras: it may fetch B's model (it runs it for them); before the fix this was a 404.
    expect(await download(shared.token, "b-own-yolo")).toEqual({ status: 200, size: 4000 });
    // C's model is none of the pool's business, and B's none of A's own worker's.
    expect((await download(shared.token, "c-own-yolo")).status).toBe(404);
    expect((await download(ownA.token, "b-own-yolo")).status).toBe(404);
  });

  it("shows a tenant admin the shared worker as such, with only its own cameras, but refuses to let it change it", async () => {
    const listed = (await call(tenantAdminCookie, "GET", "/api/v1/workers")).body.workers as Json[];
    expect(listed.map((w) => w.id)).toEqual(["pool"]); // not tenant A's own worker
    expect(listed[0]).toMatchObject({ shared: true, credentialId: null, assigned: 2, capacity: 2 });
    expect((await call(tenantAdminCookie, "POST", "/api/v1/workers/pool/maintenance", { on: true })).status).toBe(403);
    const command = await call(tenantAdminCookie, "POST", "/api/v1/workers/pool/commands", {
      type: "SHUTDOWN",
      payload: { reason: "test" },
    });
    expect(command.status).toBe(403);
    expect((await call(tenantAdminCookie, "DELETE", "/api/v1/workers/pool")).status).toBe(403);
    const revoke = await call(tenantAdminCookie, "DELETE", `/api/v1/workers/credentials/${shared.credentialId}`);
    expect(revoke.status).toBe(403);
    const sharedByTenantAdmin = await call(tenantAdminCookie, "POST", "/api/v1/workers/credentials", {
      name: "not-allowed",
      shared: true,
    });
    expect(sharedByTenantAdmin.status).toBe(403);
    // Still connected and serving: nothing above reached it.
    expect(shared.commands.some((c) => c.type === "SHUTDOWN" || c.type === "SET_MAINTENANCE")).toBe(false);
    expect((await call(tenantAdminCookie, "GET", "/api/v1/workers")).body.workers[0].connected).toBe(true);
    // The platform admin can: maintenance moves the pool's cameras off it (B's wait, A's own worker never takes them).
    const maintenance = await call(adminCookie, "POST", "/api/v1/workers/pool/maintenance", { on: true }, tenantA);
    expect(maintenance.status).toBe(200);
    await waitUntil(
      "B's camera released from the pool",
      async () => !(await placementOf(tenantAdminCookie, cameraB1)).assignment,
    );
    expect(ownA.commands.filter((c) => c.type === "ASSIGN_CAMERA").every((c) => c.payload.cameraId !== cameraB1)).toBe(
      true,
    );
  });
});
