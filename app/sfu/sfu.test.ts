import { once } from "node:events";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { Server as SocketServer } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import type { Ack } from "../../protocol/common";
import type { SfuNotification, SfuRequest } from "../../protocol/sfu";
import { createLogger } from "../logger.server";
import { Sfu, type SfuSocketData } from "./sfu.server";

// The SFU owner classes over real socket.io and real mediasoup workers (STYLE: no leaked transports when
// clients vanish; a dead mediasoup worker is restarted and its cameras come back). Authentication is stubbed
// (the handshake names camera and mode); the database-backed check is covered by the e2e spec.

const CAMERA = randomUUID();
const TENANT = randomUUID();

const VP8_RTP_PARAMETERS = {
  mid: "0",
  codecs: [{ mimeType: "video/VP8", payloadType: 101, clockRate: 90000, rtcpFeedback: [] }],
  encodings: [{ ssrc: 0x1234abcd }],
  headerExtensions: [],
  rtcp: { cname: "test", reducedSize: true },
};

interface Harness {
  sfu: Sfu;
  http: HttpServer;
  url: string;
  clients: Socket[];
}

let harness: Harness | null = null;

async function start(workers = 1): Promise<Harness> {
  const http = createServer();
  const io = new SocketServer(http, { serveClient: false });
  const authorize = async ({ auth }: { auth: unknown }): Promise<SfuSocketData> => {
    const { cameraId, mode } = auth as { cameraId: string; mode: "publish" | "watch" };
    if (cameraId !== CAMERA) throw new Error("unknown camera");
    return { cameraId, tenantId: TENANT, mode, userId: "u1" };
  };
  const sfu = await Sfu.create({
    io,
    db: {} as Db,
    config: {
      RTC_LISTEN_IP: "127.0.0.1",
      RTC_ANNOUNCED_ADDRESS: undefined,
      RTC_MIN_PORT: 40000,
      RTC_MAX_PORT: 40999,
      SFU_WORKERS: workers,
      SESSION_TTL_DAYS: 1,
    },
    logger: createLogger({ level: "silent", format: "json" }),
    authorize,
  });
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  harness = { sfu, http, url, clients: [] };
  return harness;
}

afterEach(async () => {
  if (!harness) return;
  for (const client of harness.clients) client.disconnect();
  await harness.sfu.close();
  await new Promise<void>((resolve) => harness!.http.close(() => resolve()));
  harness = null;
});

async function client(h: Harness, mode: "publish" | "watch", cameraId = CAMERA) {
  const socket = connect(`${h.url}/sfu`, { auth: { cameraId, mode }, transports: ["websocket"], reconnection: false });
  h.clients.push(socket);
  const notifications: SfuNotification[] = [];
  socket.on("notification", (n: SfuNotification) => notifications.push(n));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  const request = async <T = Record<string, unknown>>(payload: SfuRequest | unknown): Promise<Ack<T>> =>
    (await socket.timeout(10_000).emitWithAck("request", payload)) as Ack<T>;
  const must = async <T = Record<string, unknown>>(payload: SfuRequest): Promise<T> => {
    const ack = await request<T>(payload);
    if (!ack.ok) throw new Error(`${payload.method}: ${ack.error.message}`);
    return ack.data;
  };
  return { socket, notifications, request, must };
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("SFU owner classes (C2, C3)", () => {
  it("closes every transport, producer and consumer of a peer whose socket goes away", async () => {
    const h = await start();
    const room = await h.sfu.room(CAMERA, TENANT);

    const publisher = await client(h, "publish");
    const caps = await publisher.must<{ rtpCapabilities: unknown; status: string }>({
      method: "getRouterRtpCapabilities",
    });
    expect(caps.status).toBe("offline");
    const send = await publisher.must<{ id: string }>({ method: "createTransport", direction: "send" });
    await publisher.must({
      method: "produce",
      transportId: send.id,
      kind: "video",
      rtpParameters: VP8_RTP_PARAMETERS,
    });
    expect(room.status).toBe("live");

    const viewers = await Promise.all([client(h, "watch"), client(h, "watch")]);
    for (const viewer of viewers) {
      const recv = await viewer.must<{ id: string }>({ method: "createTransport", direction: "recv" });
      const consumer = await viewer.must<{ id: string; producerId: string } | null>({
        method: "consume",
        transportId: recv.id,
        rtpCapabilities: caps.rtpCapabilities as Record<string, unknown>,
      });
      expect(consumer?.producerId).toBeTruthy();
      await viewer.must({ method: "resumeConsumer", consumerId: consumer!.id });
    }

    // Bad messages get an error ack, never a crash; a watcher cannot publish; unknown ids are rejected.
    for (const bad of [null, 42, "x", { method: "nope" }, { method: "createTransport", direction: "sideways" }]) {
      const ack = await viewers[0]!.request(bad);
      expect(ack.ok).toBe(false);
    }
    expect((await viewers[0]!.request({ method: "createTransport", direction: "send" })).ok).toBe(false);
    expect((await viewers[0]!.request({ method: "resumeConsumer", consumerId: "nope" })).ok).toBe(false);
    const badProduce = await publisher.request({
      method: "produce",
      transportId: send.id,
      kind: "video",
      rtpParameters: { codecs: "garbage" },
    });
    expect(badProduce.ok).toBe(false);

    let dump = await room.router.dump();
    expect(dump.transportIds).toHaveLength(3);
    expect(dump.mapProducerIdConsumerIds[0]?.values).toHaveLength(2);
    expect(await h.sfu.stats()).toEqual({ rooms: 1, peers: 3, transports: 3 });

    // The publisher vanishes: its transport and producer go, viewers hear the producer closed and the camera offline.
    publisher.socket.disconnect();
    await waitFor(
      () => viewers.every((v) => v.notifications.some((n) => n.method === "producerClosed")),
      5000,
      "producerClosed",
    );
    expect(viewers[0]!.notifications).toContainEqual({ method: "cameraStatus", cameraId: CAMERA, status: "offline" });
    await waitFor(async () => (await room.router.dump()).transportIds.length === 2, 5000, "publisher transport closed");
    dump = await room.router.dump();
    expect(dump.mapProducerIdConsumerIds).toEqual([]);
    expect(dump.mapConsumerIdProducerId).toEqual([]);

    // The viewers vanish too: nothing is left on the router.
    for (const viewer of viewers) viewer.socket.disconnect();
    await waitFor(async () => (await room.router.dump()).transportIds.length === 0, 5000, "viewer transports closed");
    await waitFor(async () => (await h.sfu.stats()).peers === 0, 5000, "peers gone");
    expect(await h.sfu.stats()).toEqual({ rooms: 1, peers: 0, transports: 0 });
  });

  it("a new publish replaces the old publisher", async () => {
    const h = await start();
    const room = await h.sfu.room(CAMERA, TENANT);
    const first = await client(h, "publish");
    const t1 = await first.must<{ id: string }>({ method: "createTransport", direction: "send" });
    const p1 = await first.must<{ id: string }>({
      method: "produce",
      transportId: t1.id,
      kind: "video",
      rtpParameters: VP8_RTP_PARAMETERS,
    });
    const second = await client(h, "publish");
    const t2 = await second.must<{ id: string }>({ method: "createTransport", direction: "send" });
    const p2 = await second.must<{ id: string }>({
      method: "produce",
      transportId: t2.id,
      kind: "video",
      rtpParameters: VP8_RTP_PARAMETERS,
    });
    await waitFor(() => first.notifications.some((n) => n.method === "replaced"), 5000, "replaced");
    expect(room.producer?.id).toBe(p2.id);
    expect(p1.id).not.toBe(p2.id);
    expect(room.status).toBe("live");
  });

  it("restarts a mediasoup worker killed with SIGKILL; its cameras' peers reconnect onto a usable router", async () => {
    const h = await start(1);
    const oldRoom = await h.sfu.room(CAMERA, TENANT);
    const viewer = await client(h, "watch");
    await viewer.must({ method: "createTransport", direction: "recv" });
    const [worker] = h.sfu.mediasoup.workers;
    const oldPid = worker!.pid;
    const restarted = once(h.sfu.mediasoup, "workerrestarted");
    const disconnected = new Promise<void>((resolve) => viewer.socket.once("disconnect", () => resolve()));

    process.kill(oldPid, "SIGKILL");

    await disconnected;
    expect(viewer.notifications.some((n) => n.method === "reconnect")).toBe(true);
    expect(oldRoom.closed).toBe(true);
    const [newWorker] = (await restarted) as [{ pid: number }];
    expect(newWorker.pid).not.toBe(oldPid);
    expect(h.sfu.mediasoup.workers.map((w) => w.pid)).toEqual([newWorker.pid]);

    // The client reconnects (as sfu-client.ts does): a new room on the new worker, transports work.
    const again = await client(h, "watch");
    const recv = await again.must<{ id: string }>({ method: "createTransport", direction: "recv" });
    expect(recv.id).toBeTruthy();
    const room = await h.sfu.room(CAMERA, TENANT);
    expect(room).not.toBe(oldRoom);
    expect(room.router.closed).toBe(false);
    expect((await room.router.dump()).transportIds).toEqual([recv.id]);
  });

  it("reports a server-side source's error, each new reason, and its recovery to the room's peers (C1)", async () => {
    const h = await start(1);
    const room = await h.sfu.room(CAMERA, TENANT);
    const statuses: string[] = [];
    room.on("status", (status) => statuses.push(`${status}:${room.error ?? ""}`));
    room.setSourceError("Connection refused");
    room.setSourceError("Connection refused"); // the same reason again is no news
    room.setSourceError("401 Unauthorized");
    expect(statuses).toEqual(["error:Connection refused", "error:401 Unauthorized"]);
    expect(await h.sfu.liveState(CAMERA)).toMatchObject({ status: "error", error: "401 Unauthorized" });
    room.setSourceError(null);
    expect(statuses.at(-1)).toBe("offline:");
    expect(await h.sfu.liveState(CAMERA)).toMatchObject({ status: "offline", error: null });
  });
});
