// Binding scene shapes to the productivity module (issue 13): pure edits of a draft scene, used by the scene editor.
// A zone bound to a workstation names its default worker; a line may count that workstation's product output.
// Unbinding a zone's workstation also unbinds the lines that counted its output (the scene schema refuses a line
// whose workstation has no zone).
import type { Scene, ZoneWorkstation } from "../../../protocol/scene";

export interface ProductivityOptions {
  workstations: Array<{ workstation_id: string; name: string }>;
  workers: Array<{ worker_id: string; name: string }>;
}

export function bindZone(scene: Scene, zoneId: string, binding: ZoneWorkstation | null): Scene {
  const before = scene.zones.find((z) => z.id === zoneId)?.workstation?.workstationId;
  const zones: Scene["zones"] = scene.zones.map((z) => {
    if (z.id !== zoneId) return z;
    const { workstation: _old, ...rest } = z;
    return binding ? { ...rest, workstation: binding } : rest;
  });
  const stillBound = new Set(zones.flatMap((z) => (z.workstation ? [z.workstation.workstationId] : [])));
  const lines =
    before && !stillBound.has(before)
      ? scene.lines.map((l) => (l.workstationId === before ? bindLineTo(l, null) : l))
      : scene.lines;
  return { lines, zones };
}

export function bindLine(scene: Scene, lineId: string, workstationId: string | null): Scene {
  return { ...scene, lines: scene.lines.map((l) => (l.id === lineId ? bindLineTo(l, workstationId) : l)) };
}

function bindLineTo<L extends Scene["lines"][number]>(line: L, workstationId: string | null): L {
  const { workstationId: _old, ...rest } = line;
  return (workstationId ? { ...rest, workstationId } : rest) as L;
}

/** Workstations bound to some zone of the draft: the ones a line can count output for. */
export function boundWorkstations(scene: Scene): string[] {
  return scene.zones.flatMap((z) => (z.workstation ? [z.workstation.workstationId] : []));
}
