// The scene editor's workstation selects (issue 13): under a zone, the workstation it watches and who works there;
// under a line, the workstation whose product output it counts (crossings "in").
import { DEFAULT_WORKSTATION_THRESHOLDS, type Scene } from "../../../protocol/scene";
import type { SceneEditor } from "./use-scene-editor";
import { bindLine, bindZone, boundWorkstations, type ProductivityOptions } from "./workstation-binding";

const selectClass =
  "rounded-md border border-slate-300 px-2 py-1 text-xs focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500 focus:outline-none";

export function ZoneWorkstationFields({
  editor,
  zoneId,
  options,
}: {
  editor: SceneEditor;
  zoneId: string;
  options: ProductivityOptions;
}) {
  const zone = editor.draft.zones.find((z) => z.id === zoneId);
  if (!zone) return null;
  const binding = zone.workstation;
  const edit = (next: Scene) => editor.replaceDraft(next);
  return (
    <div
      className="flex w-full flex-wrap items-center gap-2 pl-12 text-xs text-slate-600"
      data-testid="zone-workstation"
    >
      <label className="flex items-center gap-1">
        Workstation
        <select
          className={selectClass}
          value={binding?.workstationId ?? ""}
          onChange={(e) => {
            const workstationId = e.target.value;
            const workerId = binding?.workerId ?? options.workers[0]?.worker_id;
            edit(
              bindZone(
                editor.draft,
                zoneId,
                workstationId && workerId ? { ...binding, workstationId, workerId } : null,
              ),
            );
          }}
        >
          <option value="">None</option>
          {options.workstations.map((s) => (
            <option key={s.workstation_id} value={s.workstation_id}>
              {s.name} ({s.workstation_id})
            </option>
          ))}
        </select>
      </label>
      {binding ? (
        <label className="flex items-center gap-1">
          Worker
          <select
            className={selectClass}
            value={binding.workerId}
            onChange={(e) => edit(bindZone(editor.draft, zoneId, { ...binding, workerId: e.target.value }))}
          >
            {options.workers.map((w) => (
              <option key={w.worker_id} value={w.worker_id}>
                {w.name} ({w.worker_id})
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {binding ? (
        <label
          className="flex items-center gap-1"
          title="Share of moved pixels in the person's box (2 s mean) at or above which they count as working"
        >
          Working at activity ≥
          <input
            type="number"
            min={0.01}
            max={1}
            step={0.01}
            className={`${selectClass} w-20`}
            value={binding.thresholds?.activeThreshold ?? DEFAULT_WORKSTATION_THRESHOLDS.activeThreshold}
            onChange={(e) => {
              const value = Number(e.target.value);
              if (!(value >= 0.001 && value <= 1)) return;
              const { activeThreshold: _old, ...others } = binding.thresholds ?? {};
              const thresholds =
                value === DEFAULT_WORKSTATION_THRESHOLDS.activeThreshold
                  ? others
                  : { ...others, activeThreshold: value };
              const { thresholds: _t, ...rest } = binding;
              edit(bindZone(editor.draft, zoneId, Object.keys(thresholds).length ? { ...rest, thresholds } : rest));
            }}
          />
        </label>
      ) : options.workers.length === 0 ? (
        <span>Add a worker in Productivity first.</span>
      ) : null}
    </div>
  );
}

export function LineOutputField({ editor, lineId }: { editor: SceneEditor; lineId: string }) {
  const line = editor.draft.lines.find((l) => l.id === lineId);
  const bound = boundWorkstations(editor.draft);
  if (!line || (!bound.length && !line.workstationId)) return null;
  return (
    <div className="flex w-full items-center gap-2 pl-12 text-xs text-slate-600" data-testid="line-output">
      <label className="flex items-center gap-1">
        Counts output of
        <select
          className={selectClass}
          value={line.workstationId ?? ""}
          onChange={(e) => editor.replaceDraft(bindLine(editor.draft, lineId, e.target.value || null))}
        >
          <option value="">No workstation</option>
          {bound.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
