// The server restarted under running workers keeps assignments and the workers reconnect; a worker
// started while the server is down connects once it is up; `npm start`'s local worker (SPEC W3, W11, O1).
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { activePlacements, Client, type Json, startWorker, waitUntil, type WorkerProcess } from "./fleet-support";
import { freePort, login, makeDataDir, startServerProcess, type ServerProcess } from "./support/server-process";

const data = makeDataDir("argus-fleet-restart-");
const workers: WorkerProcess[] = [];
let server: ServerProcess | undefined;

afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill()));
  await server?.stop();
  data.remove();
});

describe("server restarts under running workers", () => {
  it("keeps assignments, reconnects workers, and lets a worker started while down join (W3, W11)", async () => {
    const port = await freePort();
    const env = { LOCAL_WORKER: "true", LOCAL_WORKER_CAPACITY: "0", WORKER_COMMAND_TIMEOUT_MS: "2000" };
    server = await startServerProcess({ dataDir: data.dir, port, env });
    let client = new Client(server.url, await login(server.url));
    // The built-in local worker (issue item 10) registers with its own credential.
    await waitUntil("local worker online", async () =>
      (await client.workers()).find((w) => w.name === "local" && w.connected),
    );
    const credentials = await client.call("GET", "/api/v1/workers/credentials");
    expect(credentials.body.credentials.map((c: Json) => c.name)).toContain("local (built-in)");

    const c1 = await client.issueCredential("r1");
    const c2 = await client.issueCredential("r2");
    const late = await client.issueCredential("late");
    for (const [i, cred] of [c1, c2].entries()) {
      workers.push(
        startWorker({
          server: server.url,
          credential: cred.credential,
          stateDir: path.join(data.dir, `r${i}`),
          name: `r${i}`,
          capacity: 2,
        }),
      );
    }
    await waitUntil(
      "2 workers",
      async () => (await client.workers()).filter((w) => w.name.startsWith("r") && w.connected).length === 2,
    );
    for (let i = 0; i < 3; i++) await client.call("POST", "/api/v1/cameras", { name: `cam-${i}`, kind: "browser" });
    const before = await waitUntil("3 active", async () => {
      const cams = await client.cameras();
      return activePlacements(cams).size === 3 ? cams : null;
    });
    const assignmentIds = before.map((c) => c.placement.assignment.id).sort();

    expect(await server.stop()).toBe(0);
    // While the server is down: a new worker starts and keeps retrying (W3).
    const lateWorker = startWorker({
      server: server.url,
      credential: late.credential,
      stateDir: path.join(data.dir, "late"),
      name: "late",
      capacity: 1,
    });
    workers.push(lateWorker);
    await waitUntil("late worker retrying", () => lateWorker.output().includes("retrying"), 10_000);

    server = await startServerProcess({ dataDir: data.dir, port, env });
    client = new Client(server.url, await login(server.url));
    await waitUntil(
      "all back",
      async () => {
        const ws = await client.workers();
        return ["r0", "r1", "late", "local"].every((n) => ws.find((w) => w.name === n && w.connected));
      },
      30_000,
    );
    const after = await client.cameras();
    // Same assignments, still active, on the same workers: nothing moved, nothing processed twice.
    expect(after.map((c) => c.placement.assignment?.id).sort()).toEqual(assignmentIds);
    await waitUntil("still active", async () => activePlacements(await client.cameras()).size === 3);
    for (const w of workers.slice(0, 2)) expect(w.output()).toContain('"status":"already-registered"');
    expect(lateWorker.output()).toContain('"status":"registered"');
  });
});
