// Shapes the fleet shows to people: REST responses, loader data and live socket.io events share them
// (docs/workers.md). No server imports: route components use these types too.
import type { CameraHealth, CommandType, WorkerStatus } from "../../protocol";

/** One camera as its worker reports it in heartbeats (W4, C4): stream state, analysed fps, decode latency... */
export type WorkerCameraHealth = CameraHealth;

/** T2: events waiting in the worker's on-disk spool; full = new events are being dropped (ADR 0011). */
export interface WorkerSpoolView {
  pendingEvents: number;
  bytes: number;
  full: boolean;
  droppedEvents: number;
}

export interface WorkerView {
  /** Server time (ms) this view was produced: live events and loader data merge newest-first. */
  at: number;
  id: string;
  name: string;
  host: string;
  version: string;
  status: WorkerStatus;
  connected: boolean;
  maintenance: boolean;
  capacity: number;
  assigned: number;
  lastSeenAt: string;
  registeredAt: string;
  heartbeatMs: number;
  cpuPercent: number | null;
  memoryMb: number | null;
  /** Mean analysis fps over its cameras (null until the media pipeline reports any). */
  fps: number | null;
  latencyMs: number | null;
  driftMs: number | null;
  credentialId: string | null;
  cameras: WorkerCameraHealth[];
  spool: WorkerSpoolView | null;
}

export type AssignmentState = "pending" | "active" | "released" | "failed";

export interface AssignmentView {
  id: string;
  cameraId: string;
  cameraName: string;
  workerId: string;
  workerName: string;
  state: AssignmentState;
  reason: string;
  error: string | null;
  createdAt: string;
  activatedAt: string | null;
  endedAt: string | null;
}

export interface CameraFleetView {
  /** Server time (ms) this view was produced (see WorkerView.at). */
  at: number;
  cameraId: string;
  tenantId: string;
  wantAssigned: boolean;
  note: string | null;
  assignment: AssignmentView | null;
}

export interface CommandView {
  id: string;
  workerId: string;
  type: CommandType;
  payload: Record<string, unknown>;
  priority: number;
  state: "queued" | "sent" | "acked" | "failed" | "timeout" | "cancelled";
  attempts: number;
  maxAttempts: number;
  error: string | null;
  createdAt: string;
  sentAt: string | null;
  ackedAt: string | null;
}

export interface StatusChangeView {
  time: string;
  status: string;
  reason: string | null;
}

export interface CredentialView {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface FleetStats {
  total: number;
  byStatus: Record<WorkerStatus, number>;
  capacity: number;
  assigned: number;
  cameras: { total: number; wanted: number; active: number; pending: number; unassigned: number };
}

/** Browser events (realtime.server.ts BrowserServerEvents) the fleet emits to tenant rooms. */
export interface FleetBrowserEvents {
  "fleet:worker": (worker: WorkerView) => void;
  "fleet:worker-removed": (event: { id: string }) => void;
  "fleet:camera": (camera: CameraFleetView) => void;
  "fleet:command": (command: CommandView) => void;
}
