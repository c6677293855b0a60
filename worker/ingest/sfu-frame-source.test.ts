// C4 with real parts in one process: a real mediasoup worker and CameraRoom, a real VP8 stream (ffmpeg encoding
// vtest.avi into a PlainTransport producer), the server's WorkerMediaBridge, and the worker's SfuFrameSource with
// its real ffmpeg decoder. Only the socket.io hop between bridge and source is replaced by direct calls (the
// integration tests cover it with real processes).
import { randomUUID } from "node:crypto";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CameraRoom, type RtcOptions } from "../../app/sfu/camera-room.server";
import { MediasoupService } from "../../app/sfu/mediasoup-service.server";
import { WorkerMediaBridge, type WorkerMediaClient } from "../../app/sfu/worker-media.server";
import { directMediaLink } from "../../tests/support/direct-media-link";
import { childPids, processAlive, udpPortFree, waitFor } from "../../tests/support/processes";
import { startVp8Producer, type Vp8Producer } from "../../tests/support/vp8-producer";
import type { Frame } from "./frame-source";
import type { MediaLink } from "./media-link";
import { meanAbsDiff, SfuFrameSource } from "./sfu-frame-source";

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
const rtc: RtcOptions = { listenIp: "127.0.0.1", minPort: 41000, maxPort: 41999 };
const TENANT = randomUUID();

describe("SfuFrameSource: a worker pulls a camera from the SFU (C4)", () => {
  let service: MediasoupService;
  let room: CameraRoom;
  let bridge: WorkerMediaBridge;
  let stream: Vp8Producer | null = null;
  const cameraId = randomUUID();
  let client: WorkerMediaClient;
  let link: MediaLink;

  beforeAll(async () => {
    service = await MediasoupService.create({ workers: 1, logger });
    room = await CameraRoom.create(service, cameraId, TENANT, rtc);
    bridge = new WorkerMediaBridge({
      rtc,
      logger,
      room: async () => room,
      isAssigned: (workerId, id, tenantId) => workerId === "worker-1" && id === cameraId && tenantId === TENANT,
    });
    ({ client, link } = directMediaLink(bridge, { workerId: "worker-1", tenantId: TENANT }));
  });

  afterAll(async () => {
    await stream?.stop();
    bridge?.close();
    room?.close();
    service?.close();
  });

  it("refuses cameras not assigned to the worker and cameras that are not streaming", async () => {
    const other = await bridge.subscribe({ ...client, workerId: "worker-2" }, { cameraId, rtpPort: 50000 });
    expect(other).toMatchObject({ ok: false, error: { code: "forbidden" } });
    const offline = await bridge.subscribe(client, { cameraId, rtpPort: 50000 });
    expect(offline).toMatchObject({ ok: false, error: { code: "unavailable" } });
    expect(bridge.size).toBe(0);
  });

  it("decodes frames at the analysis fps and size, recovers from stream loss, and frees everything on stop", async () => {
    stream = await startVp8Producer(room.router, { width: 640, height: 480, fps: 15 });
    room.attachProducer(stream.producer, null);
    const source = new SfuFrameSource({ cameraId, assignmentId: randomUUID(), analysisFps: 5 }, link, {
      width: 320,
      height: 240,
      ffmpegPath: "ffmpeg",
      bindIp: "127.0.0.1",
      stallMs: 1_500,
      restartAfterMs: 3_000,
      logger,
    });
    const frames: Frame[] = [];
    source.onFrame((frame) => frames.push(frame));
    await source.start();
    await waitFor(() => frames.length > 0, 20_000, "the first decoded frame");
    expect(bridge.countFor(cameraId)).toBe(1);
    const held = source.resources;
    expect(held.decoderPid && processAlive(held.decoderPid)).toBe(true);

    // Count over a fixed window: the 15 fps stream is decimated to 5 analysed frames per second.
    const startCount = frames.length;
    const windowStart = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const perSecond = ((frames.length - startCount) * 1000) / (Date.now() - windowStart);
    expect(perSecond).toBeGreaterThan(3);
    expect(perSecond).toBeLessThan(7);
    for (const frame of frames) {
      expect(frame).toMatchObject({ cameraId, width: 320, height: 240, format: "rgb24" });
      expect(frame.data.length).toBe(320 * 240 * 3);
      expect(frame.decodedAt).toBeGreaterThanOrEqual(frame.receivedAt);
    }
    expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => i));
    // Real footage: people walk, so frames a second apart differ; and the picture is not blank.
    expect(meanAbsDiff(frames[0]!.data, frames[frames.length - 1]!.data)).toBeGreaterThan(0.5);
    expect(new Set(frames[frames.length - 1]!.data.subarray(0, 30_000)).size).toBeGreaterThan(20);
    const healthy = source.health();
    expect(healthy).toMatchObject({ state: "streaming", width: 320, height: 240 });
    expect(healthy.fps).toBeGreaterThan(3);
    expect(healthy.latencyMs).not.toBeNull();

    // Stream loss: the camera's source goes away. The server closes the consumer, the worker notices, waits.
    await stream.stop();
    stream = null;
    await waitFor(() => bridge.countFor(cameraId) === 0, 5_000, "the server to drop the worker's consumer");
    await waitFor(() => source.health().state === "stalled", 10_000, "the source to report the stall");
    expect(processAlive(held.decoderPid!)).toBe(false);

    // The source comes back (a new producer): the worker subscribes again on its own and frames flow.
    const before = frames.length;
    stream = await startVp8Producer(room.router, { width: 640, height: 480, fps: 15 });
    room.attachProducer(stream.producer, null);
    await waitFor(() => frames.length > before + 3, 25_000, "frames after the stream came back");
    expect(source.health().state).toBe("streaming");
    expect(source.health().restarts).toBeGreaterThanOrEqual(1);

    // Release: no decoder, no consumer, and both UDP ports free again.
    const last = source.resources;
    await source.stop();
    expect(source.health().state).toBe("stopped");
    expect(processAlive(last.decoderPid!)).toBe(false);
    expect(childPids(process.pid, "rawvideo")).toEqual([]);
    expect(bridge.countFor(cameraId)).toBe(0);
    expect(await udpPortFree(last.rtpPort!, "127.0.0.1")).toBe(true);
    expect(await udpPortFree(last.decoderPort!, "127.0.0.1")).toBe(true);
  }, 120_000);
});
