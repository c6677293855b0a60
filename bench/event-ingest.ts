// Detection event ingest (SPEC T2, T3): events per second from a worker's socket.io "v1:events" batch to committed
// rows (the ack comes after the commit), against a real server process and a fake registered worker.
//   npm run bench:events                       embedded PGlite + TimescaleDB (default)
//   npm run bench:events -- --url=postgres://… a TimescaleDB server through DATABASE_URL (needs the extension:
//                                              Debian's postgresql-15 has none, so Argus's migrations cannot run)
// Options: --events=N per batch size (default 20000), --sizes=100,500, --inflight=N batches in flight (default 1,
// as the worker's publisher sends them), --late (events 6 h old, as a spool replayed after an outage: each batch
// also refreshes the aggregate buckets it touched behind the periodic refresh's lookback).
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { io, type Socket } from "socket.io-client";
import { PROTOCOL_VERSION } from "../protocol";
import { login, makeDataDir, startServerProcess } from "../tests/integration/support/server-process";

const arg = (name: string) =>
  process.argv
    .find((a) => a.startsWith(`--${name}=`))
    ?.split("=")
    .slice(1)
    .join("=");
const EVENTS = Number(arg("events") ?? 20_000);
const SIZES = (arg("sizes") ?? "100,500").split(",").map(Number);
const INFLIGHT = Number(arg("inflight") ?? 1);
const URL_ARG = arg("url");
const LATE = process.argv.includes("--late");

type Reply = { ok: boolean; data?: { stored: number; duplicates: number }; error?: { message: string } };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

let lamport = 0;
// Recent events (the live case) span the last ~15 minutes; --late ones are 6 hours old.
const start = Date.now() - (LATE ? 6 * 3600_000 : 20 * 60_000);
function makeEvent(cameraId: string, i: number) {
  const utc = new Date(start + i * 20);
  const envelope = {
    eventId: randomUUID(),
    cameraId,
    utcTimestamp: utc.toISOString(),
    localTime: utc.toISOString().slice(0, 23),
    timezoneOffset: 0,
    driftOffset: 12,
    correctedUtc: new Date(utc.getTime() + 12).toISOString(),
    lamport: ++lamport,
    modelId: "nanodet-m-416",
    modelVersion: "1",
    trackId: i % 5000,
    class: ["person", "car", "truck", "bus"][i % 4],
    confidence: 0.71,
  };
  // The mix a counting camera sends: mostly crossings, then zone traffic and new tracks.
  if (i % 10 < 5)
    return { type: "line_crossing", ...envelope, lineId: i % 2 ? "north" : "south", direction: i % 3 ? "in" : "out" };
  if (i % 10 < 7) return { type: "zone_enter", ...envelope, zoneId: "lot" };
  if (i % 10 < 9) return { type: "zone_exit", ...envelope, zoneId: "lot", dwellMs: 4000 + i };
  return { type: "track_start", ...envelope, box: [0.1, 0.2, 0.3, 0.5] };
}

async function send(
  socket: Socket,
  batches: unknown[][],
): Promise<{ seconds: number; latencies: number[]; stored: number; duplicates: number }> {
  const latencies: number[] = [];
  let stored = 0;
  let duplicates = 0;
  let next = 0;
  const began = performance.now();
  const lane = async () => {
    while (next < batches.length) {
      const events = batches[next++];
      const t = performance.now();
      const reply = (await socket.timeout(60_000).emitWithAck("v1:events", { batchId: randomUUID(), events })) as Reply;
      latencies.push(performance.now() - t);
      if (!reply.ok) throw new Error(`batch refused: ${reply.error?.message}`);
      stored += reply.data!.stored;
      duplicates += reply.data!.duplicates;
    }
  };
  await Promise.all(Array.from({ length: INFLIGHT }, lane));
  return { seconds: (performance.now() - began) / 1000, latencies, stored, duplicates };
}

async function main(): Promise<void> {
  const data = makeDataDir("argus-bench-events-");
  const server = await startServerProcess({
    dataDir: data.dir,
    timeoutMs: 120_000,
    env: { LOG_LEVEL: "warn", LOCAL_WORKER: "false", ...(URL_ARG ? { DATABASE_URL: URL_ARG } : {}) },
  });
  const sockets: Socket[] = [];
  try {
    const cookie = await login(server.url);
    const post = async (path: string, body: unknown) => {
      const res = await fetch(server.url + path, {
        method: "POST",
        headers: { cookie, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    const cred = await post("/api/v1/workers/credentials", { name: "bench" });
    const token = (
      await (
        await fetch(`${server.url}/api/v1/workers/token`, {
          method: "POST",
          headers: { authorization: `Bearer ${cred.credential}` },
        })
      ).json()
    ).token;
    const socket = io(`${server.url}/workers`, {
      auth: { token, protocolVersion: PROTOCOL_VERSION },
      transports: ["websocket"],
      reconnection: false,
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    socket.on("v1:command", (c: { commandId: string }) =>
      socket.emit("v1:command-ack", { commandId: c.commandId, ok: true }, () => {}),
    );
    const registered = (await socket.emitWithAck("v1:register", {
      id: "bench-worker",
      name: "bench-worker",
      host: "bench",
      version: "1",
      capacity: 4,
      capabilities: { models: [], codecs: [] },
    })) as Reply;
    if (!registered.ok) throw new Error(`register: ${registered.error?.message}`);
    const cameras: string[] = [];
    for (let i = 0; i < 4; i++)
      cameras.push((await post("/api/v1/cameras", { name: `Bench ${i}`, kind: "browser" })).camera.id);

    console.log(
      `Detection event ingest: ${URL_ARG ? "DATABASE_URL server" : "embedded PGlite + TimescaleDB"}, ${EVENTS} events per size, ${INFLIGHT} batch(es) in flight, 4 cameras, ${LATE ? "late (6 h old)" : "recent"} events`,
    );
    let i = 0;
    for (const size of SIZES) {
      const batches: unknown[][] = [];
      for (let b = 0; b < EVENTS / size; b++)
        batches.push(Array.from({ length: size }, () => makeEvent(cameras[i % 4], i++)));
      // One warm-up batch (statement plans, JIT) that is not counted.
      await send(socket, [Array.from({ length: size }, () => makeEvent(cameras[i % 4], i++))]);
      const fresh = await send(socket, batches);
      const replay = await send(socket, batches);
      if (fresh.stored !== EVENTS || replay.duplicates !== EVENTS) throw new Error("counts do not add up");
      const line = (label: string, r: typeof fresh) =>
        `  batch ${String(size).padStart(3)} ${label}: ${Math.round(EVENTS / r.seconds)
          .toString()
          .padStart(
            6,
          )} events/s  (ack p50 ${percentile(r.latencies, 50).toFixed(1)} ms, p95 ${percentile(r.latencies, 95).toFixed(1)} ms, ${r.latencies.length} batches)`;
      console.log(line("new     ", fresh));
      console.log(line("replayed", replay));
    }
  } finally {
    for (const s of sockets) s.disconnect();
    await server.stop();
    data.remove();
  }
}

await main();
