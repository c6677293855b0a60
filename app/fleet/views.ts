// Shapes the fleet shows to people: REST responses, loader data and live socket.io events share them
// (docs/workers.md). No server imports: route components use these types too. The shapes live events carry are
// in protocol/browser.ts (the server -> browser contract) and re-exported here.
import type { WorkerStatus } from "../../protocol";

export type {
  AssignmentState,
  AssignmentView,
  CameraFleetView,
  CommandView,
  FleetBrowserEvents,
  MetricSampleView,
  WorkerCameraHealth,
  WorkerSpoolView,
  WorkerView,
} from "../../protocol/browser";

export interface StatusChangeView {
  time: string;
  status: string;
  reason: string | null;
}

export interface CredentialView {
  id: string;
  name: string;
  prefix: string;
  /** Its worker serves every tenant (A3): issued by a platform admin, or the built-in local worker's. */
  shared: boolean;
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
