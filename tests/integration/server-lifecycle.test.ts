// Issue 12 §3: server.ts stops in the exact reverse of its start, and a start that fails halfway (database
// open, SFU started, then the HTTP port is taken) exits non-zero with a clear message, leaves no child process
// (mediasoup workers, the local worker) and closes the database. Real server process, real mediasoup, real PGlite.
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { waitFor } from "../support/processes";
import { makeDataDir, startServerProcess, type ServerProcess } from "./support/server-process";

const dataDirs: Array<{ remove(): void }> = [];
const servers: ServerProcess[] = [];
let blocker: Server | undefined;

afterAll(async () => {
  await Promise.all(servers.map((s) => s.kill()));
  await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)));
  for (const dir of dataDirs) dir.remove();
});

/**
 * Processes that inherited `marker` in their environment: the server's children (mediasoup workers, the local
 * worker and its children) carry it even after their parent died and init adopted them.
 */
function processesWithMarker(marker: string): Array<{ pid: number; command: string }> {
  const found: Array<{ pid: number; command: string }> = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`, "latin1").split("\0").includes(marker)) continue;
      found.push({ pid: Number(entry), command: readFileSync(`/proc/${entry}/cmdline`, "latin1").replace(/\0/g, " ") });
    } catch {
      // gone while we looked, or not ours to read
    }
  }
  return found;
}

/** PostgreSQL's DBState in global/pg_control: 1 = shut down cleanly, 6 = in production (still open or crashed). */
function pgControlState(dataDir: string): number {
  return readFileSync(path.join(dataDir, "pglite/global/pg_control")).readInt32LE(16);
}

const DB_SHUTDOWNED = 1;
/** A cold start (tsx, PGlite, migrations, mediasoup) took 25-60 s on the shared 2-core machine. */
const STARTUP_TIMEOUT_MS = 150_000;

/** The lifecycle module's JSON log lines, in order. */
function lifecycleSteps(output: string, msg: "started" | "stopped"): string[] {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { module?: string; msg?: string; step?: string })
    .filter((line) => line.module === "lifecycle" && line.msg === msg)
    .map((line) => line.step!);
}

describe("server lifecycle (issue 12 §3)", () => {
  it("a busy port: exits 1 with a clear message after closing what it started, newest first; no child left, DB closed", async () => {
    // Something else answers on the port (503 on /readyz, so the harness keeps waiting until the server exits).
    blocker = createServer((_req, res) => res.writeHead(503).end());
    await new Promise<void>((resolve) => blocker!.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    const data = makeDataDir("argus-lifecycle-busy-");
    dataDirs.push(data);
    const marker = `ARGUS_LIFECYCLE_TEST=${randomUUID()}`;
    const [markerName, markerValue] = marker.split("=");

    const error = await startServerProcess({
      dataDir: data.dir,
      port,
      env: { LOG_LEVEL: "debug", [markerName]: markerValue },
      timeoutMs: STARTUP_TIMEOUT_MS, // it must fail on its own, not be killed by the harness
    }).then(
      (server) => {
        servers.push(server);
        return null;
      },
      (e: unknown) => e as Error,
    );
    expect(error, "the server must not come up on a taken port").toBeInstanceOf(Error);
    const output = error!.message;
    expect(output).toMatch(/^server exited with 1 before it was ready/);
    expect(output).toContain(`Argus could not start: port 127.0.0.1:${port} is already in use`);

    const started = lifecycleSteps(output, "started");
    // It really got halfway: the database and the SFU (mediasoup workers) were up when the listen failed.
    expect(started).toEqual(expect.arrayContaining(["database", "sfu", "worker namespace"]));
    expect(started).not.toContain("http listener");
    expect(lifecycleSteps(output, "stopped")).toEqual([...started].reverse());
    expect(processesWithMarker(marker)).toEqual([]);
    expect(pgControlState(data.dir)).toBe(DB_SHUTDOWNED);
  }, 240_000);

  it("SIGTERM stops every owner in the exact reverse of its start; exit 0, no child left, DB closed", async () => {
    const data = makeDataDir("argus-lifecycle-stop-");
    dataDirs.push(data);
    const marker = `ARGUS_LIFECYCLE_TEST=${randomUUID()}`;
    const [markerName, markerValue] = marker.split("=");
    const server = await startServerProcess({
      dataDir: data.dir,
      // The local worker is the last owner started and a child process of its own.
      env: { LOG_LEVEL: "debug", LOCAL_WORKER: "true", LOCAL_WORKER_CAPACITY: "0", [markerName]: markerValue },
      timeoutMs: STARTUP_TIMEOUT_MS,
    });
    servers.push(server);
    await waitFor(() => lifecycleSteps(server.output(), "started").includes("local worker"), 30_000, "local worker");
    const children = processesWithMarker(marker);
    // The check below is only worth something if there were children to leave behind.
    expect(
      children.some((c) => c.command.includes("mediasoup-worker")),
      JSON.stringify(children),
    ).toBe(true);
    expect(
      children.some((c) => c.command.includes("worker/main.ts")),
      JSON.stringify(children),
    ).toBe(true);

    expect(await server.stop()).toBe(0);
    const output = server.output();
    const started = lifecycleSteps(output, "started");
    expect(started.slice(0, 2)).toEqual(["database", "timescale jobs"]);
    expect(started.slice(-2)).toEqual(["http listener", "local worker"]);
    expect(lifecycleSteps(output, "stopped")).toEqual([...started].reverse());
    expect(output).not.toContain("stop step failed");
    await waitFor(() => processesWithMarker(marker).length === 0, 5_000, "no child process left");
    expect(pgControlState(data.dir)).toBe(DB_SHUTDOWNED);
  }, 240_000);
});
