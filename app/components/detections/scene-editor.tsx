// Scene editor UI (C5): the pointer layer laid over the live video and the side panel with the tools, the list of
// lines and zones (rename, flip a line's direction, delete) and Save (a Remix action on the live page).
import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { Button, FormError } from "~/components/form";
import { sceneSchema, type Scene } from "../../../protocol/scene";
import type { SceneEditor } from "./use-scene-editor";
import { useProductivityOptions } from "./use-productivity-options";
import { LineOutputField, ZoneWorkstationFields } from "./workstation-binding-fields";
import type { ProductivityOptions } from "./workstation-binding";

/** Transparent layer over the video that takes the editor's clicks and drags (operators only). */
export function SceneEditorLayer({ editor }: { editor: SceneEditor }) {
  const placing = editor.mode !== "view";
  return (
    <div
      data-testid="scene-editor-layer"
      data-mode={editor.mode}
      role="application"
      aria-label={
        placing
          ? editor.mode === "line"
            ? "Click two points on the video to draw a counting line. Escape cancels."
            : "Click the zone's corners on the video; double-click or Enter closes it. Escape cancels."
          : "Scene editor: click a line or zone to select it, drag its ends or corners; arrow keys move it, Delete removes it."
      }
      tabIndex={0}
      className={`absolute inset-0 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-400 ${
        placing ? "cursor-crosshair touch-none" : editor.selectedId ? "touch-none" : ""
      }`}
      {...editor.layer}
    />
  );
}

type SaveResult = { ok?: boolean; error?: string; scene?: Scene };

/** Tools, the shapes list and Save. */
export function SceneEditorPanel({ editor }: { editor: SceneEditor }) {
  const fetcher = useFetcher<SaveResult>();
  // Issue 13: zones can be bound to the tenant's productivity workstations (offered when it has any).
  const productivity = useProductivityOptions(editor.editable);
  const [clientError, setClientError] = useState<string | null>(null);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const busy = fetcher.state === "submitting";
  const submitted = useRef<Scene | null>(null);
  // Saved once the action answers ok (the page's revalidation then brings the same scene back).
  useEffect(() => {
    if (fetcher.state === "submitting" || !fetcher.data?.ok || !submitted.current) return;
    editor.markSaved(submitted.current);
    submitted.current = null;
    setSavedAt(Date.now());
  }, [fetcher.state, fetcher.data, editor]);

  const save = () => {
    const parsed = sceneSchema.safeParse(editor.draft);
    if (!parsed.success) {
      setClientError(parsed.error.issues.map((i) => describeIssue(editor.draft, i.path, i.message)).join(" "));
      return;
    }
    setClientError(null);
    setSavedAt(null);
    submitted.current = parsed.data;
    fetcher.submit({ intent: "save-scene", scene: JSON.stringify(parsed.data) }, { method: "post" });
  };

  const { draft, mode, pending, selectedId } = editor;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap gap-2" role="toolbar" aria-label="Scene tools">
        <Button
          type="button"
          variant={mode === "line" ? "primary" : "secondary"}
          aria-pressed={mode === "line"}
          onClick={() => (mode === "line" ? editor.cancel() : editor.start("line"))}
        >
          Add line
        </Button>
        <Button
          type="button"
          variant={mode === "zone" ? "primary" : "secondary"}
          aria-pressed={mode === "zone"}
          onClick={() => (mode === "zone" ? editor.cancel() : editor.start("zone"))}
        >
          Add zone
        </Button>
        {mode === "zone" ? (
          <Button
            type="button"
            variant="secondary"
            onClick={editor.closePolygon}
            disabled={pending.length > 0 && pending.length < 3}
          >
            {pending.length === 0 ? "Add default zone" : "Close polygon"}
          </Button>
        ) : null}
        {mode === "line" && pending.length === 0 ? (
          <Button type="button" variant="secondary" onClick={() => editor.addDefaultLine()}>
            Add default line
          </Button>
        ) : null}
        {mode !== "view" ? (
          <Button type="button" variant="secondary" onClick={editor.cancel}>
            Cancel
          </Button>
        ) : null}
      </div>
      <p className="text-xs text-slate-600" aria-live="polite" data-testid="scene-editor-hint">
        {mode === "line"
          ? pending.length === 0
            ? "Click where the line starts on the video."
            : "Click where the line ends. Walking from start to end, the right-hand side is “in”."
          : mode === "zone"
            ? pending.length < 3
              ? `Click the zone's corners on the video (${pending.length} placed, at least 3).`
              : `${pending.length} corners: double-click, press Enter, click the first corner or “Close polygon” to finish.`
            : "Select a line or zone on the video to drag its ends or corners. Escape deselects, Delete removes."}
      </p>
      {draft.lines.length === 0 && draft.zones.length === 0 ? (
        <p className="text-sm text-slate-500">No counting lines or zones yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Lines and zones">
          {draft.lines.map((line) => (
            <ShapeRow
              key={line.id}
              kind="line"
              id={line.id}
              name={line.name}
              selected={selectedId === line.id}
              editor={editor}
              productivity={productivity}
            />
          ))}
          {draft.zones.map((zone) => (
            <ShapeRow
              key={zone.id}
              kind="zone"
              id={zone.id}
              name={zone.name}
              selected={selectedId === zone.id}
              editor={editor}
              productivity={productivity}
            />
          ))}
        </ul>
      )}
      <div className="flex flex-wrap items-center gap-2">
        <Button type="button" onClick={save} disabled={busy || !editor.dirty}>
          {busy ? "Saving…" : "Save scene"}
        </Button>
        <Button type="button" variant="secondary" onClick={editor.reset} disabled={busy || !editor.dirty}>
          Discard changes
        </Button>
        <span className="text-xs" aria-live="polite" data-testid="scene-save-state">
          {editor.dirty ? (
            <span className="text-amber-700">Unsaved changes</span>
          ) : savedAt && fetcher.data?.ok ? (
            <span className="text-emerald-700">Saved. Workers count with it now.</span>
          ) : null}
        </span>
      </div>
      <FormError message={clientError ?? (busy ? null : fetcher.data?.error)} />
    </div>
  );
}

function ShapeRow({
  kind,
  id,
  name,
  selected,
  editor,
  productivity,
}: {
  kind: "line" | "zone";
  id: string;
  name: string;
  selected: boolean;
  editor: SceneEditor;
  productivity: ProductivityOptions | null;
}) {
  const inputId = `shape-name-${id}`;
  return (
    <li
      data-testid={`scene-${kind}`}
      data-id={id}
      className={`flex flex-wrap items-center gap-2 py-2 ${selected ? "bg-indigo-50/60" : ""}`}
    >
      <button
        type="button"
        onClick={() => editor.select(selected ? null : id)}
        aria-pressed={selected}
        className="rounded px-1.5 py-0.5 text-xs font-semibold tracking-wide text-slate-500 uppercase ring-1 ring-slate-200 hover:bg-slate-50"
        aria-label={`Select ${kind} ${name}`}
      >
        {kind}
      </button>
      <label htmlFor={inputId} className="sr-only">
        {kind === "line" ? "Line name" : "Zone name"}
      </label>
      <input
        id={inputId}
        value={name}
        maxLength={60}
        onChange={(e) => editor.rename(id, e.target.value)}
        onFocus={() => editor.select(id)}
        aria-invalid={name.trim() === "" ? true : undefined}
        className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1 text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500 focus:outline-none"
      />
      {kind === "line" ? (
        <button
          type="button"
          onClick={() => editor.flip(id)}
          className="rounded-md px-2 py-1 text-xs font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
          aria-label={`Flip direction of ${name}`}
        >
          ⇄ Flip
        </button>
      ) : null}
      <button
        type="button"
        onClick={() => editor.remove(id)}
        className="rounded-md px-2 py-1 text-xs font-medium text-red-700 ring-1 ring-red-200 hover:bg-red-50"
        aria-label={`Delete ${kind} ${name}`}
      >
        Delete
      </button>
      {productivity?.workstations.length ? (
        kind === "zone" ? (
          <ZoneWorkstationFields editor={editor} zoneId={id} options={productivity} />
        ) : (
          <LineOutputField editor={editor} lineId={id} />
        )
      ) : null}
    </li>
  );
}

function describeIssue(scene: Scene, path: PropertyKey[], message: string): string {
  const [group, index, field] = path;
  const shape =
    group === "lines" ? scene.lines[Number(index)] : group === "zones" ? scene.zones[Number(index)] : undefined;
  if (!shape) return message.endsWith(".") ? message : `${message}.`;
  const what = `${group === "lines" ? "Line" : "Zone"} “${shape.name || "unnamed"}”`;
  if (field === "name") return `${what} needs a name.`;
  return `${what}: ${message}.`;
}
