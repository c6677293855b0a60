// What people and scripts do to the fleet (REST + UI actions, SPEC A1-A4, W6, W7, C1): each function
// checks the tenant scope, then acts through the FleetManager, the one owner of fleet state.
import { eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "../../db/schema";
import { isStorableJson, JSON_TEXT_MESSAGE, safeText } from "../../protocol/strings";
import { commandSchema, commandTypeSchema, workerStatusSchema, type WorkerStatus } from "../../protocol";
import {
  createCamera,
  deleteCamera,
  getCamera,
  updateCamera,
  type Camera,
  type CameraInput,
  cameraPatchSchema,
} from "../models/cameras.server";
import { assertRole, type TenantScope } from "../models/scope.server";
import { badRequest, conflict, forbidden, HttpError } from "../utils/errors.server";
import type { FleetManager } from "./fleet-manager.server";
import { NO_CAPACITY } from "./placement.server";
import { acceptsWork, freeSlots, pickLeastLoaded } from "./policy";
import * as store from "./store.server";
import { assignmentsOf, visibleTo } from "./worker-state";
import type { AssignmentView, CameraFleetView, CommandView, FleetStats, WorkerView } from "./views";

export const workerFilterSchema = z.object({
  status: workerStatusSchema.optional(),
  q: safeText().trim().max(100).optional(),
});

export function listWorkerViews(
  fleet: FleetManager,
  scope: TenantScope,
  filter: z.infer<typeof workerFilterSchema> = {},
): WorkerView[] {
  const q = filter.q?.toLowerCase();
  return [...fleet.workers.values()]
    .filter((w) => visibleTo(w, scope.tenantId))
    .filter((w) => !filter.status || w.status === filter.status)
    .filter((w) => !q || [w.id, w.name, w.host].some((s) => s.toLowerCase().includes(q)))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
    .map((w) => fleet.views.view(w, scope.tenantId));
}

export async function workerDetail(fleet: FleetManager, scope: TenantScope, workerId: string) {
  const state = fleet.requireWorker(scope.tenantId, workerId);
  // Assignments and commands are the viewing tenant's only; status changes and stats are the worker's own
  // (recorded under its issuing tenant) and hold no other tenant's data.
  const [assignments, commands, history, samples, canManage] = await Promise.all([
    store.listAssignments(fleet.db, scope.tenantId, { workerId }, 50),
    store.listCommands(fleet.db, scope.tenantId, workerId, 50),
    store.listStatusHistory(fleet.db, state.tenantId, workerId, 50),
    store.listMetricSamples(fleet.db, workerId, new Date(Date.now() - METRIC_HISTORY_MS)),
    mayManage(scope, state),
  ]);
  return { worker: fleet.views.view(state, scope.tenantId), assignments, commands, history, samples, canManage };
}

/** How far back the worker page's charts reach. */
export const METRIC_HISTORY_MS = 60 * 60_000;

/** Whether the scope's user is a platform admin (the scope is per tenant; the flag is per user). */
async function isPlatformAdmin(scope: TenantScope): Promise<boolean> {
  const [row] = await scope.db.select({ admin: users.isPlatformAdmin }).from(users).where(eq(users.id, scope.userId));
  return row?.admin === true;
}

/** A shared worker serves every tenant: only a platform admin commands, removes or revokes it (issue 12). */
async function mayManage(scope: TenantScope, worker: { shared: boolean }): Promise<boolean> {
  return !worker.shared || (await isPlatformAdmin(scope));
}

async function requireManagedWorker(fleet: FleetManager, scope: TenantScope, workerId: string) {
  const state = fleet.requireWorker(scope.tenantId, workerId);
  if (!(await mayManage(scope, state)))
    throw forbidden(`${state.name} is a shared worker: only a platform admin can change it`);
  return state;
}

export async function fleetStats(fleet: FleetManager, scope: TenantScope, cameras: Camera[]): Promise<FleetStats> {
  const views = listWorkerViews(fleet, scope);
  const byStatus = Object.fromEntries(workerStatusSchema.options.map((s) => [s, 0])) as Record<WorkerStatus, number>;
  for (const w of views) byStatus[w.status] += 1;
  const current = [...fleet.current.values()].filter((a) => a.tenantId === scope.tenantId);
  const wanted = cameras.filter((c) => c.wantAssigned && c.enabled);
  return {
    total: views.length,
    byStatus,
    capacity: views.reduce((sum, w) => sum + (w.status === "OFFLINE" ? 0 : w.capacity), 0),
    assigned: current.length,
    cameras: {
      total: cameras.length,
      wanted: wanted.length,
      active: current.filter((a) => a.state === "active").length,
      pending: current.filter((a) => a.state === "pending").length,
      unassigned: wanted.filter((c) => !fleet.current.has(c.id)).length,
    },
  };
}

export const assignInputSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("round-robin") }).strict(),
  z.object({ mode: z.literal("worker"), workerId: safeText().min(1).max(64) }).strict(),
]);

/** A3: assign (or move) a camera. Errors: 409 no capacity / worker offline / maintenance / disabled camera. */
export async function assignCamera(
  fleet: FleetManager,
  scope: TenantScope,
  cameraId: string,
  input: z.infer<typeof assignInputSchema>,
): Promise<CameraFleetView> {
  assertRole(scope, "operator");
  fleet.ensureOpen();
  const camera = await getCamera(scope, cameraId);
  if (!camera.enabled) throw conflict("Camera is disabled: enable it before assigning");
  await fleet.serial(async () => {
    const current = fleet.current.get(cameraId);
    const candidates = fleet.placement.candidates(scope.tenantId);
    if (input.mode === "round-robin") {
      if (current) return; // already placed: round-robin keeps it where it is
      const target = pickLeastLoaded(candidates);
      if (!target) {
        await store.setCameraWanted(fleet.db, cameraId, true, NO_CAPACITY);
        void fleet.views.publishCamera(cameraId, scope.tenantId);
        throw new HttpError(
          409,
          "No worker has free capacity; the camera stays wanted and is assigned when capacity appears. Start a worker with the command on the Workers page, or ask a platform admin for shared capacity",
        );
      }
      await fleet.placement.placeCamera(scope.tenantId, cameraId, target.id, "round-robin", camera.analysisFps);
      return;
    }
    const worker = fleet.requireWorker(scope.tenantId, input.workerId);
    if (current?.workerId === worker.id) return;
    if (!acceptsWork(worker.status, worker.maintenance, worker.link !== null)) {
      throw new HttpError(
        409,
        worker.maintenance
          ? `Worker ${worker.name} is in maintenance`
          : `Worker ${worker.name} is ${worker.link ? worker.status : "offline"}`,
      );
    }
    const candidate = candidates.find((c) => c.id === worker.id)!;
    if (freeSlots(candidate) <= 0)
      throw new HttpError(
        409,
        `Worker ${worker.name} has no free capacity (${candidate.assigned}/${candidate.capacity})`,
      );
    if (current) await fleet.placement.endCurrent([current], "released", "moved", null, true);
    await fleet.placement.placeCamera(
      scope.tenantId,
      cameraId,
      worker.id,
      current ? "moved" : "manual",
      camera.analysisFps,
    );
  });
  return (await fleet.cameraView(cameraId, scope.tenantId))!;
}

export async function releaseCamera(
  fleet: FleetManager,
  scope: TenantScope,
  cameraId: string,
): Promise<CameraFleetView> {
  assertRole(scope, "operator");
  await getCamera(scope, cameraId);
  await fleet.serial(async () => {
    await store.setCameraWanted(fleet.db, cameraId, false, null);
    const current = fleet.current.get(cameraId);
    if (current) await fleet.placement.endCurrent([current], "released", "released", null, true);
    else void fleet.views.publishCamera(cameraId, scope.tenantId);
  });
  return (await fleet.cameraView(cameraId, scope.tenantId))!;
}

export async function createCameraAndPlace(
  fleet: FleetManager,
  scope: TenantScope,
  input: CameraInput,
): Promise<Camera> {
  const camera = await createCamera(scope, input, { wantAssigned: fleet.config.AUTO_ASSIGN_CAMERAS });
  if (camera.wantAssigned) await fleet.placement.reconcile(scope.tenantId);
  return camera;
}

export async function updateCameraAndPlace(
  fleet: FleetManager,
  scope: TenantScope,
  cameraId: string,
  patch: z.input<typeof cameraPatchSchema>,
): Promise<Camera> {
  const camera = await updateCamera(scope, cameraId, patch);
  const current = fleet.current.get(cameraId);
  if (!camera.enabled && current)
    await fleet.serial(() => fleet.placement.endCurrent([current], "released", "camera-disabled", null, true));
  if (camera.enabled && camera.wantAssigned) await fleet.placement.reconcile(scope.tenantId);
  else void fleet.views.publishCamera(cameraId, scope.tenantId);
  return camera;
}

export async function deleteCameraAndRelease(fleet: FleetManager, scope: TenantScope, cameraId: string): Promise<void> {
  assertRole(scope, "operator");
  await getCamera(scope, cameraId);
  await fleet.serial(async () => {
    const current = fleet.current.get(cameraId);
    if (current) await fleet.placement.endCurrent([current], "released", "camera-deleted", null, true);
    await deleteCamera(scope, cameraId);
  });
}

export async function cameraAssignments(
  fleet: FleetManager,
  scope: TenantScope,
  cameraId: string,
): Promise<AssignmentView[]> {
  return store.listAssignments(fleet.db, scope.tenantId, { cameraId }, 20);
}

/** A4: maintenance takes no new cameras and hands its current ones to others. */
export async function setMaintenance(
  fleet: FleetManager,
  scope: TenantScope,
  workerId: string,
  on: boolean,
): Promise<WorkerView> {
  assertRole(scope, "operator");
  const state = await requireManagedWorker(fleet, scope, workerId);
  await fleet.serial(async () => {
    if (state.maintenance === on) return;
    const status = on ? "MAINTENANCE" : state.status === "OFFLINE" ? "OFFLINE" : "ONLINE";
    await fleet.registry.setStatus(state, status, on ? "maintenance on" : "maintenance off", on);
    if (on) {
      const mine = assignmentsOf(fleet.current.values(), workerId);
      await fleet.placement.endCurrent(mine, "released", "worker-maintenance", null, true);
    }
  });
  if (state.link)
    await fleet.commands.enqueue({
      tenantId: state.tenantId,
      workerId,
      type: "SET_MAINTENANCE",
      payload: { on },
      priority: 30,
    });
  // Its cameras (any tenant's, for a shared worker) move now; ending maintenance frees capacity for them.
  await (on ? fleet.placement.reconcileAll() : fleet.placement.capacityAppeared(state));
  return fleet.views.view(state, scope.tenantId);
}

export const commandInputSchema = z
  .object({
    type: commandTypeSchema,
    payload: z.record(z.string(), z.unknown()).refine(isStorableJson, JSON_TEXT_MESSAGE).default({}),
    priority: z.number().int().min(-100).max(100).default(0),
  })
  .strict();

/** W6 over REST. Assignment commands go through the camera endpoints so placement has one owner. */
export async function sendCommand(
  fleet: FleetManager,
  scope: TenantScope,
  workerId: string,
  input: z.infer<typeof commandInputSchema>,
): Promise<CommandView | WorkerView> {
  assertRole(scope, "operator");
  const state = await requireManagedWorker(fleet, scope, workerId);
  if (input.type === "ASSIGN_CAMERA" || input.type === "RELEASE_CAMERA") {
    throw badRequest(
      `Use POST /api/v1/cameras/{id}/${input.type === "ASSIGN_CAMERA" ? "assign" : "release"} for ${input.type}`,
    );
  }
  const parsed = commandSchema.safeParse({
    commandId: "00000000-0000-4000-8000-000000000000",
    type: input.type,
    payload: input.payload,
  });
  if (!parsed.success)
    throw badRequest(
      "Invalid command payload",
      parsed.error.issues.map((i) => ({ path: ["payload", ...i.path.slice(1)].join("."), message: i.message })),
    );
  if (parsed.data.type === "SET_MAINTENANCE") return setMaintenance(fleet, scope, workerId, parsed.data.payload.on);
  const row = await fleet.commands.enqueue({
    tenantId: state.tenantId,
    workerId,
    type: input.type,
    payload: parsed.data.payload,
    priority: input.priority,
  });
  return store.toCommandView(row);
}

export async function removeWorker(fleet: FleetManager, scope: TenantScope, workerId: string): Promise<void> {
  assertRole(scope, "admin");
  await requireManagedWorker(fleet, scope, workerId);
  await fleet.registry.remove(workerId);
}

/**
 * W8, issue 12: `shared` (platform admins only) makes the worker serve every tenant; otherwise it serves only this
 * tenant. A bare name is a tenant credential.
 */
export async function issueCredential(
  fleet: FleetManager,
  scope: TenantScope,
  input: string | z.infer<typeof credentialInputSchema>,
) {
  assertRole(scope, "admin");
  const { name, shared = false } = typeof input === "string" ? { name: input } : input;
  if (shared && !(await isPlatformAdmin(scope)))
    throw forbidden("Only a platform admin issues shared credentials (their workers serve every tenant)");
  return fleet.credentials.issue(scope.tenantId, name, scope.userId, { shared });
}

export async function revokeCredential(fleet: FleetManager, scope: TenantScope, credentialId: string) {
  assertRole(scope, "admin");
  if (!z.uuid().safeParse(credentialId).success) throw new HttpError(404, "Credential not found");
  if (fleet.credentials.isShared(credentialId) && !(await isPlatformAdmin(scope)))
    throw forbidden("This credential is shared by every tenant: only a platform admin can revoke it");
  const view = await fleet.credentials.revoke(scope.tenantId, credentialId, scope.userId);
  fleet.emit("credential-revoked", credentialId);
  return view;
}

export const credentialInputSchema = z
  .object({
    name: safeText().trim().min(1, "Name is required").max(100),
    shared: z.boolean().optional().describe("Serve every tenant (platform admins only); default false"),
  })
  .strict();
