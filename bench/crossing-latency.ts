// Camera-to-database latency of a crossing event (issue 9: T2, D3), median and p95, with every part real: a real RTSP
// camera playing vtest.avi -> the server's RTSP ingest + SFU -> a worker process (decode, ONNX, tracker, counter,
// spool, socket.io batch) -> committed in the embedded TimescaleDB. Latency per event = received_at (the server's
// clock when the row was inserted) - utc_timestamp (the worker's clock when the last RTP packet of the frame that
// produced the event arrived); both clocks are this host's, so no drift enters. Not included: the camera's own encode
// and the RTSP ingest transcode before the SFU (bench/glass-to-worker.ts measures glass -> worker: median ~7 ms).
// Also printed: the same figure for every event type, and events/s.
//   node --import tsx bench/crossing-latency.ts [--seconds=60]
// Measured 2026-12-02 (2 cores shared with other agents' work, load average 3.8-6.2), 90 s, NanoDet: line_crossing
// n=9 median 227 ms, p95 507 ms; all 63 events median 243 ms, p95 507 ms (detector run + 50 ms linger + batch +
// commit).
import path from "node:path";
import { DEMO_SCENE } from "../app/models/demo-scene";
import { startRtspSource } from "../tests/support/rtsp-source";
import { Client, startWorker, type Json } from "../tests/integration/fleet-support";
import { login, makeDataDir, startServerProcess } from "../tests/integration/support/server-process";
import { argValue, percentile, sleep } from "./support/c4-pipeline";

const seconds = Number(argValue("seconds") ?? 60);

async function main() {
  const data = makeDataDir("argus-bench-crossing-");
  const server = await startServerProcess({ dataDir: data.dir, env: { LOCAL_WORKER: "false", LOG_LEVEL: "warn" } });
  const camera = await startRtspSource({ fps: 10, width: 640, height: 480, seconds: 40 });
  let worker: ReturnType<typeof startWorker> | null = null;
  try {
    const client = new Client(server.url, await login(server.url));
    const created = await client.call("POST", "/api/v1/cameras", {
      name: "Campus",
      kind: "rtsp",
      rtspUrl: camera.url,
      analysisFps: 5,
    });
    const cameraId = created.body.camera.id as string;
    await client.call("PUT", `/api/v1/cameras/${cameraId}/analysis`, {
      scene: DEMO_SCENE,
      detection: { classes: ["person"] },
    });
    const credential = (await client.issueCredential("bench")).credential;
    worker = startWorker({
      server: server.url,
      credential,
      stateDir: path.join(data.dir, "worker"),
      capacity: 1,
      heartbeatMs: 1000,
      env: { LOG_LEVEL: "warn" },
    });
    const started = Date.now();
    await sleep(seconds * 1000);
    const res = await client.call("GET", `/api/v1/detection-events?camera_id=${cameraId}&limit=10000`);
    const events: Json[] = res.body.events;
    const latency = (e: Json) => Date.parse(e.received_at) - Date.parse(e.utc_timestamp);
    const report = (label: string, list: Json[]) => {
      const ms = list.map(latency);
      if (!ms.length) return console.log(`${label.padEnd(14)} n=0`);
      console.log(
        `${label.padEnd(14)} n=${String(ms.length).padEnd(5)} median ${percentile(ms, 50).toFixed(0)} ms  p95 ${percentile(ms, 95).toFixed(0)} ms  max ${Math.max(...ms).toFixed(0)} ms`,
      );
    };
    console.log(
      `${events.length} events in ${((Date.now() - started) / 1000).toFixed(0)} s of a 5 fps camera (worker start included)`,
    );
    report(
      "line_crossing",
      events.filter((e) => e.type === "line_crossing"),
    );
    report(
      "track_start",
      events.filter((e) => e.type === "track_start"),
    );
    report("all", events);
  } finally {
    await worker?.stop();
    await camera.stop();
    await server.stop();
    data.remove();
  }
}

void main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
