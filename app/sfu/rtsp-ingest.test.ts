// RTSP ingest (SPEC C1) against a real mediasoup worker, real ffmpeg and a real RTSP server
// (tests/support/rtsp-source.ts): live only when RTP flows, VP8 key frames reach a consumer, a closed room is
// replaced, stalled video and a lost camera go "error" and come back, close() leaves no ffmpeg and no
// transport, and a bad URL's password appears neither in the status message nor in the logs.
import dgram from "node:dgram";
import { once } from "node:events";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processAlive, waitFor } from "../../tests/support/processes";
import { freeTcpPort, startRtspSource, type RtspSource } from "../../tests/support/rtsp-source";
import { isVp8KeyFrameStart, parseRtpHeader } from "../../worker/ingest/rtp";
import { CameraRoom } from "./camera-room.server";
import { MediasoupService } from "./mediasoup-service.server";
import {
  DEFAULT_RTSP_INGEST_SETTINGS,
  RtspIngest,
  RtspIngestSupervisor,
  type RtspIngestSettings,
} from "./rtsp-ingest.server";

const logs: string[] = [];
const logger = pino({ level: "debug" }, { write: (line: string) => void logs.push(line) });
const settings: RtspIngestSettings = {
  ...DEFAULT_RTSP_INGEST_SETTINGS,
  backoff: { initialMs: 300, maxMs: 1500, resetAfterMs: 60_000 },
  stallMs: 3000,
};
const TENANT = "00000000-0000-4000-8000-000000000001";

let service: MediasoupService;
const rooms = new Map<string, CameraRoom>();
const pending = new Map<string, Promise<CameraRoom>>();
/** Like Sfu.room(): one room per camera (concurrent callers share it), a closed one replaced on the next use. */
function room(cameraId: string, tenantId: string): Promise<CameraRoom> {
  const existing = rooms.get(cameraId);
  if (existing && !existing.closed) return Promise.resolve(existing);
  let creating = pending.get(cameraId);
  if (!creating) {
    creating = CameraRoom.create(service, cameraId, tenantId, {
      listenIp: "127.0.0.1",
      minPort: 40000,
      maxPort: 40999,
    });
    pending.set(cameraId, creating);
    void creating.then((created) => {
      rooms.set(cameraId, created);
      pending.delete(cameraId);
    });
  }
  return creating;
}

/** Whether an RTP packet of `payloadType` starts a VP8 key frame. */
function isVp8KeyFrameRtp(packet: Buffer, payloadType: number): boolean {
  const header = parseRtpHeader(packet);
  return header?.payloadType === payloadType && isVp8KeyFrameStart(packet.subarray(header.payloadOffset));
}

async function plainConsumer(cameraRoom: CameraRoom) {
  const socket = dgram.createSocket("udp4");
  const packets: Buffer[] = [];
  socket.on("message", (msg) => packets.push(msg));
  socket.bind(0, "127.0.0.1");
  await once(socket, "listening");
  const transport = await cameraRoom.router.createPlainTransport({
    listenInfo: { protocol: "udp", ip: "127.0.0.1" },
    rtcpMux: true,
    comedia: false,
  });
  await transport.connect({ ip: "127.0.0.1", port: socket.address().port });
  const consumer = await transport.consume({
    producerId: cameraRoom.producer!.id,
    rtpCapabilities: cameraRoom.router.rtpCapabilities,
    paused: true,
  });
  await consumer.resume();
  return {
    packets,
    payloadType: consumer.rtpParameters.codecs[0].payloadType,
    mimeType: consumer.rtpParameters.codecs[0].mimeType,
    close() {
      transport.close();
      socket.close();
    },
  };
}

describe("RTSP ingest (C1)", () => {
  let source: RtspSource | undefined;

  beforeAll(async () => {
    service = await MediasoupService.create({ workers: 1, logger });
  });

  afterAll(async () => {
    await source?.stop();
    for (const r of rooms.values()) r.close();
    service?.close();
  });

  it("goes live, delivers VP8 key frames, recovers from a lost room, a stall and a lost camera, closes cleanly", async () => {
    source = await startRtspSource({ seconds: 4 });
    const cameraId = "00000000-0000-4000-8000-00000000aa01";
    const ingest = await RtspIngest.create({
      camera: { id: cameraId, tenantId: TENANT, rtspUrl: source.url },
      room,
      logger,
      settings,
    });
    const started = Date.now();
    const first = await room(cameraId, TENANT);
    expect(first.status).not.toBe("live"); // nothing flows yet: live comes with the first RTP packet
    await waitFor(() => first.status === "live", 30_000, "live");
    const startupMs = Date.now() - started;

    const consumer = await plainConsumer(first);
    expect(consumer.mimeType).toBe("video/VP8");
    await waitFor(
      () => consumer.packets.some((p) => isVp8KeyFrameRtp(p, consumer.payloadType)),
      10_000,
      "a VP8 key frame",
    );
    consumer.close();

    // The router goes away (as when its mediasoup worker dies): the ingest starts over on a fresh room.
    first.close("test: router lost");
    const second = await waitFor(() => rooms.get(cameraId) !== first && rooms.get(cameraId), 15_000, "a new room");
    await waitFor(() => second.status === "live", 30_000, "live on the new room");

    // The camera stays connected but sends nothing (its encoder hangs): the stall watchdog ends the run.
    const feeder = source.pids[1];
    process.kill(feeder, "SIGSTOP");
    try {
      await waitFor(() => second.status === "error", 20_000, "error after the video stalled");
      expect(second.error).toMatch(/no video from the camera/);
    } finally {
      process.kill(feeder, "SIGCONT");
    }
    await waitFor(() => second.status === "live", 40_000, "live after the stall");

    // The camera disappears: error with a reason; it comes back on the same address: live again.
    const port = source.port;
    await source.stop();
    await waitFor(() => second.status === "error", 20_000, "error after losing the camera");
    expect(second.error).toBeTruthy();
    source = await startRtspSource({ seconds: 4, port });
    await waitFor(() => second.status === "live", 40_000, "live again after the camera returned");
    expect(second.error).toBeNull();

    const pid = ingest.ffmpegPid!;
    const transport = ingest.transport!;
    expect(processAlive(pid)).toBe(true);
    await ingest.close();
    expect(processAlive(pid)).toBe(false);
    expect(transport.closed).toBe(true);
    expect(second.status).toBe("offline");
    expect(ingest.state).toBe("closed");
    console.info(`rtsp ingest: live ${startupMs} ms after start`);
  }, 150_000);

  it("reports a failing camera as error without its password; the supervisor starts and stops ingests", async () => {
    const password = "hunter2-very-secret";
    const url = `rtsp://admin:${password}@127.0.0.1:${await freeTcpPort()}/stream`;
    const cameraId = "00000000-0000-4000-8000-00000000aa02";
    const supervisor = new RtspIngestSupervisor({ room, logger, settings });
    await supervisor.sync(cameraId, { id: cameraId, tenantId: TENANT, rtspUrl: url });
    const ingest = supervisor.ingest(cameraId)!;
    const cameraRoom = await room(cameraId, TENANT);
    await waitFor(() => cameraRoom.status === "error", 20_000, "error");
    expect(cameraRoom.error).toMatch(/refused|ffmpeg/i);
    expect(cameraRoom.error).not.toContain(password);
    expect(logs.join("\n")).not.toContain(password);
    expect(logs.join("\n")).toContain("***@127.0.0.1");

    // Same record again: the same ingest keeps running; gone: stopped, error cleared.
    await supervisor.sync(cameraId, { id: cameraId, tenantId: TENANT, rtspUrl: url });
    expect(supervisor.ingest(cameraId)).toBe(ingest);
    await supervisor.sync(cameraId, null);
    expect(supervisor.size).toBe(0);
    expect(ingest.closed).toBe(true);
    expect(ingest.ffmpegPid).toBeUndefined();
    expect(cameraRoom.status).toBe("offline");
    await supervisor.close();
  }, 60_000);
});
