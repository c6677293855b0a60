// Server <-> browser events for detection (SPEC C3, C5, D3, V4) on the default socket.io namespace (realtime.server.ts).
// Live boxes go only to browsers watching that camera (room camera:<id>, joined with "camera:watch" after a tenant
// check); stored events go to the tenant room so counts and dashboards move without reload.
import { z } from "zod";
import { uuidSchema } from "./common";
import type { CrossingDirection, DetectionEventType, LiveDetections } from "./events";
import type { CameraHealth, CommandType, WorkerStatus } from "./worker";

export const cameraWatchSchema = z.object({ cameraId: uuidSchema }).strict();
export type CameraWatch = z.infer<typeof cameraWatchSchema>;

/** A stored event as pages need it to move counters (no envelope audit fields). */
export interface StoredEventView {
  eventId: string;
  type: DetectionEventType;
  cameraId: string;
  /** ISO time the server orders by (corrected_utc). */
  time: string;
  class: string | null;
  trackId: number | null;
  lineId: string | null;
  zoneId: string | null;
  direction: CrossingDirection | null;
  dwellMs: number | null;
  warning: string | null;
}

export interface DetectionBrowserEvents {
  /** C3: the worker's current boxes for one watched camera. */
  "detections:live": (event: LiveDetections) => void;
  /** D3, V4: events just committed to the database (after the worker's batch was acked). */
  "detections:stored": (event: { cameraId: string; events: StoredEventView[] }) => void;
}

export interface DetectionBrowserRequests {
  /** Join the camera's live-detections room (the camera must be in the socket's tenant). */
  "camera:watch": (message: CameraWatch, ack: (reply: { ok: boolean; error?: string }) => void) => void;
  "camera:unwatch": (message: CameraWatch, ack: (reply: { ok: boolean }) => void) => void;
}

export const cameraRoom = (cameraId: string) => `camera:${cameraId}`;

// ---- Worker fleet (SPEC A1-A3; app/fleet) ----

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
  /** Serves every tenant (a platform admin's worker or the built-in one); only platform admins manage it. */
  shared: boolean;
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
  /** Null for a shared worker seen from another tenant. */
  credentialId: string | null;
  /** Only the viewing tenant's cameras (a shared worker also runs other tenants'). */
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

/** A2: one heartbeat's stats, for the worker page's charts (time in ms since epoch). */
export interface MetricSampleView {
  time: number;
  cpuPercent: number | null;
  memoryMb: number | null;
  fps: number | null;
  latencyMs: number | null;
}

/**
 * A1-A3: fleet events the server emits to tenant rooms (app/realtime.server.ts), consumed by the typed useRealtime:
 * a worker's status, maintenance, connection, load and stats change (at once, not at the next page load), a camera's
 * placement, a command's ack state.
 */
export interface FleetBrowserEvents {
  "fleet:worker": (worker: WorkerView) => void;
  "fleet:worker-removed": (event: { id: string }) => void;
  "fleet:camera": (camera: CameraFleetView) => void;
  "fleet:command": (command: CommandView) => void;
}
