// Live fleet state in the browser (A1, A3): start from loader data, patch with socket.io events, and
// reset whenever the loader runs again (navigation, revalidation after an action).
import { useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useRealtime } from "~/components/use-realtime";
import type { CameraFleetView, CommandView, MetricSampleView, WorkerView } from "~/fleet/views";
import { appendSample, sampleOfView } from "./metric-history";

/** `initial` must be stable between renders (loader data, or memoised): a new array re-merges it. */
export function useLiveWorkers(initial: WorkerView[]): { workers: WorkerView[]; connected: boolean } {
  const [workers, setWorkers] = useState(initial);
  // Loader data can be older than events already applied: keep whichever view is newer.
  useEffect(
    () =>
      setWorkers((live) => {
        const byId = new Map(live.map((w) => [w.id, w]));
        return initial.map((w) => {
          const seen = byId.get(w.id);
          return seen && seen.at > w.at ? seen : w;
        });
      }),
    [initial],
  );
  const connected = useRealtime({
    "fleet:worker": (w: WorkerView) =>
      setWorkers((list) => {
        const i = list.findIndex((x) => x.id === w.id);
        if (i !== -1 && list[i].at > w.at) return list;
        if (i === -1) return [...list, w].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
        const next = list.slice();
        next[i] = w;
        return next;
      }),
    "fleet:worker-removed": ({ id }: { id: string }) => setWorkers((list) => list.filter((w) => w.id !== id)),
  });
  return { workers, connected };
}

export function useLivePlacements(
  initial: Record<string, CameraFleetView | null>,
): Record<string, CameraFleetView | null> {
  const [placements, setPlacements] = useState(initial);
  useEffect(
    () =>
      setPlacements((live) => {
        const merged: Record<string, CameraFleetView | null> = {};
        for (const [id, view] of Object.entries(initial)) {
          const seen = live[id];
          merged[id] = seen && (!view || seen.at > view.at) ? seen : view;
        }
        return merged;
      }),
    [initial],
  );
  useRealtime({
    "fleet:camera": (p: CameraFleetView) =>
      setPlacements((all) => (all[p.cameraId] && all[p.cameraId]!.at > p.at ? all : { ...all, [p.cameraId]: p })),
  });
  return placements;
}

/** Re-runs the loader (debounced) when fleet events concern this page. */
export function useRevalidateOn(match: { workerId?: string; cameraId?: string }): void {
  const revalidator = useRevalidator();
  const navigating = useRef(false);
  navigating.current = useNavigation().state !== "idle";
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const schedule = () => {
    clearTimeout(timer.current);
    // A navigation under way loads fresh data anyway; revalidating would restart it, and the restarted load finds
    // one-shot state already read (the flash of a redirect: deleting a camera lost its "Camera deleted").
    timer.current = setTimeout(() => navigating.current || revalidator.revalidate(), 250);
  };
  useEffect(() => () => clearTimeout(timer.current), []);
  useRealtime({
    "fleet:command": (c: CommandView) => (!match.workerId || c.workerId === match.workerId) && schedule(),
    "fleet:camera": (p: CameraFleetView) =>
      (!match.cameraId || p.cameraId === match.cameraId || p.assignment?.workerId === match.workerId) && schedule(),
  });
}

/** A2: the worker's stats history from the loader, grown by each live heartbeat of that worker. */
export function useLiveSamples(initial: MetricSampleView[], worker: WorkerView, windowMs: number): MetricSampleView[] {
  const [samples, setSamples] = useState(initial);
  useEffect(() => setSamples(initial), [initial]);
  useEffect(() => setSamples((list) => appendSample(list, sampleOfView(worker), windowMs)), [worker, windowMs]);
  return samples;
}
