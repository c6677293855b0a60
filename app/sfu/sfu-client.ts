// Browser side of the SFU signalling (SPEC C2, C3): a Publisher (one camera track -> the camera's router) and a
// Viewer (the camera's producer -> a MediaStream), both over the /sfu socket.io namespace with mediasoup-client.
// Both survive network loss, server restarts and mediasoup worker restarts: any failure tears the session down and
// sets it up again after a backoff (the camera track itself is kept).
import { Device } from "mediasoup-client";
import type { types } from "mediasoup-client";
import { io, type Socket } from "socket.io-client";
import type { Ack } from "../../protocol/common";
import type { SfuNotification, SfuRequest, SfuResponses, SfuServerToClientEvents } from "../../protocol/sfu";

export type LinkStatus = "idle" | "connecting" | "live" | "offline" | "reconnecting" | "error";

type Req<M extends SfuRequest["method"]> = Omit<Extract<SfuRequest, { method: M }>, "method">;

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000];

abstract class SfuLink {
  protected socket: Socket<SfuServerToClientEvents> | null = null;
  protected device: Device | null = null;
  protected transport: types.Transport | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private sessionId = 0;

  constructor(
    protected readonly cameraId: string,
    private readonly mode: "publish" | "watch",
    private readonly onStatus: (status: LinkStatus, detail?: string) => void,
    private readonly publishToken?: string,
  ) {}

  start(): void {
    this.stopped = false;
    this.onStatus("connecting");
    const socket: Socket<SfuServerToClientEvents> = io("/sfu", {
      auth: { cameraId: this.cameraId, mode: this.mode, publishToken: this.publishToken },
      transports: ["websocket", "polling"],
      withCredentials: true,
      reconnection: false, // our own backoff covers every case (including middleware rejections)
    });
    this.socket = socket;
    socket.on("connect", () => {
      const session = ++this.sessionId;
      this.setUp(session).then(
        () => (this.attempt = 0),
        (error: unknown) => this.fail(session, error),
      );
    });
    socket.on("notification", (n) => this.onNotification(n));
    socket.on("disconnect", () => this.retry("disconnected"));
    socket.on("connect_error", (error) => this.retry(error.message));
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.tearDown();
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.onStatus("idle");
  }

  /** Stops for good with an error status (no more retries). */
  protected halt(detail: string): void {
    this.stop();
    this.onStatus("error", detail);
  }

  protected status(status: LinkStatus, detail?: string): void {
    if (!this.stopped) this.onStatus(status, detail);
  }

  protected async request<M extends SfuRequest["method"]>(method: M, data: Req<M>): Promise<SfuResponses[M]> {
    const socket = this.socket;
    if (!socket) throw new Error("not connected");
    const ack = (await (socket as unknown as Socket)
      .timeout(15_000)
      .emitWithAck("request", { method, ...data })) as Ack<SfuResponses[M]>;
    if (!ack.ok) throw new Error(`${method}: ${ack.error.message}`);
    return ack.data;
  }

  protected async loadDevice(): Promise<SfuResponses["getRouterRtpCapabilities"]> {
    const caps = await this.request("getRouterRtpCapabilities", {});
    const device = new Device();
    await device.load({ routerRtpCapabilities: caps.rtpCapabilities as types.RtpCapabilities });
    this.device = device;
    return caps;
  }

  /** Wires a transport's connect event and drops the session when ICE/DTLS fails for good. */
  protected watchTransport(transport: types.Transport, session: number): void {
    transport.on("connect", ({ dtlsParameters }, callback, errback) => {
      this.request("connectTransport", { transportId: transport.id, dtlsParameters: dtlsParameters as never }).then(
        () => callback(),
        errback,
      );
    });
    let lostTimer: ReturnType<typeof setTimeout> | null = null;
    transport.on("connectionstatechange", (state) => {
      if (lostTimer) clearTimeout(lostTimer);
      lostTimer = null;
      if (state === "failed" || state === "closed") this.fail(session, new Error(`transport ${state}`));
      else if (state === "disconnected")
        lostTimer = setTimeout(() => this.fail(session, new Error("transport disconnected")), 4000);
    });
  }

  protected abstract setUp(session: number): Promise<void>;
  protected abstract onNotification(notification: SfuNotification): void;

  protected tearDown(): void {
    this.transport?.close();
    this.transport = null;
  }

  protected current(session: number): boolean {
    return !this.stopped && session === this.sessionId;
  }

  private fail(session: number, error: unknown): void {
    if (!this.current(session)) return;
    this.sessionId++; // invalidate the failed session's callbacks
    const message = error instanceof Error ? error.message : String(error);
    // A fresh socket re-authenticates and joins the (possibly new) router.
    this.socket?.disconnect();
    this.retry(message);
  }

  private retry(reason: string): void {
    if (this.stopped || this.retryTimer) return;
    this.tearDown();
    const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)]!;
    this.attempt += 1;
    this.status(
      this.attempt > 6 && /unknown camera|role|forbidden|token/i.test(reason) ? "error" : "reconnecting",
      reason,
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.stopped) return;
      this.socket?.disconnect();
      this.socket?.connect();
    }, delay);
  }
}

/** Publishes one video track for a browser camera (C2). */
export class Publisher extends SfuLink {
  private producer: types.Producer | null = null;

  constructor(
    cameraId: string,
    private readonly track: MediaStreamTrack,
    onStatus: (status: LinkStatus, detail?: string) => void,
    publishToken?: string,
  ) {
    super(cameraId, "publish", onStatus, publishToken);
  }

  protected async setUp(session: number): Promise<void> {
    this.status("connecting");
    await this.loadDevice();
    const info = await this.request("createTransport", { direction: "send" });
    if (!this.current(session)) return;
    const transport = this.device!.createSendTransport({
      id: info.id,
      iceParameters: info.iceParameters as types.IceParameters,
      iceCandidates: info.iceCandidates as types.IceCandidate[],
      dtlsParameters: info.dtlsParameters as types.DtlsParameters,
    });
    this.transport = transport;
    this.watchTransport(transport, session);
    transport.on("produce", ({ kind, rtpParameters }, callback, errback) => {
      this.request("produce", {
        transportId: transport.id,
        kind: kind as "video",
        rtpParameters: rtpParameters as never,
      }).then(({ id }) => callback({ id }), errback);
    });
    transport.on("connectionstatechange", (state) => {
      if (state === "connected" && this.current(session)) this.status("live");
    });
    const codec = this.device!.rtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === "video/vp8");
    this.producer = await transport.produce({ track: this.track, codec, stopTracks: false });
  }

  protected onNotification(notification: SfuNotification): void {
    // Another browser now publishes this camera: stop here rather than fight over it.
    if (notification.method === "replaced") this.halt("Another browser took over publishing this camera");
  }

  protected override tearDown(): void {
    this.producer?.close();
    this.producer = null;
    super.tearDown();
  }
}

/** Receives a camera's video (C3). onTrack gets a fresh MediaStream per consumer, null when the camera is off. */
export class Viewer extends SfuLink {
  private consumer: types.Consumer | null = null;
  private session = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    cameraId: string,
    private readonly onTrack: (stream: MediaStream | null) => void,
    onStatus: (status: LinkStatus, detail?: string) => void,
  ) {
    super(cameraId, "watch", onStatus);
  }

  protected async setUp(session: number): Promise<void> {
    this.session = session;
    this.status("connecting");
    await this.loadDevice();
    const info = await this.request("createTransport", { direction: "recv" });
    if (!this.current(session)) return;
    const transport = this.device!.createRecvTransport({
      id: info.id,
      iceParameters: info.iceParameters as types.IceParameters,
      iceCandidates: info.iceCandidates as types.IceCandidate[],
      dtlsParameters: info.dtlsParameters as types.DtlsParameters,
    });
    this.transport = transport;
    this.watchTransport(transport, session);
    await this.consume(session);
  }

  private consume(session: number): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (!this.current(session) || !this.transport || !this.device) return;
      const info = await this.request("consume", {
        transportId: this.transport.id,
        rtpCapabilities: this.device.rtpCapabilities as never,
      });
      if (!this.current(session) || !this.transport) return;
      this.consumer?.close();
      this.consumer = null;
      if (!info) {
        this.onTrack(null);
        this.status("offline");
        return;
      }
      const consumer = await this.transport.consume({
        id: info.id,
        producerId: info.producerId,
        kind: info.kind,
        rtpParameters: info.rtpParameters as types.RtpParameters,
      });
      this.consumer = consumer;
      this.onTrack(new MediaStream([consumer.track]));
      await this.request("resumeConsumer", { consumerId: consumer.id });
      if (this.current(session)) this.status("live");
    });
    return this.chain.catch(() => undefined);
  }

  protected onNotification(notification: SfuNotification): void {
    switch (notification.method) {
      case "producerAdded":
        void this.consume(this.session);
        break;
      case "consumerClosed":
      case "producerClosed":
        if (notification.method === "consumerClosed" && this.consumer?.id !== notification.consumerId) break;
        this.consumer?.close();
        this.consumer = null;
        this.onTrack(null);
        this.status("offline");
        break;
      default:
        break;
    }
  }

  protected override tearDown(): void {
    this.consumer?.close();
    this.consumer = null;
    super.tearDown();
  }
}
