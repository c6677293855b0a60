// Server <-> browser events for detection (SPEC C3, C5, D3, V4) on the default socket.io namespace (realtime.server.ts).
// Live boxes go only to browsers watching that camera (room camera:<id>, joined with "camera:watch" after a tenant
// check); stored events go to the tenant room so counts and dashboards move without reload.
import { z } from "zod";
import { uuidSchema } from "./common";
import type { CrossingDirection, DetectionEventType, LiveDetections } from "./events";

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
