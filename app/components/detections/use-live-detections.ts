// Live detections in the browser (C3, D3, D5): watch cameras (camera:watch on mount and after every reconnect,
// camera:unwatch on unmount), hand each detections:live message to its camera's overlay renderer, keep a slow-moving
// detector status for the page (mode, ms, scene warning; re-rendered on change or once a second, never per frame),
// and move running totals with detections:stored.
import { useEffect, useMemo, useRef, useState, type RefObject } from "react";
import type { LiveVideoHandle } from "~/components/live-video";
import { getRealtimeSocket, useRealtime } from "~/components/use-realtime";
import type { StoredEventView } from "../../../protocol/browser";
import type { LiveDetections } from "../../../protocol/events";
import type { SceneTotals } from "./overlay-renderer";

/** Joins the live-detections room of each camera while mounted; returns the last watch error, if any. */
export function useCameraWatch(cameraIds: readonly string[]): string | null {
  const [error, setError] = useState<string | null>(null);
  const key = cameraIds.join(",");
  useEffect(() => {
    const ids = key ? key.split(",") : [];
    if (ids.length === 0) return;
    const socket = getRealtimeSocket();
    let active = true;
    const watch = () => {
      for (const cameraId of ids)
        socket.emit("camera:watch", { cameraId }, (reply) => {
          if (active) setError(reply?.ok ? null : (reply?.error ?? "cannot watch this camera"));
        });
    };
    if (socket.connected) watch();
    socket.on("connect", watch);
    return () => {
      active = false;
      socket.off("connect", watch);
      if (socket.connected) for (const cameraId of ids) socket.emit("camera:unwatch", { cameraId }, () => undefined);
    };
  }, [key]);
  return error;
}

export interface DetectorStatus {
  /** No detections:live for a while: the worker is not analysing this camera (or detection is off). */
  state: "waiting" | "receiving" | "stale";
  mode: LiveDetections["mode"] | null;
  warning: LiveDetections["warning"];
  detectorMs: number | null;
  objects: number;
  /** Issue 14 (C3, D6): who the worker recognised in this frame (names, sorted) and how many faces it did not know. */
  faces: FacesInView;
}

export interface FacesInView {
  known: string[];
  unknown: number;
}

const NO_FACES: FacesInView = { known: [], unknown: 0 };

/** Pure: the recognised names (once each, sorted) and unknown faces among a frame's live objects. */
export function facesInView(objects: LiveDetections["objects"]): FacesInView {
  const known = new Set<string>();
  let unknown = 0;
  for (const o of objects) {
    if (o.known === true && o.label) known.add(o.label);
    else if (o.known === false) unknown += 1;
  }
  return known.size || unknown ? { known: [...known].sort((a, b) => a.localeCompare(b)), unknown } : NO_FACES;
}

const sameFaces = (a: FacesInView, b: FacesInView) =>
  a.unknown === b.unknown && a.known.length === b.known.length && a.known.every((n, i) => n === b.known[i]);

const STALE_AFTER_MS = 3000;
const INITIAL_STATUS: DetectorStatus = {
  state: "waiting",
  mode: null,
  warning: null,
  detectorMs: null,
  objects: 0,
  faces: NO_FACES,
};

/**
 * Routes detections:live for these cameras to their LiveVideo overlays (by ref) and returns each camera's detector
 * status. Boxes go straight to the renderer; React state changes at most about once a second per camera.
 */
export function useLiveDetections(
  videos: Readonly<Record<string, RefObject<LiveVideoHandle | null>>>,
): Record<string, DetectorStatus> {
  const [statuses, setStatuses] = useState<Record<string, DetectorStatus>>({});
  const last = useRef(new Map<string, { status: DetectorStatus; shownAt: number; receivedAt: number }>());
  const videosRef = useRef(videos);
  videosRef.current = videos;
  useRealtime({
    "detections:live": (live) => {
      const video = videosRef.current[live.cameraId];
      if (!video) return;
      video.current?.overlay()?.setLive(live);
      const now = performance.now();
      const status: DetectorStatus = {
        state: "receiving",
        mode: live.mode,
        warning: live.warning,
        detectorMs: live.detectorMs,
        objects: live.objects.length,
        faces: facesInView(live.objects),
      };
      const previous = last.current.get(live.cameraId);
      const changed =
        !previous ||
        previous.status.state !== "receiving" ||
        previous.status.mode !== status.mode ||
        previous.status.warning !== status.warning ||
        !sameFaces(previous.status.faces, status.faces);
      if (changed || now - previous.shownAt >= 1000) {
        last.current.set(live.cameraId, { status, shownAt: now, receivedAt: now });
        setStatuses((all) => ({ ...all, [live.cameraId]: status }));
      } else previous.receivedAt = now;
    },
  });
  // The worker stopped sending: say so (its boxes have faded already).
  useEffect(() => {
    const timer = setInterval(() => {
      const now = performance.now();
      for (const [cameraId, entry] of last.current) {
        if (entry.status.state !== "receiving" || now - entry.receivedAt < STALE_AFTER_MS) continue;
        entry.status = { ...entry.status, state: "stale", objects: 0, faces: NO_FACES };
        entry.shownAt = now;
        setStatuses((all) => ({ ...all, [cameraId]: entry.status }));
      }
    }, 1000);
    return () => clearInterval(timer);
  }, []);
  return useMemo(() => {
    const all: Record<string, DetectorStatus> = {};
    for (const id of Object.keys(videos)) all[id] = statuses[id] ?? INITIAL_STATUS;
    return all;
  }, [videos, statuses]);
}

/**
 * Running totals: the loader's (counted up to `asOf`) plus detections:stored events for this camera committed since.
 * When the loader runs again its totals replace the base and only newer events are kept on top.
 */
export function useRunningTotals(cameraId: string, base: SceneTotals, asOf: string): SceneTotals {
  const [events, setEvents] = useState<Map<string, StoredEventView>>(new Map());
  useEffect(() => {
    setEvents((current) => new Map([...current].filter(([, e]) => Date.parse(e.time) > Date.parse(asOf))));
  }, [asOf]);
  useRealtime({
    "detections:stored": ({ cameraId: id, events: stored }) => {
      if (id !== cameraId) return;
      const counted = stored.filter((e) => e.cameraId === cameraId && Date.parse(e.time) > Date.parse(asOf));
      if (counted.length === 0) return;
      setEvents((current) => {
        const next = new Map(current);
        for (const e of counted) next.set(e.eventId, e);
        return next;
      });
    },
  });
  return useMemo(() => addEvents(base, events.values()), [base, events]);
}

/** base + the crossings and zone enters/exits among `events` (pure; exported for tests). */
export function addEvents(base: SceneTotals, events: Iterable<StoredEventView>): SceneTotals {
  const totals: SceneTotals = {
    lines: Object.fromEntries(
      Object.entries(base.lines).map(([id, t]) => [
        id,
        {
          ...t,
          byClass: Object.fromEntries(Object.entries(t.byClass ?? {}).map(([c, ct]) => [c, { ...ct }])),
        },
      ]),
    ),
    zones: Object.fromEntries(Object.entries(base.zones).map(([id, t]) => [id, { ...t }])),
  };
  for (const e of events) {
    if (e.type === "line_crossing" && e.lineId && e.direction) {
      const line = (totals.lines[e.lineId] ??= { in: 0, out: 0, byClass: {} });
      line[e.direction] += 1;
      if (e.class) ((line.byClass ??= {})[e.class] ??= { in: 0, out: 0 })[e.direction] += 1;
    } else if (e.type === "zone_enter" && e.zoneId) {
      (totals.zones[e.zoneId] ??= { enter: 0, exit: 0 }).enter += 1;
    } else if (e.type === "zone_exit" && e.zoneId) {
      (totals.zones[e.zoneId] ??= { enter: 0, exit: 0 }).exit += 1;
    }
  }
  return totals;
}
