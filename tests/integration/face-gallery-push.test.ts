// Face galleries on the workers (issue 14; SPEC D6, C6, ADR 0018) against a real server process and database, with
// fake workers speaking the protocol over real sockets: a tenant's worker gets its tenant's gallery on register,
// before the register reply; a shared worker (issue 12) gets only the galleries of tenants whose cameras it holds,
// before their ASSIGN_CAMERA, and is told to drop one when the camera goes; turning recognition on re-sends the
// gallery and the camera's analysis (with `faces`) within seconds.
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitUntil, type Json } from "./fleet-support";
import { login, makeDataDir, startServerProcess, type ServerProcess } from "./support/server-process";
import { askWorker, connectWorkerSocket, exchangeWorkerToken } from "./support/worker-socket";

let server: ServerProcess;
const data = makeDataDir("argus-faces-push-");
let adminCookie: string;
let tenantA: string;
let tenantB: string;
const sockets: Socket[] = [];

interface FakeWorker {
  socket: Socket;
  /** Every message in arrival order: galleries, analysis pushes and commands. */
  timeline: Array<{ event: string; message: Json; at: number }>;
  galleries(): Json[];
}

async function call(method: string, path: string, body?: unknown, tenant?: string) {
  const res = await fetch(server.url + path, {
    method,
    headers: {
      cookie: adminCookie,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...(tenant ? { "x-argus-tenant": tenant } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Json };
}

async function startWorker(credential: string, id: string): Promise<{ worker: FakeWorker; registerReply: Json }> {
  const socket = await connectWorkerSocket(server.url, await exchangeWorkerToken(server.url, credential));
  sockets.push(socket);
  const timeline: FakeWorker["timeline"] = [];
  for (const event of ["v1:face-gallery", "v1:camera-analysis", "v1:command"])
    socket.on(event, (message: Json) => {
      timeline.push({ event, message, at: Date.now() });
      if (event === "v1:command") void askWorker(socket, "v1:command-ack", { commandId: message.commandId, ok: true });
    });
  const registerReply = await askWorker(socket, "v1:register", {
    id,
    name: id,
    host: "test",
    version: "1",
    capacity: 4,
    capabilities: { models: [], codecs: [] },
  });
  expect(registerReply.ok, JSON.stringify(registerReply.error)).toBe(true);
  timeline.push({ event: "register-reply", message: registerReply.data, at: Date.now() });
  const worker = {
    socket,
    timeline,
    galleries: () => timeline.filter((t) => t.event === "v1:face-gallery").map((t) => t.message),
  };
  return { worker, registerReply };
}

const assignOf = (w: FakeWorker, cameraId: string) =>
  w.timeline.findIndex(
    (t) => t.event === "v1:command" && t.message.type === "ASSIGN_CAMERA" && t.message.payload.cameraId === cameraId,
  );

let own: FakeWorker;
let shared: FakeWorker;
let cameraA: string;
let cameraB: string;

beforeAll(async () => {
  server = await startServerProcess({ dataDir: data.dir, env: { LOG_LEVEL: "warn" } });
  adminCookie = await login(server.url);
  tenantA = (await call("GET", "/api/v1/tenants")).body.tenants[0].id;
  tenantB = (await call("POST", "/api/v1/tenants", { name: "Faces elsewhere" })).body.tenant.id;
  const ownCredential = await call("POST", "/api/v1/workers/credentials", { name: "faces-own" }, tenantA);
  expect(ownCredential.status).toBe(201);
  const sharedCredential = await call(
    "POST",
    "/api/v1/workers/credentials",
    { name: "faces-shared", shared: true },
    tenantA,
  );
  expect(sharedCredential.status, JSON.stringify(sharedCredential.body)).toBe(201);
  own = (await startWorker(ownCredential.body.credential, "faces-own")).worker;
  shared = (await startWorker(sharedCredential.body.credential, "faces-shared")).worker;
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server?.stop();
  data.remove();
});

describe("face galleries pushed to workers (D6, C6; issue 14)", () => {
  it("gives a tenant's worker its gallery on register, before the register reply; a shared worker none", () => {
    const first = own.timeline.findIndex((t) => t.event === "v1:face-gallery");
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(own.timeline.findIndex((t) => t.event === "register-reply"));
    // recognition is off until an admin turns it on: the gallery says so and carries nobody
    expect(own.galleries()[0]).toMatchObject({ galleryId: tenantA, enabled: false, people: [] });
    expect(shared.galleries()).toEqual([]);
  });

  it("gives a shared worker a tenant's gallery before that tenant's camera, and no other tenant's", async () => {
    const created = await call("POST", "/api/v1/cameras", { name: "Shared door", kind: "browser" }, tenantB);
    expect(created.status).toBe(201);
    cameraB = created.body.camera.id;
    await waitUntil("tenant B's camera on the shared worker", () => assignOf(shared, cameraB) >= 0, 30_000);
    const galleryAt = shared.timeline.findIndex(
      (t) => t.event === "v1:face-gallery" && t.message.galleryId === tenantB,
    );
    expect(galleryAt).toBeGreaterThanOrEqual(0);
    expect(galleryAt).toBeLessThan(assignOf(shared, cameraB));
    expect(shared.galleries().every((g) => g.galleryId === tenantB)).toBe(true);
    expect(own.galleries().every((g) => g.galleryId === tenantA)).toBe(true);
  });

  it("turning recognition on reaches the worker within seconds: gallery, and the camera's analysis with faces", async () => {
    const created = await call("POST", "/api/v1/cameras", { name: "Front desk", kind: "browser" }, tenantA);
    cameraA = created.body.camera.id;
    await waitUntil("tenant A's camera on its own worker", () => assignOf(own, cameraA) >= 0, 30_000);
    const assign = own.timeline[assignOf(own, cameraA)]!.message;
    expect(assign.payload.analysis.faces).toBeUndefined(); // off: no face work on the camera
    const before = own.galleries().length;
    const started = Date.now();
    const patched = await call("PATCH", "/api/v1/staff/settings", { enabled: true, threshold: 0.6 }, tenantA);
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    await waitUntil(
      "the gallery and the analysis pushed",
      () =>
        own.galleries().length > before &&
        own.timeline.some((t) => t.event === "v1:camera-analysis" && t.message.analysis.faces?.enabled),
      5_000,
    );
    const gallery = own.galleries().at(-1)!;
    expect(gallery).toMatchObject({ galleryId: tenantA, enabled: true });
    expect(gallery.revision).toBeGreaterThan(own.galleries()[0].revision);
    const push = own.timeline.filter((t) => t.event === "v1:camera-analysis").at(-1)!;
    expect(push.message).toMatchObject({
      cameraId: cameraA,
      analysis: { faces: { enabled: true, galleryId: tenantA, settings: { threshold: 0.6 } } },
    });
    const latency = Math.max(...own.timeline.filter((t) => t.at >= started).map((t) => t.at)) - started;
    console.info(`recognition switch -> worker gallery + analysis: ${latency} ms`);
    // the camera's analysis as the API shows it carries the same
    const read = await call("GET", `/api/v1/cameras/${cameraA}/analysis`, undefined, tenantA);
    expect(read.body.analysis.faces).toMatchObject({ enabled: true, galleryId: tenantA });
    // the shared worker serves no camera of tenant A: it heard nothing of it
    expect(shared.galleries().some((g) => g.galleryId === tenantA)).toBe(false);
    expect(shared.timeline.some((t) => t.event === "v1:camera-analysis" && t.message.cameraId === cameraA)).toBe(false);
  });

  it("a camera opted out of face recognition gets no face work while the tenant has it on, and gets it back", async () => {
    const analysisPushes = () =>
      own.timeline.filter((t) => t.event === "v1:camera-analysis" && t.message.cameraId === cameraA);
    const before = analysisPushes().length;
    const off = await call(
      "PUT",
      `/api/v1/cameras/${cameraA}/analysis`,
      { detection: { faceRecognition: false } },
      tenantA,
    );
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect(off.body.analysis.detection.faceRecognition).toBe(false);
    expect(off.body.analysis.faces).toBeUndefined();
    await waitUntil("the opted-out analysis pushed", () => analysisPushes().length > before, 5_000);
    expect(analysisPushes().at(-1)!.message.analysis.faces).toBeUndefined();
    // A gallery change re-sends every camera's analysis: the opted-out camera still has none.
    const count = analysisPushes().length;
    expect((await call("PATCH", "/api/v1/staff/settings", { threshold: 0.58 }, tenantA)).status).toBe(200);
    await waitUntil("analysis re-sent after the settings change", () => analysisPushes().length > count, 5_000);
    expect(analysisPushes().at(-1)!.message.analysis.faces).toBeUndefined();
    const on = await call(
      "PUT",
      `/api/v1/cameras/${cameraA}/analysis`,
      { detection: { faceRecognition: true } },
      tenantA,
    );
    expect(on.body.analysis.faces).toMatchObject({ enabled: true, galleryId: tenantA, settings: { threshold: 0.58 } });
  });

  it("tells the shared worker to drop a tenant's gallery when it no longer holds a camera of that tenant", async () => {
    expect((await call("DELETE", `/api/v1/cameras/${cameraB}`, undefined, tenantB)).status).toBeLessThan(300);
    await waitUntil(
      "a drop of tenant B's gallery",
      () => shared.galleries().some((g) => g.galleryId === tenantB && g.enabled === false),
      10_000,
    );
  });
});
