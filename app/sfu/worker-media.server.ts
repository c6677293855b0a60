// Workers pull the streams assigned to them (SPEC C4, ADR 0009). For each (worker, camera) the bridge owns one
// mediasoup PlainTransport on the camera's router that sends plain RTP to the worker's UDP port, and one paused
// consumer on it. The worker resumes the consumer once its decoder listens (which also asks the source for a key
// frame) and asks for more key frames while it waits for a picture. When the camera's producer goes away the
// consumer closes and the worker is told (v1:media-closed) so it subscribes again. A worker that disconnects,
// unsubscribes or loses the assignment leaves nothing open here.
import type { types } from "mediasoup";
import { fail, ok, type Ack, type MediaSubscribeMessage, type MediaSubscribeReply } from "../../protocol";
import type { Logger } from "../logger.server";
import type { CameraRoom, RtcOptions } from "./camera-room.server";

/** Who is asking: the authenticated worker connection (from the /workers namespace adapter). */
export interface WorkerMediaClient {
  socketId: string;
  workerId: string;
  tenantId: string;
  /** The address the worker connected from: RTP goes there. */
  address: string;
  notifyClosed(cameraId: string, reason: string): void;
  /** False once the connection is gone (a subscribe that finishes after that is undone). */
  isConnected(): boolean;
}

interface Subscription {
  key: string;
  cameraId: string;
  client: WorkerMediaClient;
  transport: types.PlainTransport;
  consumer: types.Consumer;
}

export interface WorkerMediaOptions {
  rtc: RtcOptions;
  logger: Logger;
  /** The camera's room (created on first use); rejects for a closed SFU. */
  room(cameraId: string, tenantId: string): Promise<CameraRoom>;
  /** True when the camera is assigned (pending or active) to this worker in this tenant (W6, C4). */
  isAssigned(workerId: string, cameraId: string, tenantId: string): boolean;
}

/** Strips the IPv4-mapped prefix socket.io reports for IPv4 peers on a dual-stack socket. */
export function mediaAddress(address: string): string {
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

export class WorkerMediaBridge {
  private readonly subscriptions = new Map<string, Subscription>();
  private closedFlag = false;

  constructor(private readonly options: WorkerMediaOptions) {}

  get size(): number {
    return this.subscriptions.size;
  }

  async subscribe(client: WorkerMediaClient, message: MediaSubscribeMessage): Promise<Ack<MediaSubscribeReply>> {
    if (this.closedFlag) return fail("unavailable", "The server is shutting down");
    const { cameraId, rtpPort } = message;
    if (!this.options.isAssigned(client.workerId, cameraId, client.tenantId))
      return fail("forbidden", "This camera is not assigned to this worker");
    const key = `${client.workerId}:${cameraId}`;
    this.drop(key, null); // a re-subscribe replaces the previous consumer (new decoder, new port)
    let room: CameraRoom;
    try {
      room = await this.options.room(cameraId, client.tenantId);
    } catch (error) {
      return fail("unavailable", `No live video service for this camera: ${(error as Error).message}`);
    }
    const producer = room.producer;
    if (!producer || producer.closed)
      return fail("unavailable", room.error ? `Camera source failing: ${room.error}` : "The camera is not streaming");
    const { listenIp, minPort, maxPort } = this.options.rtc;
    const transport = await room.router.createPlainTransport({
      listenInfo: { protocol: "udp", ip: listenIp, portRange: { min: minPort, max: maxPort } },
      rtcpMux: true,
      comedia: false,
      appData: { workerId: client.workerId, cameraId },
    });
    try {
      await transport.connect({ ip: mediaAddress(client.address), port: rtpPort });
      // Only the video codec, no RTX and no header extensions: the worker's decoder reads one plain RTP stream.
      const codecs = room.router.rtpCapabilities.codecs!.filter(
        (c) => c.kind === "video" && !c.mimeType.toLowerCase().endsWith("/rtx"),
      );
      const consumer = await transport.consume({
        producerId: producer.id,
        rtpCapabilities: { codecs, headerExtensions: [] },
        paused: true,
      });
      const codec = consumer.rtpParameters.codecs[0]!;
      const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
      if (ssrc === undefined) throw new Error("consumer has no SSRC");
      if (this.closedFlag || !client.isConnected()) throw new Error("closed while subscribing");
      const subscription: Subscription = { key, cameraId, client, transport, consumer };
      this.subscriptions.set(key, subscription);
      consumer.on("producerclose", () => this.drop(key, "the camera's stream ended"));
      consumer.on("transportclose", () => this.drop(key, "the camera's media router closed"));
      this.options.logger.info(
        { workerId: client.workerId, cameraId, ip: mediaAddress(client.address), rtpPort, consumerId: consumer.id },
        "worker media consumer created",
      );
      return ok({
        consumerId: consumer.id,
        codec: {
          mimeType: codec.mimeType,
          payloadType: codec.payloadType,
          clockRate: codec.clockRate,
          parameters: (codec.parameters ?? {}) as Record<string, string | number>,
        },
        ssrc,
      });
    } catch (error) {
      transport.close();
      throw error;
    }
  }

  async resume(client: WorkerMediaClient, cameraId: string): Promise<Ack<Record<string, never>>> {
    const subscription = this.find(client, cameraId);
    if (!subscription) return fail("not_found", "No media subscription for this camera: subscribe first");
    await subscription.consumer.resume();
    await subscription.consumer.requestKeyFrame();
    return ok({});
  }

  async keyFrame(client: WorkerMediaClient, cameraId: string): Promise<Ack<Record<string, never>>> {
    const subscription = this.find(client, cameraId);
    if (!subscription) return fail("not_found", "No media subscription for this camera: subscribe first");
    await subscription.consumer.requestKeyFrame();
    return ok({});
  }

  unsubscribe(client: WorkerMediaClient, cameraId: string): Ack<{ closed: boolean }> {
    const subscription = this.find(client, cameraId);
    if (subscription) this.drop(subscription.key, null);
    return ok({ closed: Boolean(subscription) });
  }

  /** The worker's connection went away: everything it pulled is closed. */
  dropSocket(socketId: string): number {
    let closed = 0;
    for (const s of [...this.subscriptions.values()]) {
      if (s.client.socketId !== socketId) continue;
      this.drop(s.key, null);
      closed += 1;
    }
    return closed;
  }

  /** The camera is no longer assigned to the worker (released, moved, failed over): its consumer goes. */
  closeFor(workerId: string, cameraId: string, reason: string): void {
    this.drop(`${workerId}:${cameraId}`, reason);
  }

  /** Subscriptions per camera (tests, metrics). */
  countFor(cameraId: string): number {
    let n = 0;
    for (const s of this.subscriptions.values()) if (s.cameraId === cameraId) n += 1;
    return n;
  }

  /** Idempotent: every consumer closed, no new ones. */
  close(): void {
    this.closedFlag = true;
    for (const key of [...this.subscriptions.keys()]) this.drop(key, null);
  }

  /** Closes one subscription; with a reason the worker is told (v1:media-closed) and subscribes again. */
  private drop(key: string, reason: string | null): void {
    const subscription = this.subscriptions.get(key);
    if (!subscription) return;
    this.subscriptions.delete(key);
    subscription.transport.close(); // closes the consumer with it
    if (reason) {
      this.options.logger.info(
        { workerId: subscription.client.workerId, cameraId: subscription.cameraId, reason },
        "worker media consumer closed",
      );
      subscription.client.notifyClosed(subscription.cameraId, reason);
    }
  }

  private find(client: WorkerMediaClient, cameraId: string): Subscription | undefined {
    const subscription = this.subscriptions.get(`${client.workerId}:${cameraId}`);
    return subscription && subscription.client.socketId === client.socketId ? subscription : undefined;
  }
}
