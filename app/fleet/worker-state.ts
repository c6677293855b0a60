// In-memory state of one known worker, owned by the FleetManager.
import type { Command, WorkerStatus } from "../../protocol";
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

export function toWorkerView(state: WorkerState, assigned: number): WorkerView {
  const cams = state.metrics?.cameras ?? [];
  const withLatency = cams.filter((c) => c.latencyMs !== null);
  return {
    at: Date.now(),
    id: state.id,
    name: state.name,
    host: state.host,
    version: state.version,
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
    credentialId: state.credentialId,
    cameras: cams.map((c) => ({ ...c })),
    spool: state.metrics?.spool ?? null,
  };
}
