// Live counts (V4) and the export link (V5) of the dashboard. New crossings arrive as `detections:stored`; the ones
// that match the current filters are added to the loaded result by the model's pure applyLiveEvent, only while the
// range ends at now (a preset relative to now): a past range does not move.
import { useEffect, useState } from "react";
import { useRealtime } from "~/components/use-realtime";
import { applyLiveEvent, matchesVccQuery } from "~/models/vcc/live-filter";
import { vccQueryToParams } from "~/models/vcc/params";
import type { VccQuery, VccResult } from "~/models/vcc/types";

/** The CSV of exactly what is on screen: the resolved range, bucket, zone and filters (V5). */
export function csvHref(query: VccQuery): string {
  return `/api/v1/analytics/vcc.csv?${vccQueryToParams(query).toString()}`;
}

export function useLiveVcc(
  loaded: VccResult,
  live: boolean,
  cameras: Array<{ id: string; siteId: string | null }>,
): { result: VccResult; connected: boolean } {
  const [result, setResult] = useState(loaded);
  // New loader data (navigation, revalidation) replaces what the live events built on.
  useEffect(() => setResult(loaded), [loaded]);
  const connected = useRealtime({
    "detections:stored": ({ events }) => {
      if (!live) return;
      const siteOf = new Map(cameras.map((c) => [c.id, c.siteId]));
      setResult((current) => {
        let next = current;
        for (const event of events) {
          const site = siteOf.get(event.cameraId) ?? null;
          if (matchesVccQuery(event, next.query, site)) next = applyLiveEvent(next, event, site);
        }
        return next;
      });
    },
  });
  return { result, connected };
}
