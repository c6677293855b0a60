// Detection on the server (SPEC T2, T3, C3, C5, D1, U4) against a real server process and a fake worker: a raw
// socket.io client speaking the worker protocol. Batches are stored once and replays counted as duplicates; bad
// events are rejected by index and cameras outside the worker's tenant refused; generated garbage gets clear
// errors and writes nothing; live boxes reach only browsers that watched the camera in their tenant; analysis
// settings are role-checked, validated and pushed to the worker; models upload, list and download with a worker
// token and their checksum; the per-minute aggregate equals a raw GROUP BY after a refresh.
import { createHash, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { Client, waitUntil, type Json } from "./fleet-support";
import { login, makeDataDir, startServerProcess, type ServerProcess } from "./support/server-process";
import { askWorker, connectWorkerSocket, exchangeWorkerToken, type WorkerReply } from "./support/worker-socket";
import { onnxBytes, uploadForm } from "./support/model-upload";

const MODEL_MAX_MB = 3;
let server: ServerProcess;
let admin: Client;
let adminCookie: string;
let viewerCookie: string;
let otherCookie: string;
let tenantA: string;
let tenantB: string;
let cameraA: string;
let cameraB: string;
let worker: Socket;
let credentialId: string;
let workerToken: string;
const commands: Json[] = [];
const analysisPushes: Json[] = [];
const sockets: Socket[] = [];
const data = makeDataDir("argus-detect-");
/** Rows the tests expect in detection_events at the end (nothing else may be written). */
let expectedRows = 0;

type Reply = WorkerReply;
const ask = askWorker;

const T0 = Date.now() - 30 * 60_000;
let lamport = 0;
function envelope(cameraId: string, offsetMs: number) {
  const utc = new Date(T0 + offsetMs);
  return {
    eventId: randomUUID(),
    cameraId,
    utcTimestamp: utc.toISOString(),
    localTime: utc.toISOString().slice(0, 23),
    timezoneOffset: 0,
    driftOffset: 25,
    correctedUtc: new Date(utc.getTime() + 25).toISOString(),
    lamport: ++lamport,
    modelId: "centernet-coco",
    modelVersion: "1",
  };
}
const CLASSES = ["person", "car", "truck", "bicycle"];
/** A mix of every event type, spread over ~20 minutes. */
function makeEvent(cameraId: string, i: number): Json {
  const base = { ...envelope(cameraId, i * 2_300), trackId: i, class: CLASSES[i % 4], confidence: 0.7 };
  switch (i % 5) {
    case 0:
      return { type: "track_start", ...base, box: [0.1, 0.2, 0.3, 0.4] };
    case 1:
    case 2:
      return { type: "line_crossing", ...base, lineId: i % 3 ? "gate" : "road", direction: i % 2 ? "in" : "out" };
    case 3:
      return i % 2
        ? { type: "zone_enter", ...base, zoneId: "door" }
        : { type: "zone_exit", ...base, zoneId: "door", dwellMs: 1500 + i };
    default: {
      const { trackId: _t, class: _c, confidence: _f, ...env } = base;
      return { type: "scene_warning", ...env, warning: i % 2 ? "dark" : null, brightness: 12.5, contrast: 4 };
    }
  }
}

function browser(cookie: string): Promise<Socket> {
  const socket = io(server.url, {
    transports: ["websocket"],
    extraHeaders: { cookie },
    reconnection: false,
    forceNew: true,
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

const tokenFor = (credential: string) => exchangeWorkerToken(server.url, credential);
const connectWorker = (token: string) => connectWorkerSocket(server.url, token);

async function call(
  cookie: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(server.url + path, {
    method,
    headers: { cookie, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: typeof body === "string" ? body : body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Json = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json };
}

beforeAll(async () => {
  server = await startServerProcess({
    dataDir: data.dir,
    env: { DETECTION_MODEL_MAX_MB: String(MODEL_MAX_MB), LOG_LEVEL: "warn" },
  });
  adminCookie = await login(server.url);
  admin = new Client(server.url, adminCookie);
  tenantA = (await admin.call("GET", "/api/v1/tenants")).body.tenants[0].id;
  tenantB = (await admin.call("POST", "/api/v1/tenants", { name: "Other tenant" })).body.tenant.id;
  const member = (tenant: string, email: string, role: string) =>
    call(
      adminCookie,
      "POST",
      "/api/v1/members",
      { email, name: email, password: "viewer-password-123", role },
      {
        "x-argus-tenant": tenant,
      },
    );
  expect((await member(tenantA, "viewer@argus.test", "viewer")).status).toBe(201);
  expect((await member(tenantB, "other@argus.test", "viewer")).status).toBe(201);
  viewerCookie = await login(server.url, "viewer@argus.test", "viewer-password-123");
  otherCookie = await login(server.url, "other@argus.test", "viewer-password-123");

  // The fake worker registers first, so the camera created next is auto-assigned to it.
  const cred = await admin.issueCredential("fake-detector");
  credentialId = cred.id;
  workerToken = await tokenFor(cred.credential);
  worker = await connectWorker(workerToken);
  worker.on("v1:command", (command: Json) => {
    commands.push(command);
    void ask(worker, "v1:command-ack", { commandId: command.commandId, ok: true });
  });
  worker.on("v1:camera-analysis", (message: Json) => analysisPushes.push(message));
  const registered = await ask(worker, "v1:register", {
    id: "fake-detector",
    name: "fake-detector",
    host: "test",
    version: "1",
    capacity: 2,
    capabilities: { models: [], codecs: [] },
  });
  expect(registered.ok).toBe(true);
  cameraA = (await admin.call("POST", "/api/v1/cameras", { name: "Gate", kind: "browser" })).body.camera.id;
  const other = await call(
    adminCookie,
    "POST",
    "/api/v1/cameras",
    { name: "Elsewhere", kind: "browser" },
    {
      "x-argus-tenant": tenantB,
    },
  );
  cameraB = other.body.camera.id;
  await waitUntil("camera assigned to the fake worker", () =>
    commands.find((c) => c.type === "ASSIGN_CAMERA" && c.payload.cameraId === cameraA),
  );
}, 120_000);

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  worker?.disconnect();
  await server?.stop();
  data.remove();
});

describe("event ingest (T2)", () => {
  it("stores a batch once and counts a replay as duplicates; browsers of the tenant hear detections:stored", async () => {
    const watcher = await browser(adminCookie);
    const heard: Json[] = [];
    watcher.on("detections:stored", (message: Json) => heard.push(message));
    const batch = { batchId: randomUUID(), events: Array.from({ length: 200 }, (_, i) => makeEvent(cameraA, i)) };
    const first = await ask(worker, "v1:events", batch);
    expect(first).toEqual({ ok: true, data: { batchId: batch.batchId, stored: 200, duplicates: 0, rejected: [] } });
    expectedRows += 200;
    const replay = await ask(worker, "v1:events", { ...batch, batchId: randomUUID() });
    expect(replay.data).toMatchObject({ stored: 0, duplicates: 200, rejected: [] });
    await waitUntil("detections:stored", () => heard.length > 0, 5_000);
    expect(heard).toHaveLength(1);
    expect(heard[0].cameraId).toBe(cameraA);
    expect(heard[0].events).toHaveLength(200);
    expect(heard[0].events[1]).toMatchObject({ type: "line_crossing", cameraId: cameraA, lineId: expect.any(String) });
  });

  it("rejects a malformed event by index and stores the good ones beside it", async () => {
    const good = [makeEvent(cameraA, 300), makeEvent(cameraA, 301), makeEvent(cameraA, 302)];
    const badDirection = { ...makeEvent(cameraA, 1), direction: "sideways" };
    const reply = await ask(worker, "v1:events", {
      batchId: randomUUID(),
      events: [good[0], badDirection, good[1], { junk: true }, good[2], good[2]],
    });
    expect(reply.ok).toBe(true);
    expect(reply.data.stored).toBe(3);
    expect(reply.data.duplicates).toBe(1); // the same event twice in one batch
    expect(reply.data.rejected.map((r: Json) => r.index)).toEqual([1, 3]);
    expect(reply.data.rejected[0]).toMatchObject({
      eventId: badDirection.eventId,
      message: expect.stringMatching(/direction/),
    });
    expectedRows += 3;
  });

  it("refuses events for cameras outside the worker's tenant (and unknown cameras)", async () => {
    const mine = makeEvent(cameraA, 400);
    const reply = await ask(worker, "v1:events", {
      batchId: randomUUID(),
      events: [makeEvent(cameraB, 401), mine, makeEvent(randomUUID(), 402)],
    });
    expect(reply.data.stored).toBe(1);
    expect(reply.data.rejected).toEqual([
      expect.objectContaining({ index: 0, message: "camera not in this tenant" }),
      expect.objectContaining({ index: 2, message: "camera not in this tenant" }),
    ]);
    expectedRows += 1;
  });

  it("refuses events and detections from a connection that has not registered", async () => {
    const cred = await admin.issueCredential("unregistered");
    const stranger = await connectWorker(await tokenFor(cred.credential));
    sockets.push(stranger);
    const events = await ask(stranger, "v1:events", { batchId: randomUUID(), events: [makeEvent(cameraA, 500)] });
    expect(events.error?.code).toBe("not_registered");
    const live = await ask(stranger, "v1:detections", liveFrame(cameraA, 1));
    expect(live.error?.code).toBe("not_registered");
  });

  it("answers generated garbage for v1:events and v1:detections with clear errors, writes nothing, stays up (U4)", async () => {
    const codes = new Map<string, number>();
    const count = (reply: Reply) => {
      const key = reply.ok ? "ok" : reply.error!.code;
      codes.set(key, (codes.get(key) ?? 0) + 1);
    };
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.anything(),
          fc.record({ batchId: fc.oneof(fc.uuid(), fc.string()), events: fc.array(fc.anything(), { maxLength: 20 }) }),
          fc.record({ batchId: fc.uuid(), events: fc.array(fc.object(), { minLength: 1, maxLength: 20 }) }),
        ),
        async (payload) => {
          const reply = await ask(worker, "v1:events", payload);
          count(reply);
          if (reply.ok) expect(reply.data.stored).toBe(0);
          else {
            expect(reply.error!.code).toBe("bad_request");
            expect(reply.error!.message.length).toBeGreaterThan(5);
          }
        },
      ),
      { numRuns: 300, seed: 42 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.anything(),
          fc.record({
            cameraId: fc.oneof(fc.constant(cameraA), fc.string()),
            seq: fc.oneof(fc.nat(), fc.double()),
            at: fc.oneof(
              fc.date().map((d) => (Number.isNaN(d.getTime()) ? "x" : d.toISOString())),
              fc.string(),
            ),
            objects: fc.array(fc.anything(), { maxLength: 5 }),
            mode: fc.string(),
          }),
        ),
        async (payload) => {
          const reply = await ask(worker, "v1:detections", payload);
          count(reply);
          expect(reply.ok).toBe(false);
          expect(reply.error!.code).toBe("bad_request");
        },
      ),
      { numRuns: 300, seed: 7 },
    );
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(codes.get("bad_request")).toBeGreaterThan(300);
    expect(worker.connected).toBe(true);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });
});

function liveFrame(cameraId: string, seq: number) {
  return {
    cameraId,
    seq,
    at: new Date().toISOString(),
    objects: [{ trackId: 4, class: "person", confidence: 0.9, box: [0.1, 0.1, 0.2, 0.4], known: false }],
    mode: "active",
    warning: null,
    detectorMs: 12.5,
  };
}

describe("live detections (C3)", () => {
  it("reach a browser that watched the camera, and not one of another tenant", async () => {
    const mine = await browser(adminCookie);
    const theirs = await browser(otherCookie);
    const bystander = await browser(viewerCookie); // same tenant, not watching
    const got = { mine: [] as Json[], theirs: [] as Json[], bystander: [] as Json[] };
    mine.on("detections:live", (m: Json) => got.mine.push(m));
    theirs.on("detections:live", (m: Json) => got.theirs.push(m));
    bystander.on("detections:live", (m: Json) => got.bystander.push(m));
    expect(await mine.timeout(5000).emitWithAck("camera:watch", { cameraId: cameraA })).toEqual({ ok: true });
    const refused = await theirs.timeout(5000).emitWithAck("camera:watch", { cameraId: cameraA });
    expect(refused.ok).toBe(false);
    // The other tenant's viewer can watch its own camera: the refusal above is the tenant check.
    expect(await theirs.timeout(5000).emitWithAck("camera:watch", { cameraId: cameraB })).toEqual({ ok: true });
    expect((await mine.timeout(5000).emitWithAck("camera:watch", { cameraId: "nope" })).ok).toBe(false);

    const frame = liveFrame(cameraA, 1);
    expect(await ask(worker, "v1:detections", frame)).toEqual({ ok: true, data: {} });
    await waitUntil("live boxes", () => got.mine.length > 0, 5_000);
    expect(got.mine[0]).toEqual(frame);
    // Not assigned to this worker (another tenant's camera): refused, relayed nowhere.
    expect((await ask(worker, "v1:detections", liveFrame(cameraB, 2))).error?.code).toBe("forbidden");
    await new Promise((r) => setTimeout(r, 500));
    expect(got.theirs).toEqual([]);
    expect(got.bystander).toEqual([]);

    expect(await mine.timeout(5000).emitWithAck("camera:unwatch", { cameraId: cameraA })).toEqual({ ok: true });
    await ask(worker, "v1:detections", liveFrame(cameraA, 3));
    await new Promise((r) => setTimeout(r, 300));
    expect(got.mine).toHaveLength(1);
  });
});

describe("camera analysis (C5)", () => {
  const scene = {
    lines: [{ id: "gate", name: "Gate", a: { x: 0.1, y: 0.5 }, b: { x: 0.9, y: 0.5 }, classes: ["car"] }],
    zones: [
      {
        id: "door",
        name: "Door",
        polygon: [
          { x: 0.1, y: 0.1 },
          { x: 0.3, y: 0.1 },
          { x: 0.2, y: 0.3 },
        ],
      },
    ],
  };

  it("assignments carry the camera's analysis", () => {
    const assign = commands.find((c) => c.type === "ASSIGN_CAMERA" && c.payload.cameraId === cameraA);
    expect(assign.payload.analysis).toMatchObject({
      detection: { enabled: true, confidence: 0.35, classes: expect.arrayContaining(["person", "car"]) },
      scene: { lines: [], zones: [] },
    });
  });

  it("viewers read, operators write; bad input is a clear 400 and other tenants' cameras are 404", async () => {
    const path = `/api/v1/cameras/${cameraA}/analysis`;
    const read = await call(viewerCookie, "GET", path);
    expect(read.status).toBe(200);
    expect(read.body.analysis).toMatchObject({ detection: { enabled: true }, scene: { lines: [], zones: [] } });
    expect((await call(viewerCookie, "PUT", path, { scene })).status).toBe(403);

    const bad = [
      ["{not json", /not valid JSON/],
      [{ scene: { lines: [{ ...scene.lines[0], b: scene.lines[0].a }] } }, /Invalid scene/],
      [{ scene: { lines: scene.lines, zones: [{ ...scene.zones[0], id: "gate" }] } }, /Invalid scene/],
      [{ detection: { confidence: 3 } }, /Invalid detection settings/],
      [{ detection: { surprise: true } }, /Invalid detection settings/],
      [{ detection: { modelId: "no-such-model" } }, /Unknown model/],
      [{}, /Invalid request body/],
    ] as const;
    for (const [body, message] of bad) {
      const res = await call(adminCookie, "PUT", path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message).toMatch(message);
    }
    expect((await call(adminCookie, "GET", `/api/v1/cameras/${cameraB}/analysis`)).status).toBe(404);
    expect((await call(adminCookie, "GET", `/api/v1/cameras/not-a-uuid/analysis`)).status).toBe(404);

    const saved = await call(adminCookie, "PUT", path, { scene, detection: { confidence: 0.5, idleFps: 1 } });
    expect(saved.status).toBe(200);
    expect(saved.body.analysis.scene).toEqual(scene);
    expect(saved.body.analysis.detection).toMatchObject({ confidence: 0.5, idleFps: 1, enabled: true });
    expect(saved.body.pushed).toBe(true);
    await waitUntil("v1:camera-analysis pushed", () => analysisPushes.length > 0, 5_000);
    expect(analysisPushes.at(-1)).toEqual({ cameraId: cameraA, analysis: saved.body.analysis });
    // A partial patch keeps what was set before.
    const again = await call(adminCookie, "PUT", path, { detection: { enabled: false } });
    expect(again.body.analysis.detection).toMatchObject({ confidence: 0.5, enabled: false });
    expect(again.body.analysis.model).toBeNull();
  });
});

/** Starts like a PyTorch export: ir_version, then producer_name. */
describe("model registry (D1)", () => {
  const fields = { id: "yolo11n-test", version: "1", classes: '["person","car"]', inputSize: "640" };

  it("uploads a YOLO ONNX model past the 2 MiB body limit, lists it, refuses bad files and roles", async () => {
    const bytes = onnxBytes(2_500_000);
    const post = (cookie: string, form: FormData | Buffer, query = "", type?: string) =>
      fetch(`${server.url}/api/v1/detection-models${query}`, {
        method: "POST",
        headers: { cookie, ...(type ? { "content-type": type } : {}) },
        body: form instanceof FormData ? form : new Uint8Array(form),
      });
    expect((await post(viewerCookie, uploadForm(fields, bytes))).status).toBe(403);
    const created = await post(adminCookie, uploadForm(fields, bytes));
    const body = await created.json();
    expect(created.status, JSON.stringify(body)).toBe(201);
    expect(body.model).toMatchObject({
      id: "yolo11n-test",
      version: "1",
      format: "yolo",
      inputWidth: 640,
      inputHeight: 640,
      classes: ["person", "car"],
      sha256: createHash("sha256").update(bytes).digest("hex"),
    });
    expect((await post(adminCookie, uploadForm(fields, bytes))).status).toBe(409);
    // Raw body with query parameters.
    const raw = await post(
      adminCookie,
      onnxBytes(5000, 2),
      "?id=yolo-raw&version=2&classes=person,bus&inputSize=320x256",
      "application/octet-stream",
    );
    expect(raw.status).toBe(201);
    expect((await raw.json()).model).toMatchObject({ inputWidth: 320, inputHeight: 256, classes: ["person", "bus"] });

    const tooBig = await post(
      adminCookie,
      uploadForm({ ...fields, version: "2" }, onnxBytes(MODEL_MAX_MB * 1048576 + 10)),
    );
    expect(tooBig.status).toBe(413);
    expect((await tooBig.json()).message).toMatch(/limited to 3 MB/);
    const notOnnx = await post(
      adminCookie,
      uploadForm({ ...fields, version: "3" }, Buffer.from("<html>no model here</html>")),
    );
    expect(notOnnx.status).toBe(400);
    expect((await notOnnx.json()).message).toMatch(/not an ONNX model/);
    expect((await post(adminCookie, uploadForm({ ...fields, version: "4" }, Buffer.alloc(0)))).status).toBe(400);
    expect((await post(adminCookie, uploadForm({ ...fields, version: "5" }, null))).status).toBe(400);
    const badMeta = await post(adminCookie, uploadForm({ ...fields, version: "6", classes: "" }, onnxBytes(100)));
    expect(badMeta.status).toBe(400);
    expect((await post(adminCookie, Buffer.from("x"), "", "text/plain")).status).toBe(415);

    const list = await call(viewerCookie, "GET", "/api/v1/detection-models");
    expect(list.status).toBe(200);
    expect(list.body.models.map((m: Json) => `${m.id}@${m.version}`)).toEqual(
      expect.arrayContaining(["yolo11n-test@1", "yolo-raw@2"]),
    );
    expect(list.body.models.some((m: Json) => m.version === "3" || m.version === "4")).toBe(false);
    // A platform admin's shared upload is for every tenant; the other tenant does not see this tenant's models.
    const shared = await post(
      adminCookie,
      uploadForm(
        { id: "shared-yolo", version: "1", classes: "person", inputSize: "320", shared: "true" },
        onnxBytes(3000, 3),
      ),
    );
    expect(shared.status).toBe(201);
    const theirs = await call(otherCookie, "GET", "/api/v1/detection-models");
    expect(theirs.body.models.some((m: Json) => m.id === "yolo11n-test")).toBe(false);
    expect(theirs.body.models.find((m: Json) => m.id === "shared-yolo")).toMatchObject({
      shared: true,
      builtin: false,
    });

    // Chosen for a camera: the analysis carries its descriptor.
    const chosen = await call(adminCookie, "PUT", `/api/v1/cameras/${cameraA}/analysis`, {
      detection: { modelId: "yolo11n-test", enabled: true },
    });
    expect(chosen.status).toBe(200);
    expect(chosen.body.analysis.model).toMatchObject({ id: "yolo11n-test", version: "1", sha256: body.model.sha256 });
  });

  it("serves the file to workers with their token and checksum; 401 without, with a bad or revoked token", async () => {
    const path = `/api/v1/detection-models/yolo11n-test/versions/1/file`;
    const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${workerToken}` } });
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    const sha = createHash("sha256").update(bytes).digest("hex");
    expect(bytes.length).toBe(2_500_000);
    expect(res.headers.get("x-checksum-sha256")).toBe(sha);
    expect(res.headers.get("etag")).toBe(`"${sha}"`);
    const cached = await fetch(server.url + path, {
      headers: { authorization: `Bearer ${workerToken}`, "if-none-match": `"${sha}"` },
    });
    expect(cached.status).toBe(304);
    expect((await fetch(server.url + path)).status).toBe(401);
    expect((await fetch(server.url + path, { headers: { cookie: adminCookie } })).status).toBe(401);
    expect(
      (await fetch(server.url + path, { headers: { authorization: "Bearer not-a-real-token-at-all" } })).status,
    ).toBe(401);
    const missing = await fetch(`${server.url}/api/v1/detection-models/nope/versions/1/file`, {
      headers: { authorization: `Bearer ${workerToken}` },
    });
    expect(missing.status).toBe(404);
    // Built-in models (when `npm run setup` built them) are served to every tenant's workers, checksum as listed.
    const builtin = (await call(viewerCookie, "GET", "/api/v1/detection-models")).body.models.find(
      (m: Json) => m.builtin,
    );
    if (builtin) {
      const file = await fetch(`${server.url}/api/v1/detection-models/${builtin.id}/versions/${builtin.version}/file`, {
        headers: { authorization: `Bearer ${workerToken}` },
      });
      expect(file.status).toBe(200);
      const got = createHash("sha256")
        .update(Buffer.from(await file.arrayBuffer()))
        .digest("hex");
      expect(got).toBe(builtin.sha256);
    }
    // A worker of the other tenant cannot fetch this tenant's model.
    const otherCred = await call(
      adminCookie,
      "POST",
      "/api/v1/workers/credentials",
      { name: "b" },
      { "x-argus-tenant": tenantB },
    );
    const otherToken = await tokenFor(otherCred.body.credential);
    expect((await fetch(server.url + path, { headers: { authorization: `Bearer ${otherToken}` } })).status).toBe(404);
    // Revoked: 401 at once.
    expect((await admin.call("DELETE", `/api/v1/workers/credentials/${credentialId}`)).status).toBeLessThan(300);
    expect((await fetch(server.url + path, { headers: { authorization: `Bearer ${workerToken}` } })).status).toBe(401);
  });
});

describe("storage (T3)", () => {
  it("holds exactly the accepted events, and the per-minute aggregate equals a raw GROUP BY after a refresh", async () => {
    expect(await server.stop()).toBe(0);
    const handle = await openDatabase({ dataDir: data.dir });
    try {
      const [{ n }] = await handle.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM detection_events`);
      expect(n).toBe(expectedRows);
      const ordered = await handle.query<{ lamport: number }>(
        sql`SELECT lamport FROM detection_events ORDER BY corrected_utc, lamport LIMIT 5`,
      );
      expect(ordered.map((r) => Number(r.lamport))).toEqual([1, 2, 3, 4, 5]);
      // Read what is materialised only (not the real-time union with raw rows), after a full refresh.
      await handle.query(sql`ALTER MATERIALIZED VIEW detection_counts_1m SET (timescaledb.materialized_only = true)`);
      await handle.query(sql`CALL refresh_continuous_aggregate('detection_counts_1m'::regclass, NULL, now())`);
      const aggregate = await handle.query<Json>(sql`
        SELECT bucket, camera_id, type::text, line_id, zone_id, class, direction, events::int AS n
        FROM detection_counts_1m ORDER BY 1, 2, 3, 4, 5, 6, 7`);
      const raw = await handle.query<Json>(sql`
        SELECT time_bucket('1 minute', corrected_utc) AS bucket, camera_id, type::text, line_id, zone_id, class,
          direction, count(*)::int AS n
        FROM detection_events WHERE type IN ('line_crossing', 'zone_enter', 'zone_exit')
        GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7`);
      expect(raw.length).toBeGreaterThan(10);
      expect(aggregate.map((r) => ({ ...r, bucket: new Date(r.bucket).toISOString() }))).toEqual(
        raw.map((r) => ({ ...r, bucket: new Date(r.bucket).toISOString() })),
      );
    } finally {
      await handle.close();
    }
  });
});
