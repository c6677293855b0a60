// Batch ingestion throughput (SPEC P1) over HTTP: 4 concurrent clients, each POSTing batches of 1000
// events to /api/v1/events/batch with a tenant API key, against a real server process.
//   node --import tsx bench/ingest.ts            embedded PGlite + TimescaleDB (default)
//   node --import tsx bench/ingest.ts --wire     PGlite served over the wire (pglite-socket) as the
//                                                "server database", reached through postgres.js
// Options: --batches=N per client (default 25), --clients=N (default 4), --batch=N events per request.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { login, makeDataDir, repoRoot, startServerProcess } from "../tests/integration/support/server-process";

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const CLIENTS = arg("clients", 4);
const BATCHES = arg("batches", 25);
const WIRE = process.argv.includes("--wire");
// pglite-socket 0.0.19 crashes (WASM "unreachable") on protocol messages split across TCP packets
// (> ~64 KB; electric-sql/pglite PR #775), which a 1000-event batch is: the wire mode defaults to 200.
const BATCH = arg("batch", WIRE ? 200 : 1000);
const TYPES = ["working", "idle", "absent", "product_count"];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function startWire(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(repoRoot, "tests/integration/support/pglite-wire-server.ts"), dir, "0"],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] },
  );
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      const m = /listening (\d+)/.exec(String(chunk));
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`wire server exited with ${code}`)));
  });
  return { url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`, child };
}

async function main(): Promise<void> {
  const data = makeDataDir("argus-bench-ingest-");
  const wire = WIRE ? await startWire(path.join(data.dir, "pg")) : null;
  const server = await startServerProcess({
    dataDir: data.dir,
    timeoutMs: 120_000,
    env: {
      LOG_LEVEL: "warn",
      LOCAL_WORKER: "false",
      ...(wire ? { DATABASE_URL: wire.url, DATABASE_POOL_MAX: "1" } : {}),
    },
  });
  try {
    const cookie = await login(server.url);
    const post = (p: string, body: unknown, headers: Record<string, string>) =>
      fetch(server.url + p, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
    await post("/api/v1/data/seed", { workers: 50, workstations: 10 }, { cookie });
    const { key } = (await (await post("/api/v1/api-keys", { name: "bench" }, { cookie })).json()) as { key: string };

    // Timestamps spread over the last ~50 minutes (live data: no late-bucket refreshes), unique per event.
    const total = CLIENTS * BATCHES * BATCH;
    const start = Date.now() - 50 * 60_000;
    const spacing = Math.floor((45 * 60_000) / total) || 1;
    const batchBody = (client: number, b: number) => {
      const events = [];
      for (let i = 0; i < BATCH; i++) {
        const k = (client * BATCHES + b) * BATCH + i;
        const type = TYPES[k % 4];
        events.push({
          timestamp: new Date(start + k * spacing).toISOString(),
          worker_id: `W${(k % 50) + 1}`,
          workstation_id: `S${(k % 10) + 1}`,
          event_type: type,
          confidence: 0.8 + (k % 20) / 100,
          ...(type === "product_count" ? { count: k % 4 } : {}),
          model_id: "yolo-factory",
          model_version: "v1",
        });
      }
      return JSON.stringify({ events });
    };
    // Warm-up (JIT, first chunk creation), not counted: a separate time range in the past hour.
    await fetch(server.url + "/api/v1/events/batch", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({
        events: [
          {
            timestamp: new Date(start - 60_000).toISOString(),
            worker_id: "W1",
            workstation_id: "S1",
            event_type: "idle",
            confidence: 0.9,
          },
        ],
      }),
    });

    const latencies: number[] = [];
    let stored = 0;
    const began = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        for (let b = 0; b < BATCHES; b++) {
          const body = batchBody(client, b);
          const t0 = performance.now();
          const res = await fetch(server.url + "/api/v1/events/batch", {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
            body,
          });
          const result = (await res.json()) as { successfully_stored: number; errors: unknown[] };
          latencies.push(performance.now() - t0);
          if (!res.ok || result.errors.length)
            throw new Error(`batch failed: HTTP ${res.status} ${JSON.stringify(result).slice(0, 300)}`);
          stored += result.successfully_stored;
        }
      }),
    );
    const seconds = (performance.now() - began) / 1000;
    console.log(
      `ingest bench (${WIRE ? "PGlite over the wire via postgres.js, pool 1" : "embedded PGlite + TimescaleDB"})`,
    );
    console.log(`  ${CLIENTS} clients x ${BATCHES} batches x ${BATCH} events = ${total} events, ${stored} stored`);
    console.log(`  wall ${seconds.toFixed(1)} s -> ${Math.round(stored / seconds).toLocaleString("en-US")} events/s`);
    console.log(
      `  per-batch latency: median ${Math.round(percentile(latencies, 50))} ms, p95 ${Math.round(percentile(latencies, 95))} ms`,
    );
  } finally {
    await server.stop();
    if (wire) {
      wire.child.kill("SIGTERM");
      await new Promise((r) => wire.child.once("exit", r));
    }
    data.remove();
  }
}

await main();
