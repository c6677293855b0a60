// Where cameras run (SPEC A3, W9, W11): reconcile wanted cameras onto workers with free capacity, place one camera
// (pending until the worker acks ASSIGN_CAMERA), end assignments, and settle assignment commands. The rules are
// pure (policy.ts and candidatesFor below); this class applies them to the fleet's state. Call the mutating
// methods inside ctx.serial() unless they say they queue themselves.
import { eq } from "drizzle-orm";
import { cameras } from "../../db/schema";
import type { CameraAnalysis } from "../../protocol";
import { analysisForCameras } from "../models/detections/scenes.server";
import type { CommandOutcome } from "./commands.server";
import type { FleetContext } from "./fleet-context";
import type { LiveViews } from "./live-views.server";
import { acceptsWork, planPlacements, type Candidate } from "./policy";
import * as store from "./store.server";
import { countByWorker, visibleTo, type CurrentAssignment, type WorkerState } from "./worker-state";

/** The camera's note when nothing can take it: what happens, and what people can do about it (issue 12). */
export const NO_CAPACITY =
  "No worker with free capacity: start a worker with the command on the Workers page, or ask a platform admin for shared capacity. Retried when capacity appears";

/**
 * Pure: the workers that may take `tenantId`'s cameras, with their load: the tenant's own workers, and the shared
 * pool (issue 12) after them. Another tenant's own workers never appear.
 */
export function candidatesFor(
  workers: Iterable<WorkerState>,
  counts: ReadonlyMap<string, number>,
  tenantId: string,
): Candidate[] {
  return [...workers]
    .filter((w) => visibleTo(w, tenantId))
    .map((w) => ({
      id: w.id,
      capacity: w.capacity,
      assigned: counts.get(w.id) ?? 0,
      healthy: acceptsWork(w.status, w.maintenance, w.link !== null),
      shared: w.shared,
    }));
}

/** Pure: the tenants whose wanted cameras may now fit elsewhere after `worker` lost `ended` (offline, removed...). */
export function tenantsAffected(
  worker: Pick<WorkerState, "tenantId">,
  ended: Iterable<Pick<CurrentAssignment, "tenantId">>,
): string[] {
  return [...new Set([worker.tenantId, ...[...ended].map((a) => a.tenantId)])];
}

/** Pure: what to do with each wanted camera: place it on a worker, mark it unassigned (once), or leave it. */
export function reconcileActions(
  wanted: Array<{ id: string; note: string | null }>,
  plan: ReadonlyMap<string, string | null>,
): Array<{ cameraId: string; workerId: string } | { cameraId: string; unassigned: true }> {
  const actions: Array<{ cameraId: string; workerId: string } | { cameraId: string; unassigned: true }> = [];
  for (const camera of wanted) {
    const workerId = plan.get(camera.id);
    if (workerId) actions.push({ cameraId: camera.id, workerId });
    else if (camera.note !== NO_CAPACITY) actions.push({ cameraId: camera.id, unassigned: true });
  }
  return actions;
}

export class Placement {
  constructor(
    private readonly ctx: FleetContext,
    private readonly views: LiveViews,
  ) {}

  candidates(tenantId: string): Candidate[] {
    return candidatesFor(this.ctx.workers.values(), countByWorker(this.ctx.current.values()), tenantId);
  }

  /** Every tenant with wanted cameras, reconciled one after another (a periodic safety net). */
  async reconcileAll(): Promise<void> {
    if (this.ctx.isClosed()) return;
    try {
      for (const tenantId of await store.tenantsWithWantedCameras(this.ctx.db)) await this.reconcile(tenantId);
    } catch (error) {
      this.ctx.logger.warn({ err: error }, "reconcile failed");
    }
  }

  /** Queues itself (serial). */
  reconcile(tenantId: string): Promise<void> {
    return this.ctx.serial(() => this.reconcileNow(tenantId, "auto"));
  }

  /** Capacity appeared on `worker` (registered, maintenance off): its tenant, or every tenant for a shared one. */
  capacityAppeared(worker: Pick<WorkerState, "tenantId" | "shared">): Promise<void> {
    return worker.shared ? this.reconcileAll() : this.reconcile(worker.tenantId);
  }

  /** Places every wanted, enabled, unplaced camera of a tenant; the rest are visibly unassigned. */
  async reconcileNow(tenantId: string, reason: string): Promise<void> {
    if (this.ctx.isClosed()) return;
    const wanted = (await store.wantedCameras(this.ctx.db, tenantId)).filter((c) => !this.ctx.current.has(c.id));
    if (wanted.length === 0) return;
    const plan = planPlacements(
      wanted.map((c) => c.id),
      this.candidates(tenantId),
    );
    const fps = new Map(wanted.map((c) => [c.id, c.analysisFps]));
    for (const action of reconcileActions(wanted, plan)) {
      if ("workerId" in action)
        await this.placeCamera(tenantId, action.cameraId, action.workerId, reason, fps.get(action.cameraId) ?? 5);
      else {
        await store.setCameraWanted(this.ctx.db, action.cameraId, undefined, NO_CAPACITY);
        void this.views.publishCamera(action.cameraId, tenantId);
      }
    }
  }

  /** Creates a pending assignment and sends ASSIGN_CAMERA; active once the worker acks. */
  async placeCamera(
    tenantId: string,
    cameraId: string,
    workerId: string,
    reason: string,
    analysisFps: number,
  ): Promise<CurrentAssignment> {
    const row = await store.insertAssignment(this.ctx.db, { tenantId, cameraId, workerId, reason });
    const entry: CurrentAssignment = { id: row.id, tenantId, cameraId, workerId, state: "pending" };
    this.ctx.current.set(cameraId, entry);
    await store.setCameraWanted(this.ctx.db, cameraId, true, null);
    this.views.publishWorkerById(workerId);
    void this.views.publishCamera(cameraId, tenantId);
    const analysis = (await this.cameraAnalysis(tenantId, [cameraId])).get(cameraId);
    // D6: the tenant's face gallery reaches the worker before the camera does (issue 14).
    await this.ctx.galleries?.ensure(workerId, tenantId);
    await this.ctx.commands.enqueue({
      tenantId,
      workerId,
      type: "ASSIGN_CAMERA",
      payload: { cameraId, assignmentId: row.id, analysisFps, ...(analysis ? { analysis } : {}) },
      priority: 10,
      assignmentId: row.id,
    });
    return entry;
  }

  /** Ends assignments (memory + DB); with `notify`, tells still-connected workers to release. */
  async endCurrent(
    list: CurrentAssignment[],
    state: "released" | "failed",
    reason: string,
    error: string | null = null,
    notify = false,
  ): Promise<void> {
    await store.endAssignments(
      this.ctx.db,
      list.map((a) => a.id),
      state,
      reason,
      error,
    );
    for (const a of list) {
      if (this.ctx.current.get(a.cameraId)?.id === a.id) this.ctx.current.delete(a.cameraId);
      // C4: whoever streams the camera to this worker stops now, whether or not the worker hears RELEASE_CAMERA.
      this.ctx.emit("assignment-ended", { workerId: a.workerId, cameraId: a.cameraId });
      if (notify && this.ctx.workers.get(a.workerId)?.link) {
        await this.ctx.commands.enqueue({
          tenantId: a.tenantId,
          workerId: a.workerId,
          type: "RELEASE_CAMERA",
          payload: { cameraId: a.cameraId },
          priority: 20,
        });
      }
      this.views.publishWorkerById(a.workerId);
      void this.views.publishCamera(a.cameraId, a.tenantId);
    }
  }

  /** An ASSIGN_CAMERA settled: ack makes the assignment active; failure ends it with the reason. Queues itself. */
  async onCommandSettled(command: store.CommandRow, outcome: CommandOutcome): Promise<void> {
    if (command.type !== "ASSIGN_CAMERA" || !command.assignmentId) return;
    const cameraId = String(command.payload.cameraId);
    await this.ctx.serial(async () => {
      const entry = this.ctx.current.get(cameraId);
      if (!entry || entry.id !== command.assignmentId) return;
      if (outcome.ok) {
        await store.activateAssignments(this.ctx.db, [entry.id]);
        entry.state = "active";
        void this.views.publishCamera(cameraId, entry.tenantId);
        this.ctx.emit("assignment-active", entry);
      } else if (outcome.state !== "cancelled") {
        const worker = this.ctx.workers.get(entry.workerId);
        await this.endCurrent([entry], "failed", "ack-failed", outcome.error);
        await store.setCameraWanted(
          this.ctx.db,
          cameraId,
          undefined,
          `${worker?.name ?? entry.workerId}: ${outcome.error}`,
        );
        void this.views.publishCamera(cameraId, entry.tenantId);
      }
    });
  }

  /** Queues itself: reconciles each tenant in turn. */
  reconcileTenants(tenantIds: string[], reason: string): Promise<void> {
    return this.ctx.serial(async () => {
      for (const tenantId of tenantIds) await this.reconcileNow(tenantId, reason);
    });
  }

  /** Analysis for assignments that may belong to several tenants (a shared worker's), each from its own tenant. */
  async analysisOf(list: CurrentAssignment[]): Promise<Map<string, CameraAnalysis>> {
    const merged = new Map<string, CameraAnalysis>();
    for (const tenantId of new Set(list.map((a) => a.tenantId))) {
      const ids = list.filter((a) => a.tenantId === tenantId).map((a) => a.cameraId);
      for (const [id, analysis] of await this.cameraAnalysis(tenantId, ids)) merged.set(id, analysis);
    }
    return merged;
  }

  /** D1, C5: what each camera analyses; an unreadable one is left out (the worker then only decodes it). */
  async cameraAnalysis(tenantId: string, cameraIds: string[]): Promise<Map<string, CameraAnalysis>> {
    try {
      return await analysisForCameras(this.ctx.db, tenantId, cameraIds);
    } catch (error) {
      this.ctx.logger.warn({ err: error, tenantId }, "camera analysis not resolved; assignments carry none");
      return new Map();
    }
  }

  async cameraFps(cameraIds: string[]): Promise<Map<string, number>> {
    const map = new Map<string, number>();
    for (const id of cameraIds) {
      const [row] = await this.ctx.db.select({ fps: cameras.analysisFps }).from(cameras).where(eq(cameras.id, id));
      if (row) map.set(id, row.fps);
    }
    return map;
  }
}
