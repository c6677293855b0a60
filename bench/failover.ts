// Failover time (SPEC W11, issue 10 §5): SIGKILL the worker running a camera and time until that camera is
// active on another worker, with real worker processes. By default at the server's DEFAULT settings (30 s
// heartbeats x 3 misses, WORKER_DISCONNECT_GRACE_MS 5000), several runs, median and p95. A SIGKILL closes the
// socket, so detection is the disconnect grace (+ sweep <= 1 s, placement and ack), not the missed heartbeats.
//   node --import tsx bench/failover.ts [--intervals=30000] [--trials=10] [--grace=MS (server setting; default unset)]
import path from "node:path";
import {
  activePlacements,
  Client,
  startWorker,
  waitUntil,
  type WorkerProcess,
} from "../tests/integration/fleet-support";
import { login, makeDataDir, startServerProcess } from "../tests/integration/support/server-process";

const argValue = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const INTERVALS = (argValue("intervals") ?? "30000").split(",").map(Number);
const TRIALS = Number(argValue("trials") ?? 10);
const GRACE = argValue("grace");

const data = makeDataDir("argus-bench-failover-");
const server = await startServerProcess({
  dataDir: data.dir,
  env: {
    LOCAL_WORKER: "false",
    LOG_LEVEL: "warn",
    ...(GRACE === undefined ? {} : { WORKER_DISCONNECT_GRACE_MS: GRACE }),
  },
});
const graceMs = GRACE === undefined ? 5_000 : Number(GRACE);
const client = new Client(server.url, await login(server.url));
const cameraId = (await client.call("POST", "/api/v1/cameras", { name: "failover-cam", kind: "browser" })).body.camera
  .id as string;
const results: Array<{ interval: number; ms: number }> = [];
let run = 0;

for (const interval of INTERVALS) {
  for (let trial = 0; trial < TRIALS; trial++) {
    run++;
    const procs: WorkerProcess[] = [];
    for (const n of ["a", "b"]) {
      const cred = await client.issueCredential(`fo-${run}-${n}`);
      procs.push(
        startWorker({
          server: server.url,
          credential: cred.credential,
          stateDir: path.join(data.dir, `${run}-${n}`),
          name: `fo-${run}-${n}`,
          capacity: 1,
          heartbeatMs: interval,
        }),
      );
    }
    const names = procs.map((_, i) => `fo-${run}-${"ab"[i]}`);
    const ids = await waitUntil(
      "workers",
      async () => {
        const ws = (await client.workers()).filter((w) => names.includes(w.name) && w.connected);
        return ws.length === 2 ? Object.fromEntries(ws.map((w) => [w.id, w.name])) : null;
      },
      30_000,
    );
    // Put the camera on one of this run's workers.
    await client.call("POST", `/api/v1/cameras/${cameraId}/release`);
    await client.call("POST", `/api/v1/cameras/${cameraId}/assign`, { mode: "worker", workerId: Object.keys(ids)[0] });
    const victimId = await waitUntil(
      "active",
      async () => activePlacements(await client.cameras()).get(cameraId),
      30_000,
    );
    const victim = procs[names.indexOf(ids[victimId])];
    const killedAt = performance.now();
    await victim.kill();
    await waitUntil(
      "moved",
      async () => {
        const on = activePlacements(await client.cameras()).get(cameraId);
        return on && on !== victimId;
      },
      interval * 5 + 30_000,
      25,
    );
    const ms = performance.now() - killedAt;
    results.push({ interval, ms });
    console.log(
      `heartbeat ${interval} ms, grace ${graceMs} ms: SIGKILL -> camera active elsewhere in ${(ms / 1000).toFixed(2)} s (detection bound ${Math.min(graceMs, interval * 3) / 1000} s)`,
    );
    await Promise.all(procs.map((p) => p.kill()));
  }
}

/** Nearest-rank percentile. */
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
for (const interval of INTERVALS) {
  const ms = results
    .filter((r) => r.interval === interval)
    .map((r) => r.ms)
    .sort((a, b) => a - b);
  const s = (v: number) => `${(v / 1000).toFixed(2)} s`;
  console.log(
    `SUMMARY heartbeat ${interval} ms, grace ${graceMs} ms, ${ms.length} runs: median ${s(percentile(ms, 0.5))}, p95 ${s(percentile(ms, 0.95))}, min ${s(ms[0])}, max ${s(ms[ms.length - 1])}`,
  );
}
await server.stop();
data.remove();
process.exit(0);
