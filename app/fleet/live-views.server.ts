// What the fleet shows (SPEC A1-A3): worker and camera views built from the in-memory state, and the live
// fleet:* events that carry them to the browsers of a tenant. Reads only; placement and status live elsewhere.
import { and, eq } from "drizzle-orm";
import { cameras } from "../../db/schema";
import type { FleetContext, FleetPublisher } from "./fleet-context";
import * as store from "./store.server";
import type { CameraFleetView, WorkerView } from "./views";
import { assignmentsOf, toWorkerView, type WorkerState } from "./worker-state";

/** Pure: the tenants a worker's live events go to. */
export function workerAudience(state: Pick<WorkerState, "tenantId" | "shared">, online: Iterable<string>): string[] {
  return state.shared ? [...new Set([state.tenantId, ...online])] : [state.tenantId];
}

export class LiveViews {
  constructor(
    private readonly ctx: FleetContext,
    private readonly publisher: FleetPublisher,
  ) {}

  /** The worker as people of `viewerTenantId` see it (default: its own tenant). */
  view(state: WorkerState, viewerTenantId: string = state.tenantId): WorkerView {
    return toWorkerView(
      state,
      assignmentsOf(this.ctx.current.values(), state.id).length,
      viewerTenantId,
      (cameraId) => this.ctx.current.get(cameraId)?.tenantId,
    );
  }

  /** Who hears about a worker: its tenant; for a shared worker also every tenant with browsers here. */
  audienceOf(state: Pick<WorkerState, "tenantId" | "shared">): string[] {
    return workerAudience(state, this.publisher.tenantsOnline?.() ?? []);
  }

  publishWorker(state: WorkerState): void {
    for (const tenantId of this.audienceOf(state))
      this.publisher.emitToTenant(tenantId, "fleet:worker", this.view(state, tenantId));
    this.ctx.emit("worker", state);
  }

  publishWorkerById(workerId: string): void {
    const state = this.ctx.workers.get(workerId);
    if (state) this.publishWorker(state);
  }

  publishWorkerRemoved(state: Pick<WorkerState, "id" | "tenantId" | "shared">): void {
    for (const tenantId of this.audienceOf(state))
      this.publisher.emitToTenant(tenantId, "fleet:worker-removed", { id: state.id });
  }

  async cameraView(cameraId: string, tenantId: string): Promise<CameraFleetView | null> {
    const [camera] = await this.ctx.db
      .select({ wantAssigned: cameras.wantAssigned, note: cameras.assignmentNote })
      .from(cameras)
      .where(and(eq(cameras.id, cameraId), eq(cameras.tenantId, tenantId)));
    if (!camera) return null;
    const at = Date.now();
    const entry = this.ctx.current.get(cameraId);
    const [assignment] = entry ? await store.listAssignments(this.ctx.db, tenantId, { cameraId }, 1) : [];
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
      this.ctx.logger.debug({ err: error, cameraId }, "camera view not published");
    }
  }
}
