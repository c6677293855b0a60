// Worker lifecycle (SPEC W1, W4, W5, W7): register (the reply is the truth about a worker's cameras), heartbeat,
// command acks, deregister, disconnect, status changes and removal. The namespace adapter has parsed and
// authenticated every message before it reaches here; pure rules are in policy.ts and the helpers below.
import { eq } from "drizzle-orm";
import { workers as workersTable } from "../../db/schema";
import {
  fail,
  ok,
  type Ack,
  type CommandAck,
  type HeartbeatMessage,
  type RegisterMessage,
  type RegisterReply,
  type WorkerStatus,
} from "../../protocol";
import { notFound } from "../utils/errors.server";
import type { FleetContext, WorkerSession } from "./fleet-context";
import type { LiveViews } from "./live-views.server";
import { tenantsAffected, type Placement } from "./placement.server";
import { flushRows } from "./liveness.server";
import { negotiateHeartbeat, registerRefusal } from "./policy";
import * as store from "./store.server";
import { assignmentsOf, visibleTo, type WorkerLink, type WorkerState } from "./worker-state";

/** Pure: the status a heartbeat leaves: maintenance is the server's to set, never the worker's. */
export function statusAfterHeartbeat(maintenance: boolean, reported: WorkerStatus): WorkerStatus {
  if (maintenance) return "MAINTENANCE";
  return reported === "MAINTENANCE" ? "ONLINE" : reported;
}

/** Pure: the metrics a heartbeat carries, as kept on the worker's state. */
export function metricsOf(message: HeartbeatMessage): NonNullable<WorkerState["metrics"]> {
  return {
    cpuPercent: message.cpuPercent,
    memoryMb: message.memoryMb,
    cameras: message.cameras,
    load: message.load,
    spool: message.spool,
  };
}

/** Pure: a (re)registering worker keeps its first `capacity` cameras; the rest are released. */
export function splitByCapacity<T>(held: T[], capacity: number): { keep: T[]; drop: T[] } {
  return { keep: held.slice(0, Math.max(0, capacity)), drop: held.slice(Math.max(0, capacity)) };
}

export class WorkerRegistry {
  constructor(
    private readonly ctx: FleetContext,
    private readonly placement: Placement,
    private readonly views: LiveViews,
  ) {}

  register(session: WorkerSession, message: RegisterMessage, link: WorkerLink): Promise<Ack<RegisterReply>> {
    const { ctx } = this;
    return ctx.serial(async () => {
      const existing = ctx.workers.get(message.id);
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
        ctx.logger.warn(
          { workerId: message.id, registered: session.workerId, code: refusal.code, tenantId: session.tenantId },
          "worker registration refused",
        );
        return fail(refusal.code, refusal.message);
      }
      const heartbeatMs = negotiateHeartbeat(message.heartbeatMs, {
        defaultMs: ctx.config.WORKER_HEARTBEAT_MS,
        minMs: ctx.config.WORKER_MIN_HEARTBEAT_MS,
      });
      const maintenance = existing?.maintenance ?? false;
      const status: WorkerStatus = maintenance ? "MAINTENANCE" : "ONLINE";
      const row = await store.upsertWorker(ctx.db, {
        id: message.id,
        tenantId: session.tenantId,
        credentialId: session.credentialId,
        name: message.name,
        host: message.host,
        version: message.version,
        capacity: message.capacity,
        shared: session.shared ?? false,
        capabilities: message.capabilities,
        status,
        heartbeatMs,
        lastSeenAt: new Date(),
      });
      await store.recordStatus(ctx.db, {
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
        shared: row.shared,
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
      ctx.workers.set(state.id, state);
      session.workerId = state.id;
      // The reply is the truth about this worker's cameras: in-flight assignment commands are superseded.
      await ctx.commands.cancelForWorker(state.id, "Superseded by the register reply", "assignment");
      const held = assignmentsOf(ctx.current.values(), state.id);
      // A worker that is no longer shared keeps only its own tenant's cameras.
      const foreign = held.filter((a) => !visibleTo(state, a.tenantId));
      const { keep, drop } = splitByCapacity(
        held.filter((a) => visibleTo(state, a.tenantId)),
        state.capacity,
      );
      await this.placement.endCurrent(drop, "released", "capacity-reduced");
      await this.placement.endCurrent(foreign, "released", "no-longer-shared");
      const pending = keep.filter((a) => a.state === "pending");
      await store.activateAssignments(
        ctx.db,
        pending.map((a) => a.id),
      );
      for (const a of pending) a.state = "active";
      const fps = await this.placement.cameraFps(keep.map((a) => a.cameraId));
      const analysis = await this.placement.analysisOf(keep);
      // D6: the galleries its cameras match against arrive before the reply that starts them (issue 14).
      await ctx.galleries?.workerRegistered(state);
      ctx.logger.info(
        {
          workerId: state.id,
          tenantId: state.tenantId,
          resumed: keep.length,
          heartbeatMs,
          returning: Boolean(existing),
        },
        "worker registered",
      );
      // Its heartbeats start with this reply: a slow register (a loaded server) must not count against them, or a
      // sweep queued behind it would find the worker silent before it could beat once.
      state.lastSeenMs = Date.now();
      this.views.publishWorker(state);
      for (const a of keep) void this.views.publishCamera(a.cameraId, a.tenantId);
      setImmediate(() => {
        void ctx.commands.deliverQueued(state.id);
        void this.placement.capacityAppeared(state);
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
    const state = session.workerId ? this.ctx.workers.get(session.workerId) : undefined;
    if (!state || state.link?.socketId !== session.socketId)
      return fail("not_registered", "Register before sending heartbeats");
    const now = Date.now();
    state.lastSeenMs = now;
    state.metrics = metricsOf(message);
    if (message.spool?.full && !state.spoolFull)
      this.ctx.logger.error(
        { workerId: state.id, droppedEvents: message.spool.droppedEvents, bytes: message.spool.bytes },
        "worker event spool is full: new detection events are being dropped until the server takes the backlog",
      );
    state.spoolFull = message.spool?.full ?? false;
    // T1: the worker's own smoothed estimate when it has one, else this one-way sample (includes latency).
    state.driftMs = message.clockOffsetMs ?? Math.round(now - Date.parse(message.sentAt));
    state.dirty = true;
    const reported = statusAfterHeartbeat(state.maintenance, message.status);
    if (reported !== state.status) void this.setStatus(state, reported, "heartbeat");
    else this.views.publishWorker(state);
    return ok({ serverTime: new Date(now).toISOString() });
  }

  async commandAck(session: WorkerSession, ack: CommandAck): Promise<Ack<{ recorded: boolean }>> {
    if (!session.workerId) return fail("not_registered", "Register before acknowledging commands");
    return ok({ recorded: await this.ctx.commands.ack(session.workerId, ack) });
  }

  deregister(session: WorkerSession, reason: string): Promise<Ack<{ released: number }>> {
    const { ctx } = this;
    return ctx.serial(async () => {
      const state = session.workerId ? ctx.workers.get(session.workerId) : undefined;
      if (!state || state.link?.socketId !== session.socketId)
        return fail("not_registered", "Not registered on this connection");
      const mine = assignmentsOf(ctx.current.values(), state.id);
      await this.placement.endCurrent(mine, "released", "worker-deregistered");
      await ctx.commands.cancelForWorker(state.id, "Worker deregistered");
      state.link = null;
      // Seen until now: the stale-worker retention counts from its goodbye, not from the last batched flush.
      state.lastSeenMs = Date.now();
      await store.flushSeen(ctx.db, flushRows([{ ...state, dirty: true }]));
      await this.setStatus(state, "OFFLINE", `deregistered: ${reason}`);
      ctx.logger.info({ workerId: state.id, released: mine.length, reason }, "worker deregistered");
      setImmediate(() => void this.placement.reconcileTenants(tenantsAffected(state, mine), "auto"));
      return ok({ released: mine.length });
    });
  }

  /**
   * The worker's socket closed (W11): it takes no new cameras now, and unless it registers again within
   * WORKER_DISCONNECT_GRACE_MS the sweep marks it OFFLINE and fails its cameras over. `shuttingDown` (this
   * server is stopping and closed the socket itself) starts no grace: the next server start gives its own.
   */
  disconnected(session: WorkerSession, reason: string, shuttingDown = false): void {
    const state = session.workerId ? this.ctx.workers.get(session.workerId) : undefined;
    if (!state || state.link?.socketId !== session.socketId) return;
    state.link = null;
    if (!shuttingDown && state.status !== "OFFLINE") state.disconnectedAtMs = Date.now();
    this.ctx.logger.info(
      { workerId: state.id, reason, graceMs: this.ctx.config.WORKER_DISCONNECT_GRACE_MS },
      shuttingDown
        ? "worker disconnected: server shutting down"
        : "worker disconnected; OFFLINE and its cameras fail over unless it reconnects within the grace",
    );
    this.views.publishWorker(state);
  }

  async setStatus(state: WorkerState, status: WorkerStatus, reason: string, maintenance?: boolean): Promise<void> {
    state.status = status;
    if (maintenance !== undefined) state.maintenance = maintenance;
    this.views.publishWorker(state);
    await store.recordStatus(this.ctx.db, {
      tenantId: state.tenantId,
      workerId: state.id,
      status,
      reason,
      maintenance,
    });
  }

  /**
   * Drops a worker record (W7); the process is told and disconnected. Its cameras move elsewhere. Queues itself.
   * The caller checked who may (operations.server.ts: a shared worker only by a platform admin).
   */
  remove(workerId: string): Promise<void> {
    const { ctx } = this;
    return ctx.serial(async () => {
      const state = ctx.workers.get(workerId);
      if (!state) throw notFound("Worker not found");
      const mine = assignmentsOf(ctx.current.values(), workerId);
      await ctx.commands.cancelForWorker(workerId, "Worker removed");
      await this.placement.endCurrent(mine, "released", "worker-removed");
      state.link?.remove("Removed by an administrator");
      ctx.workers.delete(workerId);
      await ctx.db.delete(workersTable).where(eq(workersTable.id, workerId));
      this.views.publishWorkerRemoved(state);
      for (const tenantId of tenantsAffected(state, mine)) await this.placement.reconcileNow(tenantId, "auto");
    });
  }
}
