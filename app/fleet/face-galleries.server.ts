// Face galleries on the workers (SPEC D6, S1, C6; issue 14, ADR 0018): the part of the fleet that keeps every
// connected worker holding the galleries (embeddings only, never images) of exactly the tenants it works for:
//   - a tenant's own worker: its tenant's gallery, sent on register (before the register reply, so it is there
//     before the cameras start);
//   - any worker: the gallery of each tenant whose camera it gets, before the ASSIGN_CAMERA command;
//   - a shared worker (issue 12) gets no other tenant's gallery, and is told to drop one (enabled=false) when it no
//     longer holds a camera of that tenant;
//   - galleryChanges "changed" (enrolment, deletion, the switch, the settings): the gallery goes again to every such
//     worker and each of the tenant's cameras gets its analysis again (the `faces` settings), within a second.
import type { CameraAnalysis, FaceGallery, ServerToWorkerEvents } from "../../protocol";
import { galleryChanges, loadGallery } from "../models/staff/gallery.server";
import type { FleetContext } from "./fleet-context";
import type { CurrentAssignment, WorkerState } from "./worker-state";

/** What this part needs of the fleet manager (it implements all of it). */
export interface GalleryFleet extends FleetContext {
  emitToWorker<E extends keyof ServerToWorkerEvents>(
    workerId: string,
    event: E,
    ...args: Parameters<ServerToWorkerEvents[E]>
  ): boolean;
  pushCameraAnalysis(tenantId: string, cameraId: string, analysis: CameraAnalysis): boolean;
  readonly placement: { cameraAnalysis(tenantId: string, cameraIds: string[]): Promise<Map<string, CameraAnalysis>> };
  on(event: "assignment-ended", listener: (payload: { workerId: string; cameraId: string }) => void): unknown;
  off(event: "assignment-ended", listener: (payload: { workerId: string; cameraId: string }) => void): unknown;
}

/** Changes of one tenant arriving together (an enrolment of several images) go out once. */
const COALESCE_MS = 150;

/** Pure: the tenants whose galleries a worker should hold: its own (unless shared) and those of its cameras. */
export function galleryTenantsOf(
  worker: Pick<WorkerState, "id" | "tenantId" | "shared">,
  current: Iterable<Pick<CurrentAssignment, "workerId" | "tenantId">>,
): Set<string> {
  const tenants = new Set<string>(worker.shared ? [] : [worker.tenantId]);
  for (const a of current) if (a.workerId === worker.id) tenants.add(a.tenantId);
  return tenants;
}

export class FaceGalleries {
  /** workerId -> the socket the galleries went to and the revision sent per tenant. */
  private readonly sent = new Map<string, { socketId: string; revisions: Map<string, number> }>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly onChanged = (tenantId: string) => this.scheduleChanged(tenantId);
  private readonly onEnded = ({ workerId }: { workerId: string }) => this.dropUnheld(workerId);
  private closed = false;

  constructor(
    private readonly fleet: GalleryFleet,
    private readonly load: (tenantId: string) => Promise<FaceGallery> = (tenantId) => loadGallery(fleet.db, tenantId),
  ) {
    galleryChanges.on("changed", this.onChanged);
    fleet.on("assignment-ended", this.onEnded);
  }

  /** Register: every gallery the worker should hold, again (a new connection holds nothing). */
  async workerRegistered(worker: WorkerState): Promise<void> {
    this.sent.delete(worker.id);
    for (const tenantId of galleryTenantsOf(worker, this.fleet.current.values())) await this.send(worker.id, tenantId);
  }

  /** Before a camera of `tenantId` is assigned to the worker: its gallery, unless this connection has it already. */
  async ensure(workerId: string, tenantId: string): Promise<void> {
    const record = this.sent.get(workerId);
    const socketId = this.fleet.workers.get(workerId)?.link?.socketId;
    if (record && record.socketId === socketId && record.revisions.has(tenantId)) return;
    await this.send(workerId, tenantId);
  }

  /** Stops listening; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    galleryChanges.off("changed", this.onChanged);
    this.fleet.off("assignment-ended", this.onEnded);
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private scheduleChanged(tenantId: string): void {
    if (this.closed || this.pending.has(tenantId)) return;
    const timer = setTimeout(() => {
      this.pending.delete(tenantId);
      void this.changed(tenantId).catch((error: unknown) =>
        this.fleet.logger.warn({ err: error, tenantId }, "face gallery change not pushed to workers"),
      );
    }, COALESCE_MS);
    timer.unref();
    this.pending.set(tenantId, timer);
  }

  /** The tenant's gallery to each worker that holds it or serves its cameras; its cameras' analysis (`faces`) again. */
  private async changed(tenantId: string): Promise<void> {
    if (this.closed) return;
    const gallery = await this.load(tenantId);
    let workers = 0;
    for (const worker of this.fleet.workers.values()) {
      if (!worker.link || !galleryTenantsOf(worker, this.fleet.current.values()).has(tenantId)) continue;
      if (this.emit(worker.id, gallery)) workers += 1;
    }
    const cameras = [...this.fleet.current.values()].filter((a) => a.tenantId === tenantId).map((a) => a.cameraId);
    const analysis = await this.fleet.placement.cameraAnalysis(tenantId, cameras);
    let pushed = 0;
    for (const [cameraId, a] of analysis) if (this.fleet.pushCameraAnalysis(tenantId, cameraId, a)) pushed += 1;
    this.fleet.logger.info(
      {
        tenantId,
        revision: gallery.revision,
        enabled: gallery.enabled,
        people: gallery.people.length,
        workers,
        pushed,
      },
      "face gallery pushed to workers",
    );
  }

  private async send(workerId: string, tenantId: string): Promise<void> {
    try {
      this.emit(workerId, await this.load(tenantId));
    } catch (error) {
      // The worker then matches nothing for this tenant's cameras (no gallery = no face work) until the next change.
      this.fleet.logger.warn({ err: error, workerId, tenantId }, "face gallery not loaded for a worker");
    }
  }

  private emit(workerId: string, gallery: FaceGallery): boolean {
    const socketId = this.fleet.workers.get(workerId)?.link?.socketId;
    if (!socketId || !this.fleet.emitToWorker(workerId, "v1:face-gallery", gallery)) return false;
    let record = this.sent.get(workerId);
    if (!record || record.socketId !== socketId) {
      record = { socketId, revisions: new Map() };
      this.sent.set(workerId, record);
    }
    record.revisions.set(gallery.galleryId, gallery.revision);
    return true;
  }

  /** C6: a worker that no longer serves a tenant drops its gallery (a shared worker losing its last camera there). */
  private dropUnheld(workerId: string): void {
    const record = this.sent.get(workerId);
    const worker = this.fleet.workers.get(workerId);
    if (!record || !worker) return;
    const keep = galleryTenantsOf(worker, this.fleet.current.values());
    for (const [tenantId, revision] of [...record.revisions]) {
      if (keep.has(tenantId)) continue;
      record.revisions.delete(tenantId);
      // Same revision, enabled=false: the worker drops it (it ignores only older revisions).
      this.fleet.emitToWorker(workerId, "v1:face-gallery", {
        galleryId: tenantId,
        revision,
        modelId: "none",
        modelVersion: "0",
        enabled: false,
        people: [],
      });
    }
  }
}
