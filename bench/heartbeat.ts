// Heartbeat load (SPEC W4): N simulated workers (socket.io clients in this process) heartbeating every
// second against a real server process. Steps N up and prints, per step, the heartbeat round-trip
// p50/p99 (client-measured: emit -> ack, so it includes this process's own load on the same machine),
// and the server's CPU and RSS. Reports the largest N with p99 < 50 ms.
//   node --import tsx bench/heartbeat.ts [--steps=100,250,500,1000,1500,2000] [--window=10]
import { readFileSync } from "node:fs";
import { io, type Socket } from "socket.io-client";
import { PROTOCOL_VERSION } from "../protocol";
import { login, makeDataDir, startServerProcess } from "../tests/integration/support/server-process";

const argValue = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const STEPS = (argValue("steps") ?? "100,250,500,1000,1500,2000,3000").split(",").map(Number);
const WINDOW_S = Number(argValue("window") ?? 10);
const TARGET_P99_MS = 50;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"))!;
  return Math.round(Number(line.replace(/\D+/g, "")) / 1024);
}

const data = makeDataDir("argus-bench-hb-");
const server = await startServerProcess({
  dataDir: data.dir,
  env: { LOCAL_WORKER: "false", LOG_LEVEL: "warn", WORKER_MIN_HEARTBEAT_MS: "250" },
});
const cookie = await login(server.url);
const issued = await (
  await fetch(`${server.url}/api/v1/workers/credentials`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ name: "bench" }),
  })
).json();
const { token } = await (
  await fetch(`${server.url}/api/v1/workers/token`, {
    method: "POST",
    headers: { authorization: `Bearer ${issued.credential}` },
  })
).json();
const pid = server.child.pid!;
const clockTicks = 100; // USER_HZ on Linux

const sockets: Socket[] = [];
let samples: number[] = [];
let failures = 0;

async function addWorker(index: number): Promise<void> {
  const socket = io(`${server.url}/workers`, {
    auth: { token, protocolVersion: PROTOCOL_VERSION },
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  const reply = await socket.timeout(30_000).emitWithAck("v1:register", {
    id: `bench-${index}`,
    name: `bench-${index}`,
    host: "bench",
    version: "bench",
    capacity: 0,
    capabilities: { models: [], codecs: [] },
    heartbeatMs: 1000,
  });
  if (!reply.ok) throw new Error(JSON.stringify(reply));
  sockets.push(socket);
  let lamport = 0;
  const beat = async () => {
    if (!socket.connected) return;
    const started = performance.now();
    try {
      const r = await socket.timeout(5_000).emitWithAck("v1:heartbeat", {
        status: "IDLE",
        load: { assigned: 0, capacity: 0 },
        cameras: [],
        cpuPercent: 1,
        memoryMb: 50,
        sentAt: new Date().toISOString(),
        lamport: ++lamport,
      });
      if (r.ok) samples.push(performance.now() - started);
      else failures++;
    } catch {
      failures++;
    }
  };
  setTimeout(() => setInterval(beat, 1000), Math.random() * 1000);
}

console.log(`heartbeat bench: server pid ${pid}, ${WINDOW_S}s window per step, target p99 < ${TARGET_P99_MS} ms`);
console.log("workers  beats/s   p50 ms   p99 ms   max ms  failures  server CPU %  server RSS MB");
let best: { n: number; p99: number; cpu: number; rss: number } | null = null;
for (const n of STEPS) {
  while (sockets.length < n) {
    const batch = [];
    for (let i = 0; i < 50 && sockets.length + batch.length < n; i++)
      batch.push(addWorker(sockets.length + batch.length));
    await Promise.all(batch);
  }
  await new Promise((r) => setTimeout(r, 2_000)); // settle
  samples = [];
  failures = 0;
  const ticks0 = cpuTicks(pid);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = ((cpuTicks(pid) - ticks0) / clockTicks / seconds) * 100;
  const rss = rssMb(pid);
  const p50 = percentile(samples, 50);
  const p99 = percentile(samples, 99);
  console.log(
    `${String(n).padStart(7)}  ${(samples.length / seconds).toFixed(0).padStart(7)}  ${p50.toFixed(1).padStart(7)}  ${p99.toFixed(1).padStart(7)}  ${Math.max(
      ...samples,
    )
      .toFixed(1)
      .padStart(7)}  ${String(failures).padStart(8)}  ${cpu.toFixed(0).padStart(12)}  ${String(rss).padStart(13)}`,
  );
  if (p99 < TARGET_P99_MS && failures === 0) best = { n, p99, cpu, rss };
  else break;
}
console.log(
  best
    ? `largest N with p99 < ${TARGET_P99_MS} ms: ${best.n} workers (p99 ${best.p99.toFixed(1)} ms, server CPU ${best.cpu.toFixed(0)}%, RSS ${best.rss} MB)`
    : "no step met the target",
);
for (const s of sockets) s.close();
await server.stop();
data.remove();
process.exit(0);
