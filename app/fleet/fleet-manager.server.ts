// The fleet manager (SPEC W1-W11, A3): the ONE owner of live worker state (in memory: workers, links, current
// assignments) and of the parts that act on it: registration (worker lifecycle), placement (where cameras run),
// liveness (OFFLINE detection, failover, flush, cleanup), live views (what browsers see) and the command
// dispatcher. Transport adapters (worker-namespace.server.ts, /api/v1 routes via operations.server.ts) parse and
// authenticate, then call the parts; pure rules live in policy.ts. Placement changes run one at a time (serial()).
// Lifecycle: `FleetManager.create()` loads state and starts timers; `close()` is idempotent and emits "closed".
import { EventEmitter } from "node:events";
import type { Db } from "../../db/client";
import type { CameraAnalysis, ServerToWorkerEvents } from "../../protocol";
import type { Logger } from "../logger.server";
import { conflict, notFound } from "../utils/errors.server";
import { CommandDispatcher } from "./commands.server";
import { CredentialService } from "./credentials.server";
import { FaceGalleries } from "./face-galleries.server";
import type { FleetConfig, FleetContext, FleetInternalEvents, FleetPublisher, WorkerEmitter } from "./fleet-context";
import { LiveViews } from "./live-views.server";
import { Liveness } from "./liveness.server";
import { Placement } from "./placement.server";
import { tokenTtlSeconds } from "./policy";
import { WorkerRegistry } from "./registration.server";
import * as store from "./store.server";
import type { CameraFleetView } from "./views";
import { visibleTo, workerStateFromRow, type CurrentAssignment, type WorkerState } from "./worker-state";

export type { FleetConfig, FleetPublisher, WorkerEmitter, WorkerSession } from "./fleet-context";
export { NO_CAPACITY } from "./placement.server";

/**
 * Known workers get a fresh detection period plus RESTART_GRACE_MS to reconnect after a server restart
 * (start-up itself takes seconds, longer than a short heartbeat period).
 */
export const RESTART_GRACE_MS = 10_000;

/** Pure: how often every tenant's wanted cameras are re-checked (a safety net behind event-driven placement). */
export function reconcileIntervalMs(heartbeatMs: number): number {
  return Math.max(2_000, Math.min(heartbeatMs, 15_000));
}

export class FleetManager extends EventEmitter implements FleetContext {
  readonly workers = new Map<string, WorkerState>();
  readonly current = new Map<string, CurrentAssignment>();
  readonly views: LiveViews;
  readonly placement: Placement;
  readonly registry: WorkerRegistry;
  readonly galleries: FaceGalleries;
  private readonly liveness: Liveness;
  private chain: Promise<unknown> = Promise.resolve();
  private reconcileTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private workerEmitter: WorkerEmitter | null = null;

  private constructor(
    readonly db: Db,
    readonly config: FleetConfig,
    readonly credentials: CredentialService,
    readonly commands: CommandDispatcher,
    publisher: FleetPublisher,
    readonly logger: Logger,
  ) {
    super();
    this.views = new LiveViews(this, publisher);
    this.placement = new Placement(this, this.views);
    this.registry = new WorkerRegistry(this, this.placement, this.views);
    this.liveness = new Liveness(this, this.registry, this.placement, this.views);
    this.galleries = new FaceGalleries(this);
  }

  static async create(db: Db, config: FleetConfig, publisher: FleetPublisher, logger: Logger): Promise<FleetManager> {
    const credentials = await CredentialService.create(db, () =>
      tokenTtlSeconds(config.WORKER_TOKEN_TTL_SECONDS, config.WORKER_HEARTBEAT_MS),
    );
    const ref: { manager?: FleetManager } = {};
    const dispatcher = await CommandDispatcher.create(
      db,
      { timeoutMs: config.WORKER_COMMAND_TIMEOUT_MS, maxAttempts: config.WORKER_COMMAND_MAX_ATTEMPTS },
      {
        linkFor: (workerId) => ref.manager?.workers.get(workerId)?.link ?? null,
        onSettled: (command, outcome) => void ref.manager?.placement.onCommandSettled(command, outcome),
        onChange: (command, tenantId) => publisher.emitToTenant(tenantId, "fleet:command", command),
      },
      logger.child({ module: "fleet-commands" }),
    );
    let created: FleetManager;
    try {
      created = new FleetManager(db, config, credentials, dispatcher, publisher, logger);
    } catch (error) {
      dispatcher.close();
      throw error;
    }
    ref.manager = created;
    try {
      await created.load();
    } catch (error) {
      // A half-started fleet undoes itself (the gallery listener, the dispatcher's timers) before the error goes up.
      await created.close();
      throw error;
    }
    created.liveness.start();
    created.reconcileTimer = setInterval(
      () => void created.placement.reconcileAll(),
      reconcileIntervalMs(config.WORKER_HEARTBEAT_MS),
    );
    created.reconcileTimer.unref();
    return created;
  }

  private async load(): Promise<void> {
    const graceUntilMs = Date.now() + RESTART_GRACE_MS;
    for (const row of await store.loadWorkers(this.db)) this.workers.set(row.id, workerStateFromRow(row, graceUntilMs));
    for (const a of await store.loadCurrentAssignments(this.db)) {
      this.current.set(a.cameraId, {
        id: a.id,
        tenantId: a.tenantId,
        cameraId: a.cameraId,
        workerId: a.workerId,
        state: a.state as "pending" | "active",
      });
    }
    this.logger.info({ workers: this.workers.size, assignments: this.current.size }, "fleet state loaded");
  }

  serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  isClosed(): boolean {
    return this.closed;
  }

  override emit<E extends keyof FleetInternalEvents>(event: E, payload?: FleetInternalEvents[E]): boolean {
    return super.emit(event, payload);
  }

  // ---- what other parts of the server ask (SFU, detection, camera routes) ----

  cameraView(cameraId: string, tenantId: string): Promise<CameraFleetView | null> {
    return this.views.cameraView(cameraId, tenantId);
  }

  /**
   * C4: whether the camera is assigned (pending or active) to this worker, in this tenant (the worker credential's).
   * A shared worker speaks for whichever tenant's camera it was given.
   */
  isAssigned(workerId: string, cameraId: string, tenantId: string): boolean {
    const entry = this.current.get(cameraId);
    if (!entry || entry.workerId !== workerId) return false;
    return entry.tenantId === tenantId || this.workers.get(workerId)?.shared === true;
  }

  /** The tenant of a camera assigned to this worker (a shared worker serves several), or null. */
  assignedCameraTenant(workerId: string, cameraId: string): string | null {
    const entry = this.current.get(cameraId);
    return entry && entry.workerId === workerId ? entry.tenantId : null;
  }

  /** A worker people of `tenantId` may see and place cameras on: their own or a shared one (404 otherwise). */
  requireWorker(tenantId: string, workerId: string): WorkerState {
    const state = this.workers.get(workerId);
    if (!state || !visibleTo(state, tenantId)) throw notFound("Worker not found");
    return state;
  }

  ensureOpen(): void {
    if (this.closed) throw conflict("The fleet manager is shutting down");
  }

  /** Set by the worker namespace adapter: how to reach a connected worker's socket. */
  setWorkerEmitter(emitter: WorkerEmitter | null): void {
    this.workerEmitter = emitter;
  }

  /** Emits to a worker connected to this server; false when it is not. */
  emitToWorker<E extends keyof ServerToWorkerEvents>(
    workerId: string,
    event: E,
    ...args: Parameters<ServerToWorkerEvents[E]>
  ): boolean {
    const socketId = this.workers.get(workerId)?.link?.socketId;
    return Boolean(socketId && this.workerEmitter?.(socketId, event, ...args));
  }

  /** C5: a camera's new analysis goes to the worker holding it (pending or active); false when none here. */
  pushCameraAnalysis(tenantId: string, cameraId: string, analysis: CameraAnalysis): boolean {
    const entry = this.current.get(cameraId);
    if (!entry || entry.tenantId !== tenantId) return false;
    return this.emitToWorker(entry.workerId, "v1:camera-analysis", { cameraId, analysis });
  }

  /** Idempotent; emits "closed". Live links are left to the namespace adapter to close. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.liveness.close();
    this.galleries.close();
    clearInterval(this.reconcileTimer);
    this.commands.close();
    await this.chain.catch(() => undefined);
    await this.liveness.flush().catch(() => undefined);
    this.emit("closed");
  }
}
