// The one owner of mediasoup Workers (STYLE: mediasoup-demo lessons). N worker processes (one per core, capped by
// SFU_WORKERS); a worker that dies is replaced (rate limited) and "workerdied" tells the owners of routers on it
// (CameraRooms) to close, so their peers reconnect onto a live worker.
import { EventEmitter } from "node:events";
import os from "node:os";
import * as mediasoup from "mediasoup";
import type { types } from "mediasoup";
import type { Logger } from "../logger.server";
import { resolveMediasoupWorkerBin } from "./mediasoup-worker-bin.server";

export interface MediasoupServiceOptions {
  workers: number;
  logger: Logger;
  workerBin?: string;
  /** Restarts allowed per slot within restartWindowMs before the slot waits a full window. */
  maxRestarts?: number;
  restartWindowMs?: number;
}

interface Slot {
  index: number;
  worker: types.Worker | null;
  restarts: number[];
  routers: number;
}

export interface MediasoupServiceEvents {
  workerdied: [worker: types.Worker, index: number];
  workerrestarted: [worker: types.Worker, index: number];
  closed: [];
}

export class MediasoupService extends EventEmitter<MediasoupServiceEvents> {
  private readonly slots: Slot[];
  private closedFlag = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly options: Required<Omit<MediasoupServiceOptions, "workerBin">> & { workerBin: string },
  ) {
    super();
    this.slots = Array.from({ length: options.workers }, (_, index) => ({
      index,
      worker: null,
      restarts: [],
      routers: 0,
    }));
  }

  static defaultWorkerCount(configured?: number): number {
    return Math.max(1, Math.min(configured ?? 2, os.availableParallelism()));
  }

  static async create(options: MediasoupServiceOptions): Promise<MediasoupService> {
    const service = new MediasoupService({
      workers: Math.max(1, options.workers),
      logger: options.logger,
      workerBin: options.workerBin ?? resolveMediasoupWorkerBin(),
      maxRestarts: options.maxRestarts ?? 5,
      restartWindowMs: options.restartWindowMs ?? 60_000,
    });
    try {
      for (const slot of service.slots) await service.spawn(slot);
    } catch (error) {
      service.close();
      throw error;
    }
    return service;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Live workers (dead slots waiting for a restart are left out). */
  get workers(): types.Worker[] {
    return this.slots.flatMap((s) => (s.worker && !s.worker.closed ? [s.worker] : []));
  }

  /** A router on the live worker with the fewest routers. */
  async createRouter(options: types.RouterOptions): Promise<types.Router> {
    if (this.closedFlag) throw new Error("mediasoup service is closed");
    const live = this.slots.filter((s) => s.worker && !s.worker.closed);
    if (live.length === 0) throw new Error("no mediasoup worker is running");
    const slot = live.reduce((a, b) => (b.routers < a.routers ? b : a));
    const router = await slot.worker!.createRouter(options);
    slot.routers += 1;
    router.observer.once("close", () => (slot.routers -= 1));
    return router;
  }

  private async spawn(slot: Slot): Promise<void> {
    const worker = await mediasoup.createWorker({
      workerBin: this.options.workerBin,
      logLevel: "warn",
      appData: { slot: slot.index },
    });
    if (this.closedFlag) {
      worker.close();
      return;
    }
    slot.worker = worker;
    slot.routers = 0;
    // mediasoup closes its workers by itself on SIGINT/SIGTERM, ahead of everything the server stops before
    // the SFU; server.ts closes the SFU in its turn (exact reverse of start, issue 12 §3), so take mediasoup's
    // own handler (an untyped public field) off. A parent that dies anyway takes its workers with it.
    const { onSignal } = worker as unknown as { onSignal?: (signal: NodeJS.Signals) => void };
    if (onSignal) for (const signal of ["SIGINT", "SIGTERM"] as const) process.removeListener(signal, onSignal);
    worker.on("died", (error) => {
      this.options.logger.error({ err: error, pid: worker.pid, slot: slot.index }, "mediasoup worker died");
      slot.worker = null;
      this.emit("workerdied", worker, slot.index);
      this.scheduleRestart(slot);
    });
    this.options.logger.info({ pid: worker.pid, slot: slot.index }, "mediasoup worker started");
  }

  private scheduleRestart(slot: Slot): void {
    if (this.closedFlag) return;
    const now = Date.now();
    slot.restarts = slot.restarts.filter((t) => now - t < this.options.restartWindowMs);
    const delay = slot.restarts.length >= this.options.maxRestarts ? this.options.restartWindowMs : 250;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.closedFlag) return;
      slot.restarts.push(Date.now());
      this.spawn(slot).then(
        () => slot.worker && this.emit("workerrestarted", slot.worker, slot.index),
        (error) => {
          this.options.logger.error({ err: error, slot: slot.index }, "mediasoup worker restart failed");
          this.scheduleRestart(slot);
        },
      );
    }, delay);
    this.timers.add(timer);
  }

  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const slot of this.slots) {
      slot.worker?.close();
      slot.worker = null;
    }
    this.emit("closed");
  }
}
