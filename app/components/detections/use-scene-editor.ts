// Scene editor state (C5): a draft of the camera's counting lines and zones edited on the live view. Points are
// placed by clicking the video (two for a line; three or more for a zone, closed by double-click, Enter, clicking
// the first point or "Close polygon"); ends and vertices are dragged; Escape cancels, Delete removes the selection,
// arrow keys move it. The draft is pushed to the overlay renderer (drawn at once); drags and the pointer's hover
// go to the renderer directly and reach React state only when a drag ends.
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from "react";
import type { LiveVideoHandle } from "~/components/live-video";
import type { Point, Scene } from "../../../protocol/scene";
import { distanceToSegment, newSceneId, pointInPolygon, toElement, toNormalised } from "./geometry";

export type EditorMode = "view" | "line" | "zone";
const HANDLE_RADIUS_PX = 12;
const LINE_HIT_PX = 10;

type Drag = { shapeId: string; index: number; scene: Scene };

export function useSceneEditor({
  saved,
  video,
  editable,
}: {
  saved: Scene;
  video: React.RefObject<LiveVideoHandle | null>;
  editable: boolean;
}) {
  const [draft, setDraft] = useState<Scene>(saved);
  const [mode, setMode] = useState<EditorMode>("view");
  const [pending, setPending] = useState<Point[]>([]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const hover = useRef<Point | null>(null);
  const drag = useRef<Drag | null>(null);
  const savedKey = JSON.stringify(saved);
  // What the server has: the loader's scene, or the one a save just stored (before the loader runs again).
  const [baseline, setBaseline] = useState(savedKey);
  const dirty = JSON.stringify(draft) !== baseline;
  const baselineRef = useRef(baseline);
  baselineRef.current = baseline;

  // A newly loaded scene replaces the draft unless there are unsaved edits.
  const lastSaved = useRef(savedKey);
  useEffect(() => {
    if (lastSaved.current === savedKey) return;
    lastSaved.current = savedKey;
    const previous = baselineRef.current;
    setDraft((current) => (JSON.stringify(current) === previous ? (JSON.parse(savedKey) as Scene) : current));
    setBaseline(savedKey);
  }, [savedKey]);

  const markSaved = useCallback((scene: Scene) => setBaseline(JSON.stringify(scene)), []);

  const push = useCallback(
    (scene: Scene = drag.current?.scene ?? draft) => {
      const overlay = video.current?.overlay();
      if (!overlay) return;
      overlay.setScene(scene);
      overlay.setEditor({
        selectedId,
        pending: mode === "view" ? null : { kind: mode, points: pending, hover: hover.current },
      });
    },
    [video, draft, selectedId, mode, pending],
  );
  // LiveVideo (a child) creates the renderer in its own effect, which runs before this one.
  useEffect(() => push(), [push]);

  const cancel = useCallback(() => {
    setMode("view");
    setPending([]);
    hover.current = null;
  }, []);

  const start = useCallback((next: Exclude<EditorMode, "view">) => {
    setMode(next);
    setPending([]);
    setSelectedId(null);
    hover.current = null;
  }, []);

  const addLine = useCallback((a: Point, b: Point) => {
    const id = newSceneId("line");
    setDraft((s) => ({ ...s, lines: [...s.lines, { id, name: nextName("Line", s.lines), a, b }] }));
    setSelectedId(id);
    setMode("view");
    setPending([]);
  }, []);

  const addZone = useCallback((polygon: Point[]) => {
    const id = newSceneId("zone");
    setDraft((s) => ({ ...s, zones: [...s.zones, { id, name: nextName("Zone", s.zones), polygon }] }));
    setSelectedId(id);
    setMode("view");
    setPending([]);
  }, []);

  /** A vertical line across the middle (keyboard alternative to clicking two points). */
  const addDefaultLine = useCallback(() => addLine({ x: 0.5, y: 0.2 }, { x: 0.5, y: 0.9 }), [addLine]);

  /** Finishes the zone being drawn (needs three points); with none placed, adds a default rectangle. */
  const closePolygon = useCallback(() => {
    if (mode !== "zone") return;
    if (pending.length >= 3) addZone(pending);
    else if (pending.length === 0)
      addZone([
        { x: 0.3, y: 0.3 },
        { x: 0.7, y: 0.3 },
        { x: 0.7, y: 0.7 },
        { x: 0.3, y: 0.7 },
      ]);
  }, [mode, pending, addZone]);

  const remove = useCallback((id: string) => {
    setDraft((s) => ({ lines: s.lines.filter((l) => l.id !== id), zones: s.zones.filter((z) => z.id !== id) }));
    setSelectedId((current) => (current === id ? null : current));
  }, []);

  const rename = useCallback((id: string, name: string) => {
    setDraft((s) => ({
      lines: s.lines.map((l) => (l.id === id ? { ...l, name } : l)),
      zones: s.zones.map((z) => (z.id === id ? { ...z, name } : z)),
    }));
  }, []);

  /** A whole new draft from a pure edit (workstation bindings, issue 13). */
  const replaceDraft = useCallback((next: Scene) => setDraft(next), []);

  const flip = useCallback((id: string) => {
    setDraft((s) => ({ ...s, lines: s.lines.map((l) => (l.id === id ? { ...l, a: l.b, b: l.a } : l)) }));
  }, []);

  const move = useCallback((id: string, dx: number, dy: number) => {
    const shift = (p: Point): Point => ({
      x: Math.round(Math.min(1, Math.max(0, p.x + dx)) * 10_000) / 10_000,
      y: Math.round(Math.min(1, Math.max(0, p.y + dy)) * 10_000) / 10_000,
    });
    setDraft((s) => ({
      lines: s.lines.map((l) => (l.id === id ? { ...l, a: shift(l.a), b: shift(l.b) } : l)),
      zones: s.zones.map((z) => (z.id === id ? { ...z, polygon: z.polygon.map(shift) } : z)),
    }));
  }, []);

  const reset = useCallback(() => {
    setDraft(JSON.parse(baseline) as Scene);
    setSelectedId(null);
    cancel();
  }, [baseline, cancel]);

  // Pointer input on the layer over the video (element pixels relative to the layer).
  const locate = (e: PointerEvent<HTMLElement> | React.MouseEvent<HTMLElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const rect = video.current?.contentRect() ?? { x: 0, y: 0, width: box.width, height: box.height };
    const x = e.clientX - box.left;
    const y = e.clientY - box.top;
    return { x, y, rect, point: toNormalised(x, y, rect) };
  };

  const onClick = (e: React.MouseEvent<HTMLElement>) => {
    if (mode === "view") return;
    const { x, y, rect, point } = locate(e);
    const last = pending[pending.length - 1];
    // The second click of a double-click lands on the same spot: not a new point.
    if (last && Math.hypot(last.x - point.x, last.y - point.y) < 0.005) return;
    if (mode === "line") {
      if (pending.length === 1) addLine(pending[0]!, point);
      else setPending([point]);
      return;
    }
    const first = pending[0];
    if (first && pending.length >= 3) {
      const p = toElement(first, rect);
      if (Math.hypot(p.x - x, p.y - y) <= HANDLE_RADIUS_PX) return addZone(pending);
    }
    if (pending.length < 32) setPending([...pending, point]);
  };

  const onDoubleClick = () => {
    if (mode === "zone" && pending.length >= 3) addZone(pending);
  };

  const onPointerDown = (e: PointerEvent<HTMLElement>) => {
    if (mode !== "view" || e.button !== 0) return;
    const { x, y, rect } = locate(e);
    const hit = hitTest(draft, selectedId, x, y, rect);
    setSelectedId(hit?.shapeId ?? null);
    if (hit && hit.index >= 0) {
      e.currentTarget.setPointerCapture(e.pointerId);
      drag.current = { shapeId: hit.shapeId, index: hit.index, scene: draft };
      e.preventDefault();
    }
  };

  const onPointerMove = (e: PointerEvent<HTMLElement>) => {
    if (mode !== "view") {
      hover.current = locate(e).point;
      push();
      return;
    }
    const current = drag.current;
    if (!current) return;
    const { point } = locate(e);
    current.scene = movePoint(current.scene, current.shapeId, current.index, point);
    push(current.scene);
  };

  const onPointerUp = () => {
    const current = drag.current;
    if (!current) return;
    drag.current = null;
    setDraft(current.scene);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (!editable) return;
    const target = e.target as HTMLElement;
    const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
    if (e.key === "Escape") {
      if (mode !== "view") cancel();
      else setSelectedId(null);
      return;
    }
    if (typing) return;
    if (e.key === "Enter" && mode === "zone") {
      e.preventDefault();
      closePolygon();
    } else if (e.key === "Enter" && mode === "line" && pending.length === 0 && target.tagName !== "BUTTON") {
      e.preventDefault();
      addDefaultLine();
    } else if ((e.key === "Delete" || e.key === "Backspace") && selectedId && mode === "view") {
      e.preventDefault();
      remove(selectedId);
    } else if (selectedId && mode === "view" && e.key.startsWith("Arrow")) {
      e.preventDefault();
      const step = e.shiftKey ? 0.05 : 0.01;
      const [dx, dy] = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[
        e.key
      ] ?? [0, 0];
      move(selectedId, dx!, dy!);
    }
  };

  const layer = { onClick, onDoubleClick, onPointerDown, onPointerMove, onPointerUp, onPointerCancel: onPointerUp };

  return {
    draft,
    dirty,
    mode,
    pending,
    selectedId,
    editable,
    layer,
    select: setSelectedId,
    start,
    cancel,
    addDefaultLine,
    closePolygon,
    remove,
    rename,
    replaceDraft,
    flip,
    reset,
    onKeyDown,
    markSaved,
  };
}
export type SceneEditor = ReturnType<typeof useSceneEditor>;

function nextName(prefix: string, existing: Array<{ name: string }>): string {
  const names = new Set(existing.map((e) => e.name));
  for (let n = existing.length + 1; ; n++) if (!names.has(`${prefix} ${n}`)) return `${prefix} ${n}`;
}

/** A handle (index >= 0: line end 0/1 or zone vertex) or a shape body (index -1) under (x, y), or null. */
function hitTest(
  scene: Scene,
  selectedId: string | null,
  x: number,
  y: number,
  rect: { x: number; y: number; width: number; height: number },
): { shapeId: string; index: number } | null {
  const near = (p: Point) => {
    const q = toElement(p, rect);
    return Math.hypot(q.x - x, q.y - y) <= HANDLE_RADIUS_PX;
  };
  // Handles: the selected shape's first, then any shape's.
  const shapes = [
    ...scene.lines.map((l) => ({ id: l.id, points: [l.a, l.b] })),
    ...scene.zones.map((z) => ({ id: z.id, points: z.polygon })),
  ].sort((a, b) => Number(b.id === selectedId) - Number(a.id === selectedId));
  for (const shape of shapes) {
    const index = shape.points.findIndex(near);
    if (index >= 0) return { shapeId: shape.id, index };
  }
  const p = { x, y };
  for (const line of scene.lines)
    if (distanceToSegment(p, toElement(line.a, rect), toElement(line.b, rect)) <= LINE_HIT_PX)
      return { shapeId: line.id, index: -1 };
  const normalised = toNormalised(x, y, rect);
  for (const zone of [...scene.zones].reverse())
    if (pointInPolygon(normalised, zone.polygon)) return { shapeId: zone.id, index: -1 };
  return null;
}

function movePoint(scene: Scene, shapeId: string, index: number, point: Point): Scene {
  return {
    lines: scene.lines.map((l) => (l.id !== shapeId ? l : index === 0 ? { ...l, a: point } : { ...l, b: point })),
    zones: scene.zones.map((z) =>
      z.id !== shapeId ? z : { ...z, polygon: z.polygon.map((p, i) => (i === index ? point : p)) },
    ),
  };
}
