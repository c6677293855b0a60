// One Peer per signalling socket (STYLE): it owns its WebRTC transports and, through them, its producers and
// consumers. close() is idempotent and closes everything it owns, so a vanished client leaks nothing.
import { EventEmitter } from "node:events";
import type { types } from "mediasoup";
import type { SfuNotification } from "../../protocol/sfu";

export type PeerMode = "publish" | "watch";

export interface PeerInit {
  id: string;
  cameraId: string;
  mode: PeerMode;
  /** Null for a kiosk publishing with a publish token. */
  userId: string | null;
  notify: (notification: SfuNotification) => void;
}

export class Peer extends EventEmitter<{ closed: [] }> {
  readonly id: string;
  readonly cameraId: string;
  readonly mode: PeerMode;
  readonly userId: string | null;
  readonly transports = new Map<string, types.WebRtcTransport>();
  readonly producers = new Map<string, types.Producer>();
  readonly consumers = new Map<string, types.Consumer>();
  private readonly notifyFn: PeerInit["notify"];
  private closedFlag = false;

  private constructor(init: PeerInit) {
    super();
    this.id = init.id;
    this.cameraId = init.cameraId;
    this.mode = init.mode;
    this.userId = init.userId;
    this.notifyFn = init.notify;
  }

  static async create(init: PeerInit): Promise<Peer> {
    return new Peer(init);
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  notify(notification: SfuNotification): void {
    if (!this.closedFlag) this.notifyFn(notification);
  }

  addTransport(transport: types.WebRtcTransport): void {
    this.transports.set(transport.id, transport);
    transport.observer.once("close", () => this.transports.delete(transport.id));
  }

  addProducer(producer: types.Producer): void {
    this.producers.set(producer.id, producer);
    producer.observer.once("close", () => this.producers.delete(producer.id));
  }

  addConsumer(consumer: types.Consumer): void {
    this.consumers.set(consumer.id, consumer);
    consumer.observer.once("close", () => this.consumers.delete(consumer.id));
  }

  transport(transportId: string): types.WebRtcTransport | undefined {
    return this.transports.get(transportId);
  }

  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    // Closing a transport closes its producers and consumers.
    for (const transport of [...this.transports.values()]) transport.close();
    this.emit("closed");
  }
}
