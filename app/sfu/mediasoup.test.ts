import dgram from "node:dgram";
import { once } from "node:events";
import * as mediasoup from "mediasoup";
import type { types } from "mediasoup";
import { describe, expect, it } from "vitest";
import { processAlive, waitFor } from "../../tests/support/processes";
import { installedMediasoupVersion, resolveMediasoupWorkerBin } from "./mediasoup-worker-bin.server";

// Smoke test of the offline-built mediasoup worker (ADR 0006): a real worker process, router, WebRTC and plain
// transports, real VP8 RTP packets in and out, SRTP both ways (the libsrtp3-over-libsrtp2 shim), clean close.
// Fails, naming scripts/mediasoup/build-worker.sh, when the binary has not been built (`npm test` builds it).

const mediaCodecs: types.RouterRtpCodecCapability[] = [
  { kind: "audio", mimeType: "audio/opus", clockRate: 48000, channels: 2 },
  { kind: "video", mimeType: "video/VP8", clockRate: 90000 },
  {
    kind: "video",
    mimeType: "video/H264",
    clockRate: 90000,
    parameters: { "packetization-mode": 1, "profile-level-id": "42e01f", "level-asymmetry-allowed": 1 },
  },
];

const SSRC = 0x11223344;
const PAYLOAD_TYPE = 101;

/** One RTP packet carrying a (tiny, fake-content) VP8 key frame: descriptor S=1, key frame tag, 640x480. */
function vp8KeyFrameRtp(seq: number, timestamp: number): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80; // V=2
  header[1] = 0x80 | PAYLOAD_TYPE; // marker + PT
  header.writeUInt16BE(seq & 0xffff, 2);
  header.writeUInt32BE(timestamp >>> 0, 4);
  header.writeUInt32BE(SSRC, 8);
  const payload = Buffer.alloc(60, 0x5a);
  payload[0] = 0x10; // VP8 payload descriptor: S=1, PID=0
  const partitionSize = 40;
  // Frame tag: key frame (bit 0 = 0), version 0, show_frame 1, first partition size.
  const tag = (partitionSize << 5) | (1 << 4);
  payload[1] = tag & 0xff;
  payload[2] = (tag >> 8) & 0xff;
  payload[3] = (tag >> 16) & 0xff;
  payload.set([0x9d, 0x01, 0x2a], 4); // start code
  payload.writeUInt16LE(640, 7);
  payload.writeUInt16LE(480, 9);
  return Buffer.concat([header, payload]);
}

async function udpReceiver(): Promise<{ socket: dgram.Socket; port: number; packets: Buffer[] }> {
  const socket = dgram.createSocket("udp4");
  const packets: Buffer[] = [];
  socket.on("message", (msg) => packets.push(msg));
  socket.bind(0, "127.0.0.1");
  await once(socket, "listening");
  return { socket, port: socket.address().port, packets };
}

describe("mediasoup worker (offline build, O1)", () => {
  it("routes VP8 RTP through plain and SRTP transports and closes cleanly", async () => {
    // Throws with "run: sh scripts/mediasoup/build-worker.sh" when the binary is missing.
    const workerBin = resolveMediasoupWorkerBin();
    expect(mediasoup.version).toBe(installedMediasoupVersion());

    const worker = await mediasoup.createWorker({ workerBin, logLevel: "warn" });
    const pid = worker.pid;
    expect(processAlive(pid)).toBe(true);
    const died: Error[] = [];
    worker.on("died", (error) => died.push(error));
    const sockets: dgram.Socket[] = [];

    try {
      const usage = await worker.getResourceUsage();
      expect(usage.ru_maxrss).toBeGreaterThan(0);

      const router = await worker.createRouter({ mediaCodecs });
      const mimeTypes = router.rtpCapabilities.codecs!.map((c) => c.mimeType);
      expect(mimeTypes).toEqual(expect.arrayContaining(["audio/opus", "video/VP8", "video/H264"]));

      const closedTransports: string[] = [];
      router.observer.on("newtransport", (t) => t.observer.once("close", () => closedTransports.push(t.id)));

      // WebRTC transport on loopback, UDP + TCP (no peer here: ICE/DTLS are not exercised by this test).
      const webRtc = await router.createWebRtcTransport({
        listenInfos: [
          { protocol: "udp", ip: "127.0.0.1" },
          { protocol: "tcp", ip: "127.0.0.1" },
        ],
      });
      expect(webRtc.iceCandidates.map((c) => c.protocol).sort()).toEqual(["tcp", "udp"]);
      expect(webRtc.iceCandidates.every((c) => c.address === "127.0.0.1" && c.port > 0)).toBe(true);
      expect(webRtc.dtlsParameters.fingerprints.length).toBeGreaterThan(0);
      expect(webRtc.iceParameters.usernameFragment).toBeTruthy();

      // Ingest: plain RTP in (comedia: the worker learns our address from the first packet).
      const ingest = await router.createPlainTransport({
        listenInfo: { protocol: "udp", ip: "127.0.0.1" },
        rtcpMux: true,
        comedia: true,
      });
      const producer = await ingest.produce({
        kind: "video",
        rtpParameters: {
          codecs: [{ mimeType: "video/VP8", payloadType: PAYLOAD_TYPE, clockRate: 90000 }],
          encodings: [{ ssrc: SSRC }],
        },
      });

      // Consumer 1: a WebRTC consumer (created only; it has no connected peer).
      const rtpCapabilities = router.rtpCapabilities;
      expect(router.canConsume({ producerId: producer.id, rtpCapabilities })).toBe(true);
      const webRtcConsumer = await webRtc.consume({ producerId: producer.id, rtpCapabilities });
      expect(webRtcConsumer.kind).toBe("video");

      // Consumer 2: plain RTP out to a UDP socket here.
      const direct = await udpReceiver();
      sockets.push(direct.socket);
      const plainOut = await router.createPlainTransport({
        listenInfo: { protocol: "udp", ip: "127.0.0.1" },
        rtcpMux: true,
        comedia: false,
      });
      await plainOut.connect({ ip: "127.0.0.1", port: direct.port });
      const directConsumer = await plainOut.consume({ producerId: producer.id, rtpCapabilities });

      // Consumer 3: through SRTP: encrypt on one plain transport, decrypt on another, re-produce, send out plain.
      const srtpA = await router.createPlainTransport({
        listenInfo: { protocol: "udp", ip: "127.0.0.1" },
        rtcpMux: true,
        enableSrtp: true,
      });
      const srtpB = await router.createPlainTransport({
        listenInfo: { protocol: "udp", ip: "127.0.0.1" },
        rtcpMux: true,
        enableSrtp: true,
      });
      await srtpA.connect({ ip: "127.0.0.1", port: srtpB.tuple.localPort, srtpParameters: srtpB.srtpParameters });
      await srtpB.connect({ ip: "127.0.0.1", port: srtpA.tuple.localPort, srtpParameters: srtpA.srtpParameters });
      const srtpConsumer = await srtpA.consume({ producerId: producer.id, rtpCapabilities });
      const reproduced = await srtpB.produce({ kind: "video", rtpParameters: srtpConsumer.rtpParameters });
      const viaSrtp = await udpReceiver();
      sockets.push(viaSrtp.socket);
      const plainOut2 = await router.createPlainTransport({
        listenInfo: { protocol: "udp", ip: "127.0.0.1" },
        rtcpMux: true,
        comedia: false,
      });
      await plainOut2.connect({ ip: "127.0.0.1", port: viaSrtp.port });
      const viaSrtpConsumer = await plainOut2.consume({ producerId: reproduced.id, rtpCapabilities });

      // Send real RTP packets (VP8 key frames) into the ingest transport.
      const sender = dgram.createSocket("udp4");
      sockets.push(sender);
      let seq = 1000;
      const timer = setInterval(() => {
        seq += 1;
        sender.send(vp8KeyFrameRtp(seq, seq * 3000), ingest.tuple.localPort, "127.0.0.1");
      }, 20);
      // Media packets of a consumer (the worker also sends bandwidth-probation padding, PT 127, SSRC 1234).
      const mediaOf = (packets: Buffer[], consumer: types.Consumer) =>
        packets.filter((p) => p.length >= 12 && p.readUInt32BE(8) === consumer.rtpParameters.encodings![0]!.ssrc);
      try {
        await waitFor(
          () =>
            mediaOf(direct.packets, directConsumer).length >= 5 &&
            mediaOf(viaSrtp.packets, viaSrtpConsumer).length >= 5,
          10_000,
          "RTP out of both consumers",
        );
      } finally {
        clearInterval(timer);
      }

      const checkRtp = (packet: Buffer, consumer: types.Consumer) => {
        expect(packet[0]! >> 6).toBe(2);
        expect(packet[1]! & 0x7f).toBe(consumer.rtpParameters.codecs[0]!.payloadType);
        // The VP8 key frame (start code, 640x480) made it through unchanged.
        const start = packet.indexOf(Buffer.from([0x9d, 0x01, 0x2a]));
        expect(start).toBeGreaterThan(12);
        expect(packet.readUInt16LE(start + 3)).toBe(640);
        expect(packet.readUInt16LE(start + 5)).toBe(480);
      };
      checkRtp(mediaOf(direct.packets, directConsumer).at(-1)!, directConsumer);
      checkRtp(mediaOf(viaSrtp.packets, viaSrtpConsumer).at(-1)!, viaSrtpConsumer);

      const [producerStats] = await producer.getStats();
      expect(producerStats!.packetCount).toBeGreaterThanOrEqual(5);
      expect(producerStats!.mimeType).toBe("video/VP8");
      const srtpInStats = await srtpB.getStats();
      expect(srtpInStats[0]!.rtpBytesReceived).toBeGreaterThan(0);

      // Close every transport; the router must report none left, then close router and worker.
      const transports = [webRtc, ingest, plainOut, srtpA, srtpB, plainOut2];
      for (const transport of transports) transport.close();
      expect(producer.closed && directConsumer.closed && reproduced.closed && viaSrtpConsumer.closed).toBe(true);
      expect(closedTransports.sort()).toEqual(transports.map((t) => t.id).sort());
      const routerDump = await router.dump();
      expect(routerDump.transportIds).toEqual([]);
      expect(routerDump.mapProducerIdConsumerIds).toEqual([]);

      router.close();
      const workerDump = await worker.dump();
      expect(workerDump.routerIds).toEqual([]);
      expect(workerDump.pid).toBe(pid);
    } finally {
      for (const socket of sockets) socket.close();
      const exited = once(worker, "subprocessclose");
      worker.close();
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    }

    expect(worker.closed).toBe(true);
    expect(died).toEqual([]);
    await waitFor(() => !processAlive(pid), 5_000, `worker process ${pid} to exit`);
  });
});
