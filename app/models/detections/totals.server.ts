// Running totals for a camera's live page (SPEC D3): line crossings in/out per line (and per class) and zone
// enters/exits per zone
// since a given time, from detection_events (raw rows: the window is short and the (tenant, camera, corrected_utc)
// index covers it; the continuous aggregates are for analytics ranges).
import { and, count, eq, gte, inArray } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { detectionEvents } from "../../../db/schema";
import type { TenantScope } from "../scope.server";

export interface CameraTotals {
  /** Per line id, with the split per class. */
  lines: Record<string, { in: number; out: number; byClass: Record<string, { in: number; out: number }> }>;
  /** Per zone id: objects that entered and left. */
  zones: Record<string, { enter: number; exit: number }>;
}

/** Totals for one camera of the scope's tenant since `since` (by corrected_utc). */
export async function getCameraTotals(
  db: Db,
  scope: TenantScope,
  cameraId: string,
  since: Date,
): Promise<CameraTotals> {
  const rows = await db
    .select({
      type: detectionEvents.type,
      lineId: detectionEvents.lineId,
      zoneId: detectionEvents.zoneId,
      direction: detectionEvents.direction,
      class: detectionEvents.class,
      events: count(),
    })
    .from(detectionEvents)
    .where(
      and(
        eq(detectionEvents.tenantId, scope.tenantId),
        eq(detectionEvents.cameraId, cameraId),
        gte(detectionEvents.correctedUtc, since),
        inArray(detectionEvents.type, ["line_crossing", "zone_enter", "zone_exit"]),
      ),
    )
    .groupBy(
      detectionEvents.type,
      detectionEvents.lineId,
      detectionEvents.zoneId,
      detectionEvents.direction,
      detectionEvents.class,
    );
  const totals: CameraTotals = { lines: {}, zones: {} };
  for (const row of rows) {
    const n = Number(row.events);
    if (row.type === "line_crossing" && row.lineId && row.direction) {
      const line = (totals.lines[row.lineId] ??= { in: 0, out: 0, byClass: {} });
      line[row.direction] += n;
      if (row.class) (line.byClass[row.class] ??= { in: 0, out: 0 })[row.direction] += n;
    } else if ((row.type === "zone_enter" || row.type === "zone_exit") && row.zoneId) {
      const zone = (totals.zones[row.zoneId] ??= { enter: 0, exit: 0 });
      if (row.type === "zone_enter") zone.enter += n;
      else zone.exit += n;
    }
  }
  return totals;
}
