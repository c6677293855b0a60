// One CameraRoom per camera (STYLE): it owns the camera's mediasoup Router, its one producer (a new publish
// replaces the old one) and the peers publishing or watching it. The producer comes from a browser Peer (C2) or
// from a server-side ingest with no Peer (RTSP, C1); workers' consumers of it (C4) close with it. When its router goes away (the mediasoup worker died) the room closes and tells every peer to
// reconnect. close() is idempotent and emits "closed".
import { EventEmitter } from "node:events";
import type { types } from "mediasoup";
import type { CameraLiveStatus, ConsumerInfo, TransportInfo } from "../../protocol/sfu";
import type { MediasoupService } from "./mediasoup-service.server";
import type { Peer } from "./peer.server";

export const ROUTER_MEDIA_CODECS: types.RouterRtpCodecCapability[] = [
  { kind: "audio", mimeType: "audio/opus", clockRate: 48000, channels: 2 },
  { kind: "video", mimeType: "video/VP8", clockRate: 90000, parameters: { "x-google-start-bitrate": 1000 } },
];

export interface RtcOptions {
  listenIp: string;
  announcedAddress?: string;
  minPort: number;
  maxPort: number;
}

export class SfuError extends Error {
  constructor(
    readonly code: "bad_request" | "forbidden" | "not_found" | "conflict",
    message: string,
  ) {
    super(message);
    this.name = "SfuError";
  }
}

export interface CameraRoomEvents {
  status: [status: CameraLiveStatus];
  closed: [reason: string];
}

export class CameraRoom extends EventEmitter<CameraRoomEvents> {
  readonly peers = new Set<Peer>();
  /** owner is null for a server-side ingest (RTSP). */
  private current: { owner: Peer | null; producer: types.Producer } | null = null;
  /** Set by a server-side ingest whose source fails (RTSP); cleared when it produces again. */
  private sourceError: string | null = null;
  private closedFlag = false;

  private constructor(
    readonly cameraId: string,
    readonly tenantId: string,
    readonly router: types.Router,
    private readonly rtc: RtcOptions,
  ) {
    super();
    router.observer.once("close", () => this.close("router closed"));
  }

  static async create(
    service: MediasoupService,
    cameraId: string,
    tenantId: string,
    rtc: RtcOptions,
  ): Promise<CameraRoom> {
    const router = await service.createRouter({ mediaCodecs: ROUTER_MEDIA_CODECS, appData: { cameraId } });
    return new CameraRoom(cameraId, tenantId, router, rtc);
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  get status(): CameraLiveStatus {
    if (this.current && !this.current.producer.closed) return "live";
    return this.sourceError ? "error" : "offline";
  }

  get error(): string | null {
    return this.status === "error" ? this.sourceError : null;
  }

  get producer(): types.Producer | null {
    return this.current?.producer ?? null;
  }

  join(peer: Peer): void {
    if (this.closedFlag) throw new SfuError("conflict", "camera room is closed");
    this.peers.add(peer);
    peer.once("closed", () => {
      this.peers.delete(peer);
    });
  }

  async createTransport(peer: Peer, direction: "send" | "recv"): Promise<TransportInfo> {
    this.assertMember(peer);
    if ((direction === "send") !== (peer.mode === "publish"))
      throw new SfuError("forbidden", `a ${peer.mode} peer cannot open a ${direction} transport`);
    if (peer.transports.size >= 2) throw new SfuError("conflict", "too many transports for this peer");
    const portRange = { min: this.rtc.minPort, max: this.rtc.maxPort };
    const listen = { ip: this.rtc.listenIp, announcedAddress: this.rtc.announcedAddress, portRange };
    const transport = await this.router.createWebRtcTransport({
      listenInfos: [
        { protocol: "udp", ...listen },
        { protocol: "tcp", ...listen },
      ],
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: 1_000_000,
      appData: { peerId: peer.id, direction },
    });
    if (peer.closed) {
      transport.close();
      throw new SfuError("conflict", "peer closed");
    }
    peer.addTransport(transport);
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  async connectTransport(peer: Peer, transportId: string, dtlsParameters: unknown): Promise<void> {
    await this.transportOf(peer, transportId).connect({ dtlsParameters: dtlsParameters as types.DtlsParameters });
  }

  closeTransport(peer: Peer, transportId: string): void {
    this.transportOf(peer, transportId).close();
  }

  /** A new publish replaces the old one: the previous publisher is told and its producer closed. */
  async produce(peer: Peer, transportId: string, rtpParameters: unknown): Promise<string> {
    if (peer.mode !== "publish") throw new SfuError("forbidden", "only publishers produce");
    const transport = this.transportOf(peer, transportId);
    const producer = await transport.produce({
      kind: "video",
      rtpParameters: rtpParameters as types.RtpParameters,
      appData: { peerId: peer.id },
    });
    if (peer.closed || this.closedFlag) {
      producer.close();
      throw new SfuError("conflict", "closed while producing");
    }
    peer.addProducer(producer);
    this.attachProducer(producer, peer);
    return producer.id;
  }

  /**
   * Makes `producer` the camera's stream (replacing the previous one, whose owner is told). A server-side ingest
   * passes owner null. Closing the producer takes the camera offline.
   */
  attachProducer(producer: types.Producer, owner: Peer | null): void {
    if (this.closedFlag) {
      producer.close();
      throw new SfuError("conflict", "camera room is closed");
    }
    const previous = this.current;
    this.current = { owner, producer };
    this.sourceError = null;
    if (previous && !previous.producer.closed) {
      if (previous.owner && previous.owner !== owner) previous.owner.notify({ method: "replaced" });
      previous.producer.close();
      this.broadcast({ method: "producerClosed", producerId: previous.producer.id });
    }
    producer.observer.once("close", () => {
      if (this.current?.producer !== producer) return;
      this.current = null;
      this.broadcast({ method: "producerClosed", producerId: producer.id });
      this.statusChanged();
    });
    this.broadcast({ method: "producerAdded", producerId: producer.id });
    this.statusChanged();
  }

  /** A server-side ingest reports its source failing (error) or recovering (null) while it has no producer. */
  setSourceError(message: string | null): void {
    if (this.closedFlag || this.sourceError === message) return;
    const before = this.status;
    this.sourceError = message;
    // A new reason while still failing is news too (e.g. "connection refused" becomes "401 Unauthorized").
    if (this.status !== before || this.status === "error") this.statusChanged();
  }

  /** A paused consumer of the current producer (the client resumes it when ready), or null when offline. */
  async consume(peer: Peer, transportId: string, rtpCapabilities: unknown): Promise<ConsumerInfo | null> {
    if (peer.mode !== "watch") throw new SfuError("forbidden", "only watchers consume");
    const transport = this.transportOf(peer, transportId);
    const producer = this.producer;
    if (!producer || producer.closed) return null;
    const caps = rtpCapabilities as types.RtpCapabilities;
    if (!this.router.canConsume({ producerId: producer.id, rtpCapabilities: caps }))
      throw new SfuError("bad_request", "these RTP capabilities cannot consume this camera");
    for (const old of [...peer.consumers.values()]) old.close(); // one consumer per watcher
    const consumer = await transport.consume({ producerId: producer.id, rtpCapabilities: caps, paused: true });
    if (peer.closed) {
      consumer.close();
      throw new SfuError("conflict", "peer closed");
    }
    peer.addConsumer(consumer);
    consumer.on("producerclose", () => {
      consumer.close();
      peer.notify({ method: "consumerClosed", consumerId: consumer.id });
    });
    consumer.on("transportclose", () => consumer.close());
    return { id: consumer.id, producerId: producer.id, kind: consumer.kind, rtpParameters: consumer.rtpParameters };
  }

  async resumeConsumer(peer: Peer, consumerId: string): Promise<void> {
    const consumer = peer.consumers.get(consumerId);
    if (!consumer) throw new SfuError("not_found", "unknown consumer");
    await consumer.resume();
    await consumer.requestKeyFrame();
  }

  private transportOf(peer: Peer, transportId: string): types.WebRtcTransport {
    this.assertMember(peer);
    const transport = peer.transport(transportId);
    if (!transport) throw new SfuError("not_found", "unknown transport");
    return transport;
  }

  private assertMember(peer: Peer): void {
    if (this.closedFlag || !this.peers.has(peer)) throw new SfuError("conflict", "not in this camera room");
  }

  private broadcast(notification: Parameters<Peer["notify"]>[0]): void {
    for (const peer of this.peers) peer.notify(notification);
  }

  private statusChanged(): void {
    if (this.closedFlag) return;
    const status = this.status;
    this.broadcast({ method: "cameraStatus", cameraId: this.cameraId, status });
    this.emit("status", status);
  }

  /** Closes the router (and with it every transport on it); peers are told to reconnect. */
  close(reason = "closed"): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    const before = this.status;
    this.current = null;
    this.sourceError = null;
    for (const peer of this.peers) {
      peer.notify({ method: "reconnect", reason });
      peer.close();
    }
    this.peers.clear();
    if (!this.router.closed) this.router.close();
    if (before !== "offline") this.emit("status", "offline");
    this.emit("closed", reason);
  }
}
