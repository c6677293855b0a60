// The socket.io contract between the server and pages (SPEC A1, C1-C5, D3, P3): every event the server sends to
// pages, typed by name, and the requests pages send. Browser-safe (types only): realtime.server.ts emits with this map
// (its BrowserServerEvents is this type), the fleet's events come from app/fleet/views.ts, detection's from
// protocol/browser.ts.
import type { FleetBrowserEvents } from "~/fleet/views";
import type { DetectionBrowserEvents, DetectionBrowserRequests } from "../../protocol/browser";

export type CameraLiveStatusEvent = {
  cameraId: string;
  status: "live" | "offline" | "error";
  error?: string;
  /** Server ms: pages keep whichever of this and their loader data is newer. */
  at: number;
};

export type FacesStoredEvent = {
  cameraId: string;
  /** How many face events of this camera were newly stored (replays are not counted). */
  stored: number;
  /** The people they name (recognised / track end), no duplicates; unknown faces name no one. */
  personIds: string[];
};

/** Server -> browser events, by name. */
export interface BrowserEvents extends FleetBrowserEvents, DetectionBrowserEvents {
  audit: (event: { time: string; action: string; userId: string | null; details: unknown }) => void;
  "session:revoked": () => void;
  "productivity:events": (event: { stored: number; latest: string | null }) => void;
  "productivity:alert": (alert: { id: string; kind: string; message: string }) => void;
  "camera:status": (event: CameraLiveStatusEvent) => void;
  /** Issue 14: face events were stored for this camera (ids only, never a face or an embedding; attendance refreshes). */
  "faces:stored": (event: FacesStoredEvent) => void;
}

/** Browser -> server requests (with acks), by name. */
export type BrowserRequests = DetectionBrowserRequests;

export type BrowserEventName = keyof BrowserEvents;
export type BrowserEventPayload<E extends BrowserEventName> = Parameters<BrowserEvents[E]>[0];
