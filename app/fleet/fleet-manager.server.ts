// The fleet manager (SPEC W1-W11, A3): the ONE owner of live worker state (in memory: heartbeats,
// links, current assignments) and its persistence (workers, status history, assignments, commands).
// Transport adapters (worker-namespace.server.ts, /api/v1 routes) parse and authenticate, then call
// in here; pure rules live in policy.ts. Placement changes run one at a time (serial()).
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { cameras, workers as workersTable } from "../../db/schema";
import {
  fail,
  ok,
  type Ack,
  type CameraAnalysis,
  type CommandAck,
  type HeartbeatMessage,
  type RegisterMessage,
  type RegisterReply,
  type ServerToWorkerEvents,
  type WorkerStatus,
} from "../../protocol";
import type { Config } from "../config.server";
import type { Logger } from "../logger.server";
import { analysisForCameras } from "../models/detections/scenes.server";
import { conflict, notFound } from "../utils/errors.server";
import { CommandDispatcher, type CommandOutcome } from "./commands.server";
import { CredentialService } from "./credentials.server";
import {
  acceptsWork,
  negotiateHeartbeat,
  offlineVerdict,
  planPlacements,
  registerRefusal,
  sweepIntervalMs,
  tokenTtlSeconds,
  type Candidate,
} from "./policy";
import * as store from "./store.server";
import type { CameraFleetView, FleetBrowserEvents, WorkerView } from "./views";
import { toWorkerView, type WorkerLink, type WorkerState } from "./worker-state";

export type FleetConfig = Pick<
  Config,
  | "WORKER_HEARTBEAT_MS"
  | "WORKER_MIN_HEARTBEAT_MS"
  | "WORKER_OFFLINE_AFTER_MISSES"
  | "WORKER_DISCONNECT_GRACE_MS"
  | "WORKER_STALE_RETENTION_HOURS"
  | "WORKER_TOKEN_TTL_SECONDS"
  | "WORKER_COMMAND_TIMEOUT_MS"
  | "WORKER_COMMAND_MAX_ATTEMPTS"
  | "AUTO_ASSIGN_CAMERAS"
>;

export interface FleetPublisher {
  emitToTenant<E extends keyof FleetBrowserEvents>(
    tenantId: string,
    event: E,
    ...args: Parameters<FleetBrowserEvents[E]>
  ): void;
}

export interface WorkerSession {
  socketId: string;
  credentialId: string;
  tenantId: string;
  workerId?: string;
}

/** Emits a typed server -> worker event on one worker socket (set by the namespace adapter); false if not here. */
export type WorkerEmitter = <E extends keyof ServerToWorkerEvents>(
  socketId: string,
  event: E,
  ...args: Parameters<ServerToWorkerEvents[E]>
) => boolean;

interface CurrentAssignment {
  id: string;
  tenantId: string;
  cameraId: string;
  workerId: string;
  state: "pending" | "active";
}

export class FleetManager extends EventEmitter {
  readonly workers = new Map<string, WorkerState>();
  /** cameraId -> its pending or active assignment (mirrors the unique partial index). */
  readonly current = new Map<string, CurrentAssignment>();
  readonly commands: CommandDispatcher;
  private chain: Promise<unknown> = Promise.resolve();
  private timers: NodeJS.Timeout[] = [];
  private sweepTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private lastCleanup = 0;
  private lastFlush = 0;
  private workerEmitter: WorkerEmitter | null = null;

  private constructor(
    readonly db: Db,
    readonly config: FleetConfig,
    readonly credentials: CredentialService,
    private readonly publisher: FleetPublisher,
    readonly logger: Logger,
    commands: CommandDispatcher,
  ) {
    super();
    this.commands = commands;
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
        onSettled: (command, outcome) => void ref.manager?.onCommandSettled(command, outcome),
        onChange: (command, tenantId) => publisher.emitToTenant(tenantId, "fleet:command", command),
      },
      logger.child({ module: "fleet-commands" }),
    );
    const created = new FleetManager(db, config, credentials, publisher, logger, dispatcher);
    ref.manager = created;
    await created.load();
    created.scheduleSweep();
    const reconcile = setInterval(
      () => void created.reconcileAll(),
      Math.max(2_000, Math.min(config.WORKER_HEARTBEAT_MS, 15_000)),
    );
    reconcile.unref();
    created.timers.push(reconcile);
    return created;
  }

  /**
   * Known workers get a fresh detection period plus RESTART_GRACE_MS to reconnect after a server
   * restart (start-up itself takes seconds, longer than a short heartbeat period).
   */
  private async load(): Promise<void> {
    const graceUntilMs = Date.now() + RESTART_GRACE_MS;
    for (const row of await store.loadWorkers(this.db)) {
      this.workers.set(row.id, {
        id: row.id,
        tenantId: row.tenantId,
        credentialId: row.credentialId,
        name: row.name,
        host: row.host,
        version: row.version,
        capacity: row.capacity,
        status: row.status as WorkerStatus,
        maintenance: row.maintenance,
        heartbeatMs: row.heartbeatMs,
        lastSeenMs: row.lastSeenAt.getTime(),
        graceUntilMs,
        registeredAt: row.registeredAt,
        metrics: (row.metrics as WorkerState["metrics"]) ?? null,
        driftMs: row.driftMs,
        link: null,
        dirty: false,
      });
    }
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

  /** Runs placement-changing work one at a time, in arrival order. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  // ---- worker-facing (called by the namespace adapter after parsing and token checks) ----

  register(session: WorkerSession, message: RegisterMessage, link: WorkerLink): Promise<Ack<RegisterReply>> {
    return this.serial(async () => {
      const existing = this.workers.get(message.id);
      const refusal = registerRefusal({
        requestedId: message.id,
        tenantId: session.tenantId,
        socketId: session.socketId,
        connectionWorkerId: session.workerId,
        existing: existing && {
          tenantId: existing.tenantId,
          linkSocketId: existing.link?.socketId ?? null,
          connectedAt: existing.link?.connectedAt,
        },
      });
      if (refusal) {
        this.logger.warn(
          { workerId: message.id, registered: session.workerId, code: refusal.code, tenantId: session.tenantId },
          "worker registration refused",
        );
        return fail(refusal.code, refusal.message);
      }
      const heartbeatMs = negotiateHeartbeat(message.heartbeatMs, {
        defaultMs: this.config.WORKER_HEARTBEAT_MS,
        minMs: this.config.WORKER_MIN_HEARTBEAT_MS,
      });
      const maintenance = existing?.maintenance ?? false;
      const status: WorkerStatus = maintenance ? "MAINTENANCE" : "ONLINE";
      const row = await store.upsertWorker(this.db, {
        id: message.id,
        tenantId: session.tenantId,
        credentialId: session.credentialId,
        name: message.name,
        host: message.host,
        version: message.version,
        capacity: message.capacity,
        capabilities: message.capabilities,
        status,
        heartbeatMs,
        lastSeenAt: new Date(),
      });
      await store.recordStatus(this.db, {
        tenantId: session.tenantId,
        workerId: message.id,
        status,
        reason: existing ? "reconnected" : "registered",
      });
      const state: WorkerState = {
        ...(existing ?? { metrics: null, driftMs: null }),
        id: row.id,
        tenantId: row.tenantId,
        credentialId: session.credentialId,
        name: row.name,
        host: row.host,
        version: row.version,
        capacity: row.capacity,
        status,
        maintenance,
        heartbeatMs,
        lastSeenMs: Date.now(),
        graceUntilMs: undefined,
        disconnectedAtMs: undefined,
        registeredAt: row.registeredAt,
        link,
        dirty: false,
      };
      this.workers.set(state.id, state);
      session.workerId = state.id;
      // The reply is the truth about this worker's cameras: in-flight assignment commands are superseded.
      await this.commands.cancelForWorker(state.id, "Superseded by the register reply", "assignment");
      const mine = [...this.current.values()].filter((a) => a.workerId === state.id);
      const keep = mine.slice(0, state.capacity);
      const drop = mine.slice(state.capacity);
      await this.endCurrent(drop, "released", "capacity-reduced");
      const pending = keep.filter((a) => a.state === "pending");
      await store.activateAssignments(
        this.db,
        pending.map((a) => a.id),
      );
      for (const a of pending) a.state = "active";
      const fps = await this.cameraFps(keep.map((a) => a.cameraId));
      const analysis = await this.cameraAnalysis(
        state.tenantId,
        keep.map((a) => a.cameraId),
      );
      this.logger.info(
        {
          workerId: state.id,
          tenantId: state.tenantId,
          resumed: keep.length,
          heartbeatMs,
          returning: Boolean(existing),
        },
        "worker registered",
      );
      this.publishWorker(state);
      for (const a of keep) void this.publishCamera(a.cameraId, state.tenantId);
      setImmediate(() => {
        void this.commands.deliverQueued(state.id);
        void this.reconcile(state.tenantId);
      });
      return ok({
        status: existing ? ("already-registered" as const) : ("registered" as const),
        workerId: state.id,
        serverTime: new Date().toISOString(),
        heartbeatMs,
        assignments: keep.map((a) => ({
          cameraId: a.cameraId,
          assignmentId: a.id,
          analysisFps: fps.get(a.cameraId) ?? 5,
          analysis: analysis.get(a.cameraId),
        })),
      });
    });
  }

  heartbeat(session: WorkerSession, message: HeartbeatMessage): Ack<{ serverTime: string }> {
    const state = session.workerId ? this.workers.get(session.workerId) : undefined;
    if (!state || state.link?.socketId !== session.socketId)
      return fail("not_registered", "Register before sending heartbeats");
    const now = Date.now();
    state.lastSeenMs = now;
    state.metrics = {
      cpuPercent: message.cpuPercent,
      memoryMb: message.memoryMb,
      cameras: message.cameras,
      load: message.load,
      spool: message.spool,
    };
    if (message.spool?.full && !state.spoolFull)
      this.logger.error(
        { workerId: state.id, droppedEvents: message.spool.droppedEvents, bytes: message.spool.bytes },
        "worker event spool is full: new detection events are being dropped until the server takes the backlog",
      );
    state.spoolFull = message.spool?.full ?? false;
    // T1: the worker's own smoothed estimate when it has one, else this one-way sample (includes latency).
    state.driftMs = message.clockOffsetMs ?? Math.round(now - Date.parse(message.sentAt));
    state.dirty = true;
    const reported: WorkerStatus = state.maintenance
      ? "MAINTENANCE"
      : message.status === "MAINTENANCE"
        ? "ONLINE"
        : message.status;
    if (reported !== state.status) void this.setStatus(state, reported, "heartbeat");
    else this.publishWorker(state);
    return ok({ serverTime: new Date(now).toISOString() });
  }

  async commandAck(session: WorkerSession, ack: CommandAck): Promise<Ack<{ recorded: boolean }>> {
    if (!session.workerId) return fail("not_registered", "Register before acknowledging commands");
    return ok({ recorded: await this.commands.ack(session.workerId, ack) });
  }

  deregister(session: WorkerSession, reason: string): Promise<Ack<{ released: number }>> {
    return this.serial(async () => {
      const state = session.workerId ? this.workers.get(session.workerId) : undefined;
      if (!state || state.link?.socketId !== session.socketId)
        return fail("not_registered", "Not registered on this connection");
      const mine = [...this.current.values()].filter((a) => a.workerId === state.id);
      await this.endCurrent(mine, "released", "worker-deregistered");
      await this.commands.cancelForWorker(state.id, "Worker deregistered");
      state.link = null;
      await this.setStatus(state, "OFFLINE", `deregistered: ${reason}`);
      this.logger.info({ workerId: state.id, released: mine.length, reason }, "worker deregistered");
      setImmediate(() => void this.reconcile(state.tenantId));
      return ok({ released: mine.length });
    });
  }

  /**
   * The worker's socket closed (W11): it takes no new cameras now, and unless it registers again within
   * WORKER_DISCONNECT_GRACE_MS the sweep marks it OFFLINE and fails its cameras over. `shuttingDown` (this
   * server is stopping and closed the socket itself) starts no grace: the next server start gives its own.
   */
  disconnected(session: WorkerSession, reason: string, shuttingDown = false): void {
    const state = session.workerId ? this.workers.get(session.workerId) : undefined;
    if (!state || state.link?.socketId !== session.socketId) return;
    state.link = null;
    if (!shuttingDown && state.status !== "OFFLINE") state.disconnectedAtMs = Date.now();
    this.logger.info(
      { workerId: state.id, reason, graceMs: this.config.WORKER_DISCONNECT_GRACE_MS },
      shuttingDown
        ? "worker disconnected: server shutting down"
        : "worker disconnected; OFFLINE and its cameras fail over unless it reconnects within the grace",
    );
    this.publishWorker(state);
  }

  // ---- detection, failover, placement ----

  private scheduleSweep(): void {
    if (this.closed) return;
    let shortest = this.config.WORKER_HEARTBEAT_MS;
    for (const w of this.workers.values()) if (w.status !== "OFFLINE") shortest = Math.min(shortest, w.heartbeatMs);
    this.sweepTimer = setTimeout(
      () => void this.sweep().finally(() => this.scheduleSweep()),
      sweepIntervalMs(shortest, this.config.WORKER_DISCONNECT_GRACE_MS),
    );
    this.sweepTimer.unref();
  }

  private async sweep(): Promise<void> {
    const now = Date.now();
    const rules = {
      misses: this.config.WORKER_OFFLINE_AFTER_MISSES,
      disconnectGraceMs: this.config.WORKER_DISCONNECT_GRACE_MS,
    };
    for (const state of this.workers.values()) {
      if (state.status === "OFFLINE" || offlineVerdict(state, rules, now) === null) continue;
      // Decided again inside serial(): a register queued before this may have brought the worker back.
      // (register replaces the state object, so look it up again.)
      await this.serial(async () => {
        const live = this.workers.get(state.id);
        const verdict = !live || live.status === "OFFLINE" ? null : offlineVerdict(live, rules, Date.now());
        if (live && verdict === "disconnected")
          await this.markOffline(live, `connection closed, not back within ${rules.disconnectGraceMs} ms`);
        else if (live && verdict === "missed-heartbeats")
          await this.markOffline(live, `missed ${rules.misses} heartbeats`);
      });
    }
    // Heartbeat bookkeeping reaches the database in one statement every few seconds, not per beat:
    // embedded PGlite runs on this thread, so frequent writes would delay every heartbeat reply.
    if (now - this.lastFlush >= FLUSH_INTERVAL_MS) {
      this.lastFlush = now;
      await this.flush().catch((error) => this.logger.warn({ err: error }, "heartbeat flush failed"));
    }
    if (now - this.lastCleanup > Math.min(60_000, (this.config.WORKER_STALE_RETENTION_HOURS * 3600_000) / 4)) {
      this.lastCleanup = now;
      await this.cleanupStale().catch((error) => this.logger.warn({ err: error }, "stale worker cleanup failed"));
    }
  }

  /** W5 + W11: OFFLINE, its cameras leave it at once and go to healthy workers with capacity. */
  private async markOffline(state: WorkerState, reason: string): Promise<void> {
    if (state.status === "OFFLINE" || this.closed) return;
    state.link?.disconnect(); // a stalled but connected worker must re-register and learn its (new) assignments
    state.link = null;
    state.disconnectedAtMs = undefined;
    const mine = [...this.current.values()].filter((a) => a.workerId === state.id);
    await this.commands.cancelForWorker(state.id, "Worker went OFFLINE", "assignment");
    await this.endCurrent(mine, "failed", "worker-offline", `Worker ${state.name} went OFFLINE`);
    await this.setStatus(state, "OFFLINE", reason);
    this.logger.warn({ workerId: state.id, cameras: mine.length, reason }, "worker OFFLINE; failing over its cameras");
    await this.reconcileNow(state.tenantId, "failover");
  }

  async reconcileAll(): Promise<void> {
    if (this.closed) return;
    try {
      for (const tenantId of await store.tenantsWithWantedCameras(this.db)) await this.reconcile(tenantId);
    } catch (error) {
      this.logger.warn({ err: error }, "reconcile failed");
    }
  }

  reconcile(tenantId: string): Promise<void> {
    return this.serial(() => this.reconcileNow(tenantId, "auto"));
  }

  /** Places every wanted, enabled, unplaced camera of a tenant; the rest are visibly unassigned. */
  private async reconcileNow(tenantId: string, reason: string): Promise<void> {
    if (this.closed) return;
    const wanted = (await store.wantedCameras(this.db, tenantId)).filter((c) => !this.current.has(c.id));
    if (wanted.length === 0) return;
    const plan = planPlacements(
      wanted.map((c) => c.id),
      this.candidates(tenantId),
    );
    for (const camera of wanted) {
      const workerId = plan.get(camera.id);
      if (workerId) await this.placeCamera(tenantId, camera.id, workerId, reason, camera.analysisFps);
      else if (camera.note !== NO_CAPACITY) {
        await store.setCameraWanted(this.db, camera.id, undefined, NO_CAPACITY);
        void this.publishCamera(camera.id, tenantId);
      }
    }
  }

  candidates(tenantId: string): Candidate[] {
    const counts = new Map<string, number>();
    for (const a of this.current.values()) counts.set(a.workerId, (counts.get(a.workerId) ?? 0) + 1);
    return [...this.workers.values()]
      .filter((w) => w.tenantId === tenantId)
      .map((w) => ({
        id: w.id,
        capacity: w.capacity,
        assigned: counts.get(w.id) ?? 0,
        healthy: acceptsWork(w.status, w.maintenance, w.link !== null),
      }));
  }

  assignedCount(workerId: string): number {
    let n = 0;
    for (const a of this.current.values()) if (a.workerId === workerId) n++;
    return n;
  }

  /** Creates a pending assignment and sends ASSIGN_CAMERA; active once the worker acks. Call inside serial(). */
  async placeCamera(
    tenantId: string,
    cameraId: string,
    workerId: string,
    reason: string,
    analysisFps: number,
  ): Promise<CurrentAssignment> {
    const row = await store.insertAssignment(this.db, { tenantId, cameraId, workerId, reason });
    const entry: CurrentAssignment = { id: row.id, tenantId, cameraId, workerId, state: "pending" };
    this.current.set(cameraId, entry);
    await store.setCameraWanted(this.db, cameraId, true, null);
    this.publishWorkerById(workerId);
    void this.publishCamera(cameraId, tenantId);
    const analysis = (await this.cameraAnalysis(tenantId, [cameraId])).get(cameraId);
    await this.commands.enqueue({
      tenantId,
      workerId,
      type: "ASSIGN_CAMERA",
      payload: { cameraId, assignmentId: row.id, analysisFps, ...(analysis ? { analysis } : {}) },
      priority: 10,
      assignmentId: row.id,
    });
    return entry;
  }

  /** Ends assignments (memory + DB); tells still-connected workers to release. Call inside serial(). */
  async endCurrent(
    list: CurrentAssignment[],
    state: "released" | "failed",
    reason: string,
    error: string | null = null,
    notify = false,
  ): Promise<void> {
    await store.endAssignments(
      this.db,
      list.map((a) => a.id),
      state,
      reason,
      error,
    );
    for (const a of list) {
      if (this.current.get(a.cameraId)?.id === a.id) this.current.delete(a.cameraId);
      // C4: whoever streams the camera to this worker stops now, whether or not the worker hears RELEASE_CAMERA.
      this.emit("assignment-ended", { workerId: a.workerId, cameraId: a.cameraId });
      if (notify && this.workers.get(a.workerId)?.link) {
        await this.commands.enqueue({
          tenantId: a.tenantId,
          workerId: a.workerId,
          type: "RELEASE_CAMERA",
          payload: { cameraId: a.cameraId },
          priority: 20,
        });
      }
      this.publishWorkerById(a.workerId);
      void this.publishCamera(a.cameraId, a.tenantId);
    }
  }

  private async onCommandSettled(command: store.CommandRow, outcome: CommandOutcome): Promise<void> {
    if (command.type !== "ASSIGN_CAMERA" || !command.assignmentId) return;
    const cameraId = String(command.payload.cameraId);
    await this.serial(async () => {
      const entry = this.current.get(cameraId);
      if (!entry || entry.id !== command.assignmentId) return;
      if (outcome.ok) {
        await store.activateAssignments(this.db, [entry.id]);
        entry.state = "active";
        void this.publishCamera(cameraId, entry.tenantId);
        this.emit("assignment-active", entry);
      } else if (outcome.state !== "cancelled") {
        const worker = this.workers.get(entry.workerId);
        await this.endCurrent([entry], "failed", "ack-failed", outcome.error);
        await store.setCameraWanted(
          this.db,
          cameraId,
          undefined,
          `${worker?.name ?? entry.workerId}: ${outcome.error}`,
        );
        void this.publishCamera(cameraId, entry.tenantId);
      }
    });
  }

  async setStatus(state: WorkerState, status: WorkerStatus, reason: string, maintenance?: boolean): Promise<void> {
    state.status = status;
    if (maintenance !== undefined) state.maintenance = maintenance;
    this.publishWorker(state);
    await store.recordStatus(this.db, { tenantId: state.tenantId, workerId: state.id, status, reason, maintenance });
  }

  private async flush(): Promise<void> {
    const dirty = [...this.workers.values()].filter((w) => w.dirty);
    for (const w of dirty) w.dirty = false;
    await store.flushSeen(
      this.db,
      dirty.map((w) => ({
        id: w.id,
        seen: new Date(w.lastSeenMs).toISOString(),
        metrics: w.metrics ?? {},
        driftMs: w.driftMs,
      })),
    );
  }

  private async cleanupStale(): Promise<void> {
    const cutoff = new Date(Date.now() - this.config.WORKER_STALE_RETENTION_HOURS * 3600_000);
    const removed = await this.serial(async () => {
      const ids = await store.deleteStaleWorkers(this.db, cutoff);
      for (const id of ids) {
        const state = this.workers.get(id);
        this.workers.delete(id);
        if (state) this.publisher.emitToTenant(state.tenantId, "fleet:worker-removed", { id });
      }
      return ids;
    });
    await store.purgeStatusHistory(this.db, new Date(Date.now() - 30 * 86400_000));
    if (removed.length) this.logger.info({ removed }, "stale workers removed");
  }

  // ---- views and live events ----

  view(state: WorkerState): WorkerView {
    return toWorkerView(state, this.assignedCount(state.id));
  }

  publishWorker(state: WorkerState): void {
    this.publisher.emitToTenant(state.tenantId, "fleet:worker", this.view(state));
    this.emit("worker", state);
  }

  private publishWorkerById(workerId: string): void {
    const state = this.workers.get(workerId);
    if (state) this.publishWorker(state);
  }

  async cameraView(cameraId: string, tenantId: string): Promise<CameraFleetView | null> {
    const [camera] = await this.db
      .select({ wantAssigned: cameras.wantAssigned, note: cameras.assignmentNote })
      .from(cameras)
      .where(and(eq(cameras.id, cameraId), eq(cameras.tenantId, tenantId)));
    if (!camera) return null;
    const at = Date.now();
    const entry = this.current.get(cameraId);
    const [assignment] = entry ? await store.listAssignments(this.db, tenantId, { cameraId }, 1) : [];
    return {
      at,
      cameraId,
      tenantId,
      wantAssigned: camera.wantAssigned,
      note: camera.note,
      assignment: entry && assignment?.id === entry.id ? { ...assignment, state: entry.state } : null,
    };
  }

  async publishCamera(cameraId: string, tenantId: string): Promise<void> {
    try {
      const view = await this.cameraView(cameraId, tenantId);
      if (view) this.publisher.emitToTenant(tenantId, "fleet:camera", view);
    } catch (error) {
      this.logger.debug({ err: error, cameraId }, "camera view not published");
    }
  }

  /** D1, C5: what each camera analyses; an unreadable one is left out (the worker then only decodes it). */
  private async cameraAnalysis(tenantId: string, cameraIds: string[]): Promise<Map<string, CameraAnalysis>> {
    try {
      return await analysisForCameras(this.db, tenantId, cameraIds);
    } catch (error) {
      this.logger.warn({ err: error, tenantId }, "camera analysis not resolved; assignments carry none");
      return new Map();
    }
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

  private async cameraFps(cameraIds: string[]): Promise<Map<string, number>> {
    const map = new Map<string, number>();
    for (const id of cameraIds) {
      const [row] = await this.db.select({ fps: cameras.analysisFps }).from(cameras).where(eq(cameras.id, id));
      if (row) map.set(id, row.fps);
    }
    return map;
  }

  /** Drops a worker record (W7); the process is told and disconnected. Its cameras move elsewhere. */
  removeWorker(tenantId: string, workerId: string): Promise<void> {
    return this.serial(async () => {
      const state = this.workers.get(workerId);
      if (!state || state.tenantId !== tenantId) throw notFound("Worker not found");
      const mine = [...this.current.values()].filter((a) => a.workerId === workerId);
      await this.commands.cancelForWorker(workerId, "Worker removed");
      await this.endCurrent(mine, "released", "worker-removed");
      state.link?.remove("Removed by an administrator");
      this.workers.delete(workerId);
      await this.db.delete(workersTable).where(eq(workersTable.id, workerId));
      this.publisher.emitToTenant(tenantId, "fleet:worker-removed", { id: workerId });
      await this.reconcileNow(tenantId, "auto");
    });
  }

  /** C4: whether the camera is assigned (pending or active) to this worker, in this tenant. */
  isAssigned(workerId: string, cameraId: string, tenantId: string): boolean {
    const entry = this.current.get(cameraId);
    return Boolean(entry && entry.workerId === workerId && entry.tenantId === tenantId);
  }

  requireWorker(tenantId: string, workerId: string): WorkerState {
    const state = this.workers.get(workerId);
    if (!state || state.tenantId !== tenantId) throw notFound("Worker not found");
    return state;
  }

  ensureOpen(): void {
    if (this.closed) throw conflict("The fleet manager is shutting down");
  }

  /** Idempotent; emits "closed". Live links are left to the namespace adapter to close. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.sweepTimer);
    for (const t of this.timers) clearInterval(t);
    this.commands.close();
    await this.chain.catch(() => undefined);
    await this.flush().catch(() => undefined);
    this.emit("closed");
  }

  static newCommandId(): string {
    return randomUUID();
  }
}

export const RESTART_GRACE_MS = 10_000;
export const FLUSH_INTERVAL_MS = 5_000;
export const NO_CAPACITY = "No worker with free capacity: retried when capacity appears";
