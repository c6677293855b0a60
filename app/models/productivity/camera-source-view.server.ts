// Where each workstation's events come from and what it is doing now (issue 13, SPEC P3): for the productivity
// dashboard. Sources are the camera zones bound to it (from the cameras' scenes, even before any event) and the
// origins of its events of the last 7 days (camera zone, on-device, external API). The live state is its latest
// working/idle/absent event, current while it is younger than two state durations (a source re-affirms its state
// every duration). Only events are read: no pixels are stored anywhere (C6).
import { sql } from "drizzle-orm";
import { readScene } from "../detections/scenes.server";
import { rowsOf } from "./ingest.server";
import type { ProductivityScope } from "./scope";
import { getSettings } from "./settings.server";

export type SourceKind = "camera" | "device" | "api";

export interface WorkstationSourceView {
  sources: Array<{ kind: SourceKind; label: string; lastEventAt: string | null }>;
  live: { state: "working" | "idle" | "absent"; at: string; kind: SourceKind; current: boolean } | null;
}

const RECENT = sql.raw("interval '7 days'");

export async function workstationSources(
  scope: ProductivityScope,
  now = new Date(),
): Promise<Record<string, WorkstationSourceView>> {
  const [cameraRows, sourceRows, latestRows, settings] = await Promise.all([
    scope.db.execute(sql`SELECT id, name, scene FROM cameras WHERE tenant_id = ${scope.tenantId}::uuid`),
    scope.db.execute(sql`
      SELECT workstation_id, source, source_ref, max(time) AS last_at FROM productivity_events
      WHERE tenant_id = ${scope.tenantId}::uuid AND time > ${now.toISOString()}::timestamptz - ${RECENT}
      GROUP BY 1, 2, 3`),
    scope.db.execute(sql`
      SELECT DISTINCT ON (workstation_id) workstation_id, event_type, time, source FROM productivity_events
      WHERE tenant_id = ${scope.tenantId}::uuid AND event_type <> 'product_count'
        AND time > ${now.toISOString()}::timestamptz - ${RECENT}
      ORDER BY workstation_id, time DESC`),
    getSettings(scope),
  ]);
  const out: Record<string, WorkstationSourceView> = {};
  const entry = (id: string) => (out[id] ??= { sources: [], live: null });
  const cameraLabel = new Map<string, string>();
  for (const c of rowsOf<{ id: string; name: string; scene: unknown }>(cameraRows)) {
    for (const zone of readScene(c.scene).zones) {
      const label = `${c.name} · ${zone.name}`;
      cameraLabel.set(`${c.id}/${zone.id}`, label);
      if (zone.workstation)
        entry(zone.workstation.workstationId).sources.push({ kind: "camera", label, lastEventAt: null });
    }
  }
  for (const r of rowsOf<{
    workstation_id: string;
    source: SourceKind;
    source_ref: string | null;
    last_at: string | Date;
  }>(sourceRows)) {
    if (!r.workstation_id) continue;
    const lastEventAt = new Date(r.last_at).toISOString();
    const label =
      r.source === "camera"
        ? (cameraLabel.get(r.source_ref ?? "") ?? "Camera zone (removed)")
        : r.source === "device"
          ? "On-device"
          : "External API";
    const sources = entry(r.workstation_id).sources;
    const known = sources.find((s) => s.kind === r.source && s.label === label);
    if (known) known.lastEventAt = max(known.lastEventAt, lastEventAt);
    else sources.push({ kind: r.source, label, lastEventAt });
  }
  const freshMs = 2 * settings.state_duration_seconds * 1000;
  for (const r of rowsOf<{
    workstation_id: string;
    event_type: "working" | "idle" | "absent";
    time: string | Date;
    source: SourceKind;
  }>(latestRows)) {
    if (!r.workstation_id) continue;
    const at = new Date(r.time);
    entry(r.workstation_id).live = {
      state: r.event_type,
      at: at.toISOString(),
      kind: r.source,
      current: now.getTime() - at.getTime() <= freshMs,
    };
  }
  return out;
}

const max = (a: string | null, b: string) => (a && a > b ? a : b);
