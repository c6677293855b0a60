// What the fleet shows (SPEC A1-A3): worker and camera views built from the in-memory state, and the live
// fleet:* events that carry them to the browsers of a tenant. Reads only; placement and status live elsewhere.
import { and, eq } from "drizzle-orm";
import { cameras } from "../../db/schema";
import type { FleetContext, FleetPublisher } from "./fleet-context";
import * as store from "./store.server";
import type { CameraFleetView, WorkerView } from "./views";
import { assignmentsOf, toWorkerView, type WorkerState } from "./worker-state";

export class LiveViews {
  constructor(
    private readonly ctx: FleetContext,
    private readonly publisher: FleetPublisher,
  ) {}

  view(state: WorkerState): WorkerView {
    return toWorkerView(state, assignmentsOf(this.ctx.current.values(), state.id).length);
  }

  publishWorker(state: WorkerState): void {
    this.publisher.emitToTenant(state.tenantId, "fleet:worker", this.view(state));
    this.ctx.emit("worker", state);
  }

  publishWorkerById(workerId: string): void {
    const state = this.ctx.workers.get(workerId);
    if (state) this.publishWorker(state);
  }

  publishWorkerRemoved(state: Pick<WorkerState, "id" | "tenantId">): void {
    this.publisher.emitToTenant(state.tenantId, "fleet:worker-removed", { id: state.id });
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
