// Protocol fuzz (SPEC U4, W8): thousands of malformed, oversized and wrong-typed messages from a raw
// socket.io client, with and without a valid token. Nothing crashes, nothing changes, every message
// gets a clear rejection; the credential is re-checked on every event.
import path from "node:path";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROTOCOL_VERSION, workerMessageSchemas } from "../../protocol";
import { Client, startWorker, waitUntil, type WorkerProcess } from "./fleet-support";
import { login, makeDataDir, startServerProcess, type ServerProcess } from "./support/server-process";

let server: ServerProcess;
let client: Client;
let real: WorkerProcess;
const data = makeDataDir("argus-fuzz-");

beforeAll(async () => {
  server = await startServerProcess({
    dataDir: data.dir,
    // 7.2 s: long enough that a worker slow to exit after deregistering (a loaded machine) is still listed OFFLINE.
    env: { LOCAL_WORKER: "false", WORKER_STALE_RETENTION_HOURS: "0.002" },
  });
  client = new Client(server.url, await login(server.url));
  const cred = await client.issueCredential("real");
  real = startWorker({
    server: server.url,
    credential: cred.credential,
    stateDir: path.join(data.dir, "real"),
    name: "real",
  });
  await waitUntil("real worker", async () => (await client.workers()).find((w) => w.connected));
});

afterAll(async () => {
  await real?.kill();
  await server?.stop();
  data.remove();
});

async function token(credential: string): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/workers/token`, {
    method: "POST",
    headers: { authorization: `Bearer ${credential}` },
  });
  return (await res.json()).token;
}

function connect(auth: unknown): Promise<{ socket: Socket; error?: { message: string; data?: { code: string } } }> {
  return new Promise((resolve) => {
    const socket = io(`${server.url}/workers`, {
      auth: auth as Record<string, unknown>,
      reconnection: false,
      transports: ["websocket"],
      forceNew: true,
    });
    socket.once("connect", () => resolve({ socket }));
    socket.once("connect_error", (error) => resolve({ socket, error: error as never }));
  });
}

/** Deterministic hostile values: wrong types, huge strings, deep nesting, prototype keys. */
function* hostile(count: number): Generator<[string, unknown]> {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  let deep: unknown = 1;
  for (let i = 0; i < 200; i++) deep = { a: deep };
  const atoms: unknown[] = [
    null,
    0,
    -1,
    1e308,
    "",
    "x".repeat(50_000),
    true,
    [],
    {},
    [1, 2, 3],
    { __proto__: { admin: true } },
    { constructor: { prototype: {} } },
    deep,
    "v1:register",
    Number.MAX_SAFE_INTEGER,
  ];
  const valid: Record<string, Record<string, unknown>> = {
    "v1:register": {
      id: "fuzz",
      name: "fuzz",
      host: "h",
      version: "1",
      capacity: 1,
      capabilities: { models: [], codecs: [] },
    },
    "v1:heartbeat": {
      status: "IDLE",
      load: { assigned: 0, capacity: 1 },
      cameras: [],
      cpuPercent: 1,
      memoryMb: 1,
      sentAt: new Date().toISOString(),
      lamport: 1,
    },
    "v1:command-ack": { commandId: "00000000-0000-4000-8000-000000000000", ok: true },
    "v1:deregister": { reason: "x" },
    "v1:media-subscribe": { cameraId: "00000000-0000-4000-8000-000000000000", rtpPort: 5004 },
    "v1:media-resume": { cameraId: "00000000-0000-4000-8000-000000000000" },
    "v1:media-keyframe": { cameraId: "00000000-0000-4000-8000-000000000000" },
    "v1:media-unsubscribe": { cameraId: "00000000-0000-4000-8000-000000000000" },
  };
  const events = [...Object.keys(valid), "v1:unknown", "register", "", "__proto__", "x".repeat(300)];
  for (let i = 0; i < count; i++) {
    const event = events[Math.floor(rand() * events.length)];
    const base = { ...(valid[event] ?? valid["v1:heartbeat"]) };
    const keys = Object.keys(base);
    base[keys[Math.floor(rand() * keys.length)]] = atoms[Math.floor(rand() * atoms.length)];
    if (rand() < 0.3) base[`extra${i}`] = atoms[Math.floor(rand() * atoms.length)];
    const payload = rand() < 0.15 ? atoms[Math.floor(rand() * atoms.length)] : base;
    const schema = workerMessageSchemas[event as keyof typeof workerMessageSchemas];
    // Only invalid registrations (judged on what goes over the wire: JSON drops prototypes).
    const wire = payload === undefined ? undefined : JSON.parse(JSON.stringify(payload));
    if (schema && event === "v1:register" && schema.safeParse(wire).success) continue;
    yield [event, payload];
  }
}

describe("worker protocol fuzz (U4)", () => {
  it("rejects bad handshakes with clear codes", async () => {
    const cred = await client.issueCredential("fuzz-handshake");
    const good = await token(cred.credential);
    const [h, p] = good.split(".");
    const cases: Array<[unknown, string]> = [
      [undefined, "bad_request"],
      [{}, "bad_request"],
      [{ token: 5, protocolVersion: 1 }, "bad_request"],
      [{ token: "x".repeat(10_000), protocolVersion: PROTOCOL_VERSION }, "bad_request"],
      [{ token: "not-a-jwt-at-all", protocolVersion: PROTOCOL_VERSION }, "unauthorized"],
      [{ token: `${h}.${p}.forged-signature`, protocolVersion: PROTOCOL_VERSION }, "unauthorized"],
      [{ token: good, protocolVersion: 999 }, "protocol_version"],
      [{ token: good, protocolVersion: "1" }, "bad_request"],
    ];
    for (let round = 0; round < 5; round++) {
      for (const [auth, code] of cases) {
        const { socket, error } = await connect(auth);
        socket.close();
        expect(error?.data?.code, JSON.stringify(auth)?.slice(0, 80)).toBe(code);
        expect(error?.message.length).toBeGreaterThan(5);
      }
    }
  });

  it("answers thousands of malformed messages on a valid connection with clear errors and changes nothing", async () => {
    const before = (await client.workers()).map(({ id, name, status, capacity, assigned }) => ({
      id,
      name,
      status,
      capacity,
      assigned,
    }));
    const cred = await client.issueCredential("fuzzer");
    const { socket, error } = await connect({ token: await token(cred.credential), protocolVersion: PROTOCOL_VERSION });
    expect(error).toBeUndefined();
    const codes = new Map<string, number>();
    let sent = 0;
    const batch: Promise<void>[] = [];
    for (const [event, payload] of hostile(3000)) {
      sent++;
      batch.push(
        (
          socket.timeout(10_000).emitWithAck(event as never, payload as never) as Promise<{
            ok: boolean;
            error?: { code: string; message: string };
          }>
        ).then((reply) => {
          expect(
            reply.ok,
            `${event} ${JSON.stringify(payload)?.slice(0, 200)} -> ${JSON.stringify(reply).slice(0, 200)}`,
          ).toBe(false);
          expect(reply.error!.message.length).toBeGreaterThan(3);
          codes.set(reply.error!.code, (codes.get(reply.error!.code) ?? 0) + 1);
        }),
      );
      if (batch.length >= 200) await Promise.all(batch.splice(0));
    }
    await Promise.all(batch);
    // Messages without an ack callback and with a non-function "ack" are dropped without a crash.
    for (let i = 0; i < 200; i++) socket.emit("v1:heartbeat" as never, { junk: i } as never);
    expect(sent).toBeGreaterThan(2500);
    expect([...codes.keys()].sort()).toEqual(expect.arrayContaining(["bad_request"]));
    for (const code of codes.keys()) expect(["bad_request", "not_registered"]).toContain(code);
    expect(socket.connected).toBe(true);

    // Oversized payload (> maxHttpBufferSize): the server drops that connection, nothing else.
    const dropped = new Promise((resolve) => socket.once("disconnect", resolve));
    socket.emit("v1:heartbeat" as never, { blob: "y".repeat(2_000_000) } as never);
    await dropped;

    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const after = (await client.workers()).map(({ id, name, status, capacity, assigned }) => ({
      id,
      name,
      status,
      capacity,
      assigned,
    }));
    expect(after).toEqual(before);
    expect(server.output()).not.toMatch(/unhandled|uncaught/i);
    expect(real.output()).not.toMatch(/disconnected/);
  });

  it("gives media only for cameras assigned to the asking worker (C4, U4)", async () => {
    const cred = await client.issueCredential("media-prober");
    const { socket } = await connect({ token: await token(cred.credential), protocolVersion: PROTOCOL_VERSION });
    const ask = (event: string, payload: unknown) =>
      socket.timeout(5_000).emitWithAck(event as never, payload as never) as Promise<{
        ok: boolean;
        error?: { code: string };
      }>;
    const camera = await client.call("POST", "/api/v1/cameras", { name: "Not yours", kind: "browser" });
    const cameraId = camera.body.camera.id;
    // Before registering: refused as such.
    expect((await ask("v1:media-subscribe", { cameraId, rtpPort: 5004 })).error?.code).toBe("not_registered");
    const registered = await ask("v1:register", {
      id: "media-prober",
      name: "media-prober",
      host: "h",
      version: "1",
      capacity: 0,
      capabilities: { models: [], codecs: [] },
    });
    expect(registered.ok).toBe(true);
    // Registered, but the camera is not assigned to it (capacity 0): forbidden, for existing and unknown ids alike.
    expect((await ask("v1:media-subscribe", { cameraId, rtpPort: 5004 })).error?.code).toBe("forbidden");
    const unknown = "00000000-0000-4000-8000-000000000001";
    expect((await ask("v1:media-subscribe", { cameraId: unknown, rtpPort: 5004 })).error?.code).toBe("forbidden");
    expect((await ask("v1:media-resume", { cameraId })).error?.code).toBe("not_found");
    expect((await ask("v1:media-unsubscribe", { cameraId })).ok).toBe(true);
    // It cannot name where RTP goes, and ports are checked.
    const aimed = await ask("v1:media-subscribe", { cameraId, rtpPort: 5004, ip: "203.0.113.7" });
    expect(aimed.error?.code).toBe("bad_request");
    expect((await ask("v1:media-subscribe", { cameraId, rtpPort: 70_000 })).error?.code).toBe("bad_request");
    socket.close();
    await client.call("DELETE", `/api/v1/cameras/${cameraId}`);
  });

  it("checks revocation on every event of an open connection (W8)", async () => {
    const cred = await client.issueCredential("revoke-me");
    const { socket } = await connect({ token: await token(cred.credential), protocolVersion: PROTOCOL_VERSION });
    const revoked = new Promise<{ reason: string }>((resolve) => socket.once("v1:revoked" as never, resolve as never));
    await client.call("DELETE", `/api/v1/workers/credentials/${cred.id}`);
    expect((await revoked).reason).toMatch(/revoked/);
    await waitUntil("disconnected", () => !socket.connected, 2_000);
    const again = await connect({ token: "whatever-token-value", protocolVersion: PROTOCOL_VERSION });
    again.socket.close();
    expect(again.error?.data?.code).toBe("unauthorized");
  });

  it("removes stale OFFLINE workers after the retention period (W5)", async () => {
    const id = (await client.workers()).find((w: { name: string }) => w.name === "real").id;
    expect(await real.stop()).toBe(0); // deregisters: OFFLINE at once
    expect((await client.call("GET", `/api/v1/workers/${id}`)).body.worker.status).toBe("OFFLINE");
    await waitUntil(
      "stale worker removed",
      async () => (await client.call("GET", `/api/v1/workers/${id}`)).status === 404,
      30_000,
    );
  });
});
