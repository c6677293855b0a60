// Workers pull their cameras (SPEC C4, C1) with every part real: the server process (SFU, RTSP ingest), a local
// RTSP camera (GStreamer's RTSP server fed with vtest.avi), and a worker process (worker/main.ts) that decodes the
// stream. What the worker decoded is read back the way operators see it: its heartbeats, over the REST API.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { childPids, udpPortFree } from "../support/processes";
import { startRtspSource, type RtspSource } from "../support/rtsp-source";
import { Client, type Json, startWorker, waitUntil, type WorkerProcess } from "./fleet-support";
import { login, makeDataDir, startServerProcess, type ServerProcess } from "./support/server-process";

let server: ServerProcess;
let client: Client;
let data: { dir: string; remove(): void };
let camera: RtspSource | null = null;
let worker: WorkerProcess | null = null;

async function cameraHealth(workerId: string, cameraId: string): Promise<Json | undefined> {
  const res = await client.call("GET", `/api/v1/workers/${workerId}`);
  return res.body.worker?.cameras?.find((c: Json) => c.cameraId === cameraId);
}

beforeAll(async () => {
  data = makeDataDir("argus-media-");
  server = await startServerProcess({ dataDir: data.dir, env: { LOCAL_WORKER: "false", LOG_LEVEL: "info" } });
  client = new Client(server.url, await login(server.url));
  camera = await startRtspSource({ fps: 10, width: 640, height: 480 });
});

afterAll(async () => {
  await worker?.kill();
  await camera?.stop();
  await server?.stop();
  data?.remove();
});

describe("a worker process pulls an RTSP camera through the SFU (C1, C4)", () => {
  let cameraId = "";
  let workerId = "";

  it("decodes frames at the camera's analysis fps and the worker's frame size, and they change over time", async () => {
    const created = await client.call("POST", "/api/v1/cameras", {
      name: "Gate",
      kind: "rtsp",
      rtspUrl: camera!.url,
      analysisFps: 4,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    cameraId = created.body.camera.id;
    const credential = await client.issueCredential("media-worker");
    worker = startWorker({
      server: server.url,
      credential: credential.credential,
      stateDir: path.join(data.dir, "worker"),
      name: "media-worker",
      capacity: 2,
      heartbeatMs: 500,
      env: { WORKER_FRAME_WIDTH: "320", WORKER_FRAME_HEIGHT: "240" },
    });
    workerId = (await waitUntil("the worker online", async () => (await client.workers())[0]?.id)) as string;

    const first = await waitUntil(
      "the camera streaming on the worker",
      async () => {
        const health = await cameraHealth(workerId, cameraId);
        return health?.state === "streaming" && health.frames > 0 ? health : null;
      },
      60_000,
      250,
    );
    expect(first).toMatchObject({ width: 320, height: 240 });
    // The worker's decoder is its own child process.
    expect(childPids(worker.child.pid!, "rawvideo")).toHaveLength(1);

    // Count over a window: the 10 fps camera is analysed at the configured 4 fps.
    const t0 = Date.now();
    const start = first.frames;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const later = await cameraHealth(workerId, cameraId);
    const rate = ((later.frames - start) * 1000) / (Date.now() - t0);
    expect(rate).toBeGreaterThan(2.5);
    expect(rate).toBeLessThan(5.5);
    expect(later.fps).toBeGreaterThan(2.5);
    expect(later.fps).toBeLessThan(5.5);
    // People walk across the scene: consecutive analysed frames differ (a frozen picture would give 0).
    expect(later.change).toBeGreaterThan(0);
    expect(later.latencyMs).toBeGreaterThanOrEqual(0);
    // The Workers list shows the fps and latency too (A1).
    const listed = (await client.workers()).find((w: Json) => w.id === workerId);
    expect(listed.fps).toBeGreaterThan(2.5);
    expect(listed.latencyMs).not.toBeNull();
  });

  it("reports the loss of the camera and recovers when it comes back", async () => {
    const port = camera!.port;
    await camera!.stop();
    camera = null;
    await waitUntil(
      "the worker to report the stream lost",
      async () => ["stalled", "starting", "error"].includes((await cameraHealth(workerId, cameraId))?.state),
      30_000,
      250,
    );
    const before = (await cameraHealth(workerId, cameraId)).frames;

    camera = await startRtspSource({ fps: 10, width: 640, height: 480, port });
    const back = await waitUntil(
      "frames again after the camera came back",
      async () => {
        const health = await cameraHealth(workerId, cameraId);
        return health?.state === "streaming" && health.frames > before + 3 ? health : null;
      },
      90_000,
      500,
    );
    expect(back.restarts).toBeGreaterThanOrEqual(1);
  });

  it("release stops the decoder and frees its ports; the server drops the consumer", async () => {
    const ports = [...server.output().matchAll(/"rtpPort":(\d+)/g)].map((m) => Number(m[1]));
    expect(ports.length).toBeGreaterThan(0);
    const res = await client.call("POST", `/api/v1/cameras/${cameraId}/release`);
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    await waitUntil(
      "the camera gone from the worker's heartbeat",
      async () => !(await cameraHealth(workerId, cameraId)),
      20_000,
    );
    await waitUntil("no decoder left", () => childPids(worker!.child.pid!, "rawvideo").length === 0, 10_000);
    // The server stopped streaming to the worker as soon as the assignment ended, not only when the worker asked.
    expect(server.output()).toContain("the camera is no longer assigned to this worker");
    // The pipeline closes its source (socket, decoder) after the camera leaves the heartbeat: wait for it, bounded.
    await waitUntil("the RTP port free again", () => udpPortFree(ports[ports.length - 1]!), 5_000, 100);

    // SIGTERM: the worker leaves nothing running.
    const pid = worker!.child.pid!;
    expect(await worker!.stop()).toBe(0);
    expect(childPids(pid, "ffmpeg")).toEqual([]);
  });
});
