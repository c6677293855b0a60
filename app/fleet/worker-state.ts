// In-memory state of one known worker and of current assignments, owned by the FleetManager; pure helpers over them.
import type { Command, WorkerStatus } from "../../protocol";
import type { WorkerRow } from "./store.server";
import type { WorkerCameraHealth, WorkerSpoolView, WorkerView } from "./views";

/** What the manager may do to a connected worker; implemented by the socket.io namespace adapter. */
export interface WorkerLink {
  socketId: string;
  credentialId: string;
  connectedAt: number;
  send(command: Command): void;
  /** Credential revoked: emit v1:revoked, then disconnect. */
  revoke(reason: string): void;
  /** Worker removed by an admin: emit v1:removed, then disconnect. */
  remove(reason: string): void;
  disconnect(): void;
}

export interface WorkerState {
  id: string;
  tenantId: string;
  credentialId: string | null;
  name: string;
  host: string;
  version: string;
  capacity: number;
  /** Serves every tenant (shared credential); tenantId is then the tenant that issued the credential. */
  shared: boolean;
  status: WorkerStatus;
  maintenance: boolean;
  heartbeatMs: number;
  lastSeenMs: number;
  /** Set for workers loaded at server start: OFFLINE detection waits for it (time to reconnect). */
  graceUntilMs?: number;
  /** W11: when its socket closed; the sweep fails it over once WORKER_DISCONNECT_GRACE_MS passed. */
  disconnectedAtMs?: number;
  registeredAt: Date;
  metrics: {
    cpuPercent: number;
    memoryMb: number;
    cameras: WorkerCameraHealth[];
    load?: unknown;
    /** T2: the worker's on-disk event spool. */
    spool?: WorkerSpoolView;
  } | null;
  driftMs: number | null;
  link: WorkerLink | null;
  /** T2: the last heartbeat said the spool was full (logged once per episode). */
  spoolFull?: boolean;
  /** Heartbeat data not yet flushed to the database. */
  dirty: boolean;
}

/** A camera's pending or active assignment, as kept in memory (one per camera). */
export interface CurrentAssignment {
  id: string;
  tenantId: string;
  cameraId: string;
  workerId: string;
  state: "pending" | "active";
}

/** Pure: whether people of `tenantId` see this worker (its own tenant's, or a shared one). */
export function visibleTo(state: Pick<WorkerState, "tenantId" | "shared">, tenantId: string): boolean {
  return state.shared || state.tenantId === tenantId;
}

/** The current assignments one worker holds, in the order they were made. */
export function assignmentsOf(current: Iterable<CurrentAssignment>, workerId: string): CurrentAssignment[] {
  return [...current].filter((a) => a.workerId === workerId);
}

/** Current assignments per worker id. */
export function countByWorker(current: Iterable<CurrentAssignment>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const a of current) counts.set(a.workerId, (counts.get(a.workerId) ?? 0) + 1);
  return counts;
}

/** A worker known from the database at server start: not linked, OFFLINE detection waits until `graceUntilMs`. */
export function workerStateFromRow(row: WorkerRow, graceUntilMs: number): WorkerState {
  return {
    id: row.id,
    tenantId: row.tenantId,
    credentialId: row.credentialId,
    name: row.name,
    host: row.host,
    version: row.version,
    capacity: row.capacity,
    shared: row.shared,
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
  };
}

/**
 * The worker as `viewerTenantId` sees it. A shared worker runs several tenants' cameras: each tenant sees the
 * worker's load and its mean fps/latency, but only its own cameras' health and not the credential.
 */
export function toWorkerView(
  state: WorkerState,
  assigned: number,
  viewerTenantId: string = state.tenantId,
  tenantOfCamera: (cameraId: string) => string | undefined = () => viewerTenantId,
): WorkerView {
  const cams = state.metrics?.cameras ?? [];
  const own = state.shared ? cams.filter((c) => tenantOfCamera(c.cameraId) === viewerTenantId) : cams;
  const withLatency = cams.filter((c) => c.latencyMs !== null);
  return {
    at: Date.now(),
    id: state.id,
    name: state.name,
    host: state.host,
    version: state.version,
    shared: state.shared,
    status: state.status,
    connected: state.link !== null,
    maintenance: state.maintenance,
    capacity: state.capacity,
    assigned,
    lastSeenAt: new Date(state.lastSeenMs).toISOString(),
    registeredAt: state.registeredAt.toISOString(),
    heartbeatMs: state.heartbeatMs,
    cpuPercent: state.metrics?.cpuPercent ?? null,
    memoryMb: state.metrics?.memoryMb ?? null,
    fps: cams.some((c) => c.fps > 0) ? cams.reduce((sum, c) => sum + c.fps, 0) / cams.length : null,
    latencyMs: withLatency.length
      ? withLatency.reduce((sum, c) => sum + (c.latencyMs ?? 0), 0) / withLatency.length
      : null,
    driftMs: state.driftMs,
    credentialId: viewerTenantId === state.tenantId ? state.credentialId : null,
    cameras: own.map((c) => ({ ...c })),
    spool: state.metrics?.spool ?? null,
  };
}
