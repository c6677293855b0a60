// Worker fleet with the real server and real worker processes (SPEC W1-W3, W5, W7, W8, W11, A3).
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activePlacements, Client, type Json, startWorker, waitUntil, type WorkerProcess } from "./fleet-support";
import { login, makeDataDir, startServerProcess, type ServerProcess } from "./support/server-process";

let server: ServerProcess;
let client: Client;
let data: { dir: string; remove(): void };
const workers: WorkerProcess[] = [];
const spawnWorker = (opts: Parameters<typeof startWorker>[0]) => {
  const w = startWorker(opts);
  workers.push(w);
  return w;
};

beforeAll(async () => {
  data = makeDataDir("argus-fleet-");
  server = await startServerProcess({
    dataDir: data.dir,
    env: { LOCAL_WORKER: "false", WORKER_COMMAND_TIMEOUT_MS: "2000" },
  });
  client = new Client(server.url, await login(server.url));
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill()));
  await server?.stop();
  data?.remove();
});

describe("worker fleet (real processes)", () => {
  const ids: Record<string, string> = {};
  const creds: Record<string, { id: string; credential: string }> = {};
  const procs: Record<string, WorkerProcess> = {};

  it("registers three workers with their own credentials (W1, W8)", async () => {
    for (const name of ["a", "b", "c"]) {
      creds[name] = await client.issueCredential(`worker-${name}`);
      expect(creds[name].credential).toMatch(/^argw_/);
      procs[name] = spawnWorker({
        server: server.url,
        credential: creds[name].credential,
        stateDir: path.join(data.dir, `w-${name}`),
        name: `worker-${name}`,
        capacity: 3,
      });
    }
    const list = await waitUntil("3 workers online", async () => {
      const ws = await client.workers();
      return ws.length === 3 && ws.every((w) => w.connected && w.status !== "OFFLINE") ? ws : null;
    });
    for (const w of list) ids[w.name.replace("worker-", "")] = w.id;
    // Credentials are listed without secrets.
    const listed = await client.call("GET", "/api/v1/workers/credentials");
    expect(JSON.stringify(listed.body)).not.toContain(creds.a.credential);
  });

  it("spreads cameras round-robin by load, pending then active (A3)", async () => {
    // RTSP cameras are ingested by the server (C1): their URLs point at a closed loopback port, never another host.
    for (let i = 1; i <= 6; i++) {
      const res = await client.call("POST", "/api/v1/cameras", {
        name: `cam-${i}`,
        kind: i % 2 ? "browser" : "rtsp",
        rtspUrl: i % 2 ? undefined : `rtsp://127.0.0.1:9/stream-${i}`,
        analysisFps: 5,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const placements = await waitUntil("6 active placements", async () => {
      const map = activePlacements(await client.cameras());
      return map.size === 6 ? map : null;
    });
    const perWorker = new Map<string, number>();
    for (const w of placements.values()) perWorker.set(w, (perWorker.get(w) ?? 0) + 1);
    expect([...perWorker.values()].sort()).toEqual([2, 2, 2]);
    const duplicate = await client.call("POST", "/api/v1/cameras", {
      name: "cam-dup",
      kind: "rtsp",
      rtspUrl: "rtsp://127.0.0.1:9/stream-2",
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.message).toContain('Camera "cam-2" already uses this RTSP stream');
    const invalid = await client.call("POST", "/api/v1/cameras", {
      name: "bad",
      kind: "rtsp",
      rtspUrl: "http://x",
      analysisFps: 500,
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details.map((d: Json) => d.path).sort()).toEqual(["analysisFps", "rtspUrl"]);
    const stats = await client.call("GET", "/api/v1/workers/stats");
    expect(stats.body.cameras).toMatchObject({ total: 6, active: 6, unassigned: 0 });
  });

  it("reports errors for manual assignment: no capacity, unknown worker, bad input (A3, U4)", async () => {
    const cams = await client.cameras();
    const onA = cams.find((c) => c.placement.assignment.workerId === ids.a);
    const full = await client.call("POST", `/api/v1/cameras/${cams[0].id}/assign`, {
      mode: "worker",
      workerId: cams.find((c) => c.placement.assignment.workerId !== cams[0].placement.assignment.workerId).placement
        .assignment.workerId,
    });
    expect(full.status).toBe(202); // capacity 3 with 2 placed: a move is possible
    const bad = await client.call("POST", `/api/v1/cameras/${onA.id}/assign`, { mode: "nope" });
    expect(bad.status).toBe(400);
    const unknown = await client.call("POST", `/api/v1/cameras/${onA.id}/assign`, {
      mode: "worker",
      workerId: "no-such-worker",
    });
    expect(unknown.status).toBe(404);
    const noCamera = await client.call("POST", `/api/v1/cameras/00000000-0000-4000-8000-000000000000/assign`, {
      mode: "round-robin",
    });
    expect(noCamera.status).toBe(404);
    await waitUntil("moved camera active", async () => activePlacements(await client.cameras()).size === 6);
  });

  it("fails a SIGKILLed worker over: OFFLINE, its cameras active on the others (W5, W11)", async () => {
    const before = activePlacements(await client.cameras());
    const onA = [...before].filter(([, w]) => w === ids.a).map(([c]) => c);
    expect(onA.length).toBeGreaterThan(0);
    const killedAt = Date.now();
    await procs.a.kill();
    await waitUntil(
      "worker a OFFLINE",
      async () => (await client.workers()).find((w) => w.id === ids.a)?.status === "OFFLINE",
      10_000,
    );
    const after = await waitUntil("a's cameras active elsewhere", async () => {
      const map = activePlacements(await client.cameras());
      return onA.every((c) => map.get(c) && map.get(c) !== ids.a) ? map : null;
    });
    expect([...after.values()]).not.toContain(ids.a);
    expect(Date.now() - killedAt).toBeLessThan(5_000); // 3 x 300 ms detection + placement + ack
    const detail = await client.call("GET", `/api/v1/workers/${ids.a}`);
    expect(detail.body.history.map((h: Json) => h.status)).toContain("OFFLINE");
  });

  it("recognises a restarted worker by its persisted id and gives it no moved cameras (W2, W11)", async () => {
    procs.a = spawnWorker({
      server: server.url,
      credential: creds.a.credential,
      stateDir: path.join(data.dir, "w-a"),
      name: "worker-a",
      capacity: 3,
    });
    await waitUntil("a back", async () =>
      (await client.workers()).find((w) => w.id === ids.a && w.connected && w.status !== "OFFLINE"),
    );
    expect(procs.a.output()).toContain('"status":"already-registered"');
    expect((await client.workers()).length).toBe(3);
    expect(procs.a.output()).toContain('"assignments":0');
  });

  it("refuses a second live connection with the same id (already-registered policy, W1)", async () => {
    const dup = spawnWorker({
      server: server.url,
      credential: creds.c.credential,
      stateDir: path.join(data.dir, "w-dup"),
      id: ids.b,
      capacity: 1,
    });
    await waitUntil("refusal logged", () => dup.output().includes("already_registered"), 10_000);
    await dup.kill();
    expect((await client.workers()).find((w) => w.id === ids.b)?.connected).toBe(true);
  });

  it("gives two workers started on one host without ids different ids (W2)", async () => {
    const cred = await client.issueCredential("shared-host");
    const stateDir = path.join(data.dir, "shared-host");
    const one = spawnWorker({ server: server.url, credential: cred.credential, stateDir, name: "host-1", capacity: 0 });
    await waitUntil("first registered", () => one.output().includes("registered with the server"));
    const cred2 = await client.issueCredential("shared-host-2");
    const two = spawnWorker({
      server: server.url,
      credential: cred2.credential,
      stateDir,
      name: "host-2",
      capacity: 0,
    });
    await waitUntil("second registered", () => two.output().includes("registered with the server"));
    const idOf = (p: WorkerProcess) => /"workerId":"([^"]+)"/.exec(p.output())?.[1];
    expect(idOf(one)).toBeTruthy();
    expect(idOf(one)).not.toBe(idOf(two));
    await Promise.all([one.stop(), two.stop()]);
    // Graceful stop deregisters (W7): OFFLINE at once, not after missed heartbeats.
    const ws = await client.workers();
    expect(ws.filter((w) => w.name.startsWith("host-")).map((w) => w.status)).toEqual(["OFFLINE", "OFFLINE"]);
  });

  it("disconnects a revoked worker at once; its reconnects fail with a clear 401 (W8)", async () => {
    const revoked = await client.call("DELETE", `/api/v1/workers/credentials/${creds.b.id}`);
    expect(revoked.status).toBe(200);
    expect(await Promise.race([procs.b.exited, new Promise((r) => setTimeout(() => r("still running"), 5_000))])).toBe(
      2,
    );
    expect(procs.b.output()).toMatch(/revoked/i);
    const exchange = await fetch(`${server.url}/api/v1/workers/token`, {
      method: "POST",
      headers: { authorization: `Bearer ${creds.b.credential}` },
    });
    expect(exchange.status).toBe(401);
    expect((await exchange.json()).message).toMatch(/revoked/);
    const again = spawnWorker({
      server: server.url,
      credential: creds.b.credential,
      stateDir: path.join(data.dir, "w-b"),
      capacity: 3,
    });
    expect(await again.exited).toBe(2);
    expect(again.output()).toMatch(/refused the worker credential.*revoked/);
    // Its cameras go elsewhere once it is OFFLINE (no capacity left for all: some visibly unassigned).
    await waitUntil(
      "b OFFLINE",
      async () => (await client.workers()).find((w) => w.id === ids.b)?.status === "OFFLINE",
      10_000,
    );
    const cams = await client.cameras();
    expect(cams.every((c) => c.placement.assignment?.workerId !== ids.b)).toBe(true);
  });

  it("runs commands with acks, and maintenance moves cameras away (W6, A4)", async () => {
    const cmd = await client.call("POST", `/api/v1/workers/${ids.c}/commands`, {
      type: "STOP_PROCESSING",
      payload: { cameraId: "00000000-0000-4000-8000-000000000000" },
    });
    expect(cmd.status).toBe(202);
    const bad = await client.call("POST", `/api/v1/workers/${ids.c}/commands`, {
      type: "SHUTDOWN",
      payload: { reason: 5 },
    });
    expect(bad.status).toBe(400);
    const history = await waitUntil("command settled", async () => {
      const res = await client.call("GET", `/api/v1/workers/${ids.c}/commands`);
      const c = res.body.commands.find((x: Json) => x.id === cmd.body.command.id);
      return c && c.state !== "sent" && c.state !== "queued" ? c : null;
    });
    expect(history).toMatchObject({ state: "failed", error: "Camera is not assigned to this worker" });
    const m = await client.call("POST", `/api/v1/workers/${ids.c}/maintenance`, { on: true });
    expect(m.body.worker.status).toBe("MAINTENANCE");
    await waitUntil("c drained", async () =>
      (await client.cameras()).every((c) => c.placement.assignment?.workerId !== ids.c),
    );
    await client.call("POST", `/api/v1/workers/${ids.c}/maintenance`, { on: false });
  });

  it("re-sends unacknowledged commands with the same id, then times them out (W6)", async () => {
    const cred = await client.issueCredential("slow");
    const slow = spawnWorker({
      server: server.url,
      credential: cred.credential,
      stateDir: path.join(data.dir, "slow"),
      name: "slow",
      capacity: 1,
      heartbeatMs: 10_000,
    });
    const worker = await waitUntil("slow online", async () =>
      (await client.workers()).find((w) => w.name === "slow" && w.connected),
    );
    slow.child.kill("SIGSTOP"); // a hung worker: 3 x 10 s before it would be OFFLINE
    const sent = await client.call("POST", `/api/v1/workers/${worker.id}/commands`, {
      type: "SET_MAINTENANCE",
      payload: { on: false },
    });
    expect(sent.status).toBe(202);
    const command = await client.call("POST", `/api/v1/workers/${worker.id}/commands`, {
      type: "SHUTDOWN",
      payload: { reason: "test" },
      priority: -5,
    });
    const commandId = command.body.command.id;
    const find = async () =>
      (await client.call("GET", `/api/v1/workers/${worker.id}/commands`)).body.commands.find(
        (c: Json) => c.id === commandId,
      );
    await waitUntil("re-sent", async () => (await find())?.attempts === 2, 5_000);
    const timedOut = await waitUntil(
      "timed out",
      async () => ((await find())?.state === "timeout" ? await find() : null),
      8_000,
    );
    expect(timedOut).toMatchObject({ attempts: 3, error: "No acknowledgement after 3 attempts" });
    slow.child.kill("SIGCONT");
    // The worker applies the id once (three deliveries, one shutdown) and its late ack changes nothing.
    expect(await slow.exited).toBe(0);
    expect(slow.output().match(/"type":"SHUTDOWN"/g)?.length).toBe(3);
    expect(slow.output()).toContain('"duplicate":true');
    expect((await find()).state).toBe("timeout");
  });

  it("removes a worker from the admin side: it exits, its record goes, its cameras move (W7)", async () => {
    const cams = await client.cameras();
    const onC = cams.filter((c) => c.placement.assignment?.workerId === ids.c).length;
    const removed = await client.call("DELETE", `/api/v1/workers/${ids.c}`);
    expect(removed.status).toBe(204);
    expect(await procs.c.exited).toBe(2);
    expect(procs.c.output()).toMatch(/Removed by the server/);
    expect((await client.call("GET", `/api/v1/workers/${ids.c}`)).status).toBe(404);
    expect((await client.cameras()).every((c) => c.placement.assignment?.workerId !== ids.c)).toBe(true);
    expect(onC).toBeGreaterThanOrEqual(0);
  });
});
