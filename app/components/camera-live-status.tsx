// A camera's live status as the SFU sees it (SPEC C1): live, offline, or error (an RTSP camera the server cannot
// ingest, with why; the reason never carries the URL's credentials). Kept current by camera:status events.
import { useRevalidator } from "@remix-run/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { useRealtime } from "~/components/use-realtime";

export type CameraLiveStatus = "live" | "offline" | "error";
export interface CameraLiveState {
  status: CameraLiveStatus;
  error: string | null;
  /** Server ms when this was true (loader data and camera:status events merge newest-first). */
  at: number;
}

/**
 * Live states per camera id: the loader's, updated by camera:status events, whichever is newer per camera. Once the
 * page's socket is connected the loader runs again, so an event sent before the socket joined is not missed.
 */
export function useCameraLiveStates(initial: Record<string, CameraLiveState>): Record<string, CameraLiveState> {
  const [events, setEvents] = useState<Record<string, CameraLiveState>>({});
  const connected = useRealtime({
    "camera:status": (event: { cameraId: string; status: CameraLiveStatus; error?: string; at: number }) =>
      setEvents((current) => ({
        ...current,
        [event.cameraId]: {
          status: event.status,
          error: event.status === "error" ? (event.error ?? null) : null,
          at: event.at,
        },
      })),
  });
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  useEffect(() => {
    if (connected) revalidate.current();
  }, [connected]);
  return useMemo(() => {
    const merged = { ...initial };
    for (const [id, state] of Object.entries(events)) if (!merged[id] || state.at > merged[id].at) merged[id] = state;
    return merged;
  }, [initial, events]);
}

/** "● live" / "○ offline" / a red "error" badge with the reason next to it (read out with the status). */
export function CameraLiveBadge({ state, showReason = true }: { state: CameraLiveState; showReason?: boolean }) {
  if (state.status === "error") {
    return (
      <span data-testid="camera-live-status" data-status="error" className="inline-flex flex-wrap items-center gap-1">
        <span
          className="rounded-full bg-red-50 px-2 py-0.5 font-medium text-red-700 ring-1 ring-red-200"
          title={state.error ?? undefined}
        >
          <span aria-hidden="true">● </span>error
        </span>
        {showReason && state.error ? (
          <span data-testid="camera-live-error" className="break-all text-red-700">
            <span className="sr-only">: </span>
            {state.error}
          </span>
        ) : null}
      </span>
    );
  }
  const live = state.status === "live";
  return (
    <span
      data-testid="camera-live-status"
      data-status={state.status}
      className={live ? "font-medium text-emerald-700" : ""}
    >
      <span aria-hidden="true">{live ? "● " : "○ "}</span>
      {live ? "live" : "offline"}
    </span>
  );
}

/** How each camera kind is named on the pages (C1, O1). */
export const CAMERA_KIND_LABELS: Record<"browser" | "rtsp" | "demo", string> = {
  browser: "Browser camera (WebRTC publish)",
  rtsp: "IP camera (RTSP)",
  demo: "Demo clip (played by the server)",
};
