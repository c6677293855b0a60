// Draws the detection overlay (C3, C5, D3) on a canvas over an object-contain video: tracked boxes from the latest
// detections:live (faded out when the worker stops sending), counting lines with an arrow to their "in" side and
// their totals, zones with their live occupancy, and the scene editor's selection and unfinished shape. Pages push
// data in with set*(); a requestAnimationFrame loop (LiveVideo) calls frame(), which redraws only when something
// changed, the element was resized, or boxes are fading. No React state is touched per frame.
import type { LiveDetections, LiveObject } from "../../../protocol/events";
import type { Point, Scene } from "../../../protocol/scene";
import { boxAnchor, containRect, inSideNormal, pointInPolygon, toElement, type Rect } from "./geometry";

/** Boxes are fully drawn this long after their message, then fade out over FADE_MS (the worker stopped). */
export const BOX_HOLD_MS = 1000;
const FADE_MS = 500;

export const KNOWN_COLOR = "#16a34a";
export const UNKNOWN_COLOR = "#dc2626";
/** Neutral colours per class (never green or red: those mean recognised / unknown). */
export const CLASS_COLORS: Record<string, string> = {
  person: "#38bdf8",
  bicycle: "#facc15",
  car: "#a78bfa",
  motorcycle: "#fb923c",
  bus: "#f472b6",
  truck: "#2dd4bf",
};
export const OTHER_CLASS_COLOR = "#e2e8f0";
const LINE_COLOR = "#fbbf24";
const ZONE_COLOR = "99, 102, 241";
const SELECTED_COLOR = "#ffffff";

export function objectColor(object: Pick<LiveObject, "known" | "class">): string {
  if (object.known === true) return KNOWN_COLOR;
  if (object.known === false) return UNKNOWN_COLOR;
  return CLASS_COLORS[object.class] ?? OTHER_CLASS_COLOR;
}

export function objectLabel(object: LiveObject): string {
  const name = object.label ? `${object.label} (${object.class})` : object.class;
  return `${name} #${object.trackId} ${Math.round(object.confidence * 100)}%`;
}

export interface SceneTotals {
  /** Per line: in/out, and the same split per class (D3: counts per class and direction). */
  lines: Record<string, { in: number; out: number; byClass?: Record<string, { in: number; out: number }> }>;
  zones: Record<string, { enter: number; exit: number }>;
}

export interface EditorOverlay {
  selectedId: string | null;
  /** Points placed so far for a new line or zone, and where the pointer is. */
  pending: { kind: "line" | "zone"; points: Point[]; hover: Point | null } | null;
}

export class OverlayRenderer {
  private live: LiveDetections | null = null;
  private receivedAt = 0;
  private scene: Scene = { lines: [], zones: [] };
  private totals: SceneTotals | null = null;
  private editor: EditorOverlay = { selectedId: null, pending: null };
  private dirty = true;
  private size = "";
  private drawnObjects = -1;
  private fontSize = 12;

  constructor(private readonly canvas: HTMLCanvasElement) {}

  setLive(live: LiveDetections): void {
    this.live = live;
    this.receivedAt = performance.now();
    this.dirty = true;
  }

  setScene(scene: Scene): void {
    this.scene = scene;
    this.dirty = true;
  }

  setTotals(totals: SceneTotals | null): void {
    this.totals = totals;
    this.dirty = true;
  }

  setEditor(editor: EditorOverlay): void {
    this.editor = editor;
    this.dirty = true;
  }

  /** Live occupancy of each zone: current (not stale) objects whose anchor is inside it. */
  zoneOccupancy(now = performance.now()): Record<string, number> {
    const counts: Record<string, number> = {};
    const objects = this.live && now - this.receivedAt < BOX_HOLD_MS ? this.live.objects : [];
    for (const zone of this.scene.zones)
      counts[zone.id] = objects.filter(
        (o) => (!zone.classes || zone.classes.includes(o.class)) && pointInPolygon(boxAnchor(o.box), zone.polygon),
      ).length;
    return counts;
  }

  /** Called every animation frame; draws only when needed. */
  frame(video: HTMLVideoElement | null, now = performance.now()): void {
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    const size = `${width}x${height}x${video?.videoWidth ?? 0}x${video?.videoHeight ?? 0}`;
    const age = now - this.receivedAt;
    // Keep drawing while boxes fade, and until the frame that cleared them (data-objects back to 0).
    const fading = this.live !== null && (age < BOX_HOLD_MS + FADE_MS || this.drawnObjects > 0);
    if (!this.dirty && size === this.size && !fading) return;
    this.dirty = false;
    this.size = size;
    this.draw(width, height, containRect(width, height, video?.videoWidth ?? 0, video?.videoHeight ?? 0), now);
  }

  private draw(width: number, height: number, rect: Rect, now: number): void {
    const dpr = typeof window === "undefined" ? 1 : window.devicePixelRatio || 1;
    const pixelWidth = Math.round(width * dpr);
    const pixelHeight = Math.round(height * dpr);
    if (this.canvas.width !== pixelWidth || this.canvas.height !== pixelHeight) {
      this.canvas.width = pixelWidth;
      this.canvas.height = pixelHeight;
    }
    const ctx = this.canvas.getContext("2d");
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    this.fontSize = Math.round(Math.max(11, Math.min(14, rect.width / 48)));
    ctx.font = `600 ${this.fontSize}px ui-sans-serif, system-ui, sans-serif`;
    ctx.lineJoin = "round";
    const occupancy = this.zoneOccupancy(now);
    for (const zone of this.scene.zones) this.drawZone(ctx, zone, rect, occupancy[zone.id] ?? 0);
    for (const line of this.scene.lines) this.drawLine(ctx, line, rect);
    const drawn = this.drawBoxes(ctx, rect, now);
    this.drawPending(ctx, rect);
    if (drawn !== this.drawnObjects) {
      this.drawnObjects = drawn;
      this.canvas.dataset.objects = String(drawn);
    }
  }

  private drawBoxes(ctx: CanvasRenderingContext2D, rect: Rect, now: number): number {
    if (!this.live) return 0;
    const age = now - this.receivedAt;
    const alpha = age <= BOX_HOLD_MS ? 1 : Math.max(0, 1 - (age - BOX_HOLD_MS) / FADE_MS);
    if (alpha <= 0) return 0;
    ctx.save();
    ctx.globalAlpha = alpha;
    ctx.lineWidth = 2;
    for (const object of this.live.objects) {
      const [x1, y1, x2, y2] = object.box;
      const p1 = toElement({ x: x1, y: y1 }, rect);
      const p2 = toElement({ x: x2, y: y2 }, rect);
      const color = objectColor(object);
      ctx.strokeStyle = color;
      ctx.strokeRect(p1.x, p1.y, p2.x - p1.x, p2.y - p1.y);
      const label = objectLabel(object);
      const fontSize = this.fontSize;
      const textWidth = ctx.measureText(label).width + 6;
      const labelY = p1.y - fontSize - 4 >= rect.y ? p1.y - fontSize - 4 : p1.y;
      // Kept inside the frame: a box at the right edge gets its label shifted left.
      const labelX = Math.max(rect.x, Math.min(p1.x - 1, rect.x + rect.width - textWidth));
      ctx.fillStyle = color;
      ctx.fillRect(labelX, labelY, textWidth, fontSize + 4);
      ctx.fillStyle = object.known === undefined ? "#0f172a" : "#ffffff";
      ctx.textBaseline = "top";
      ctx.textAlign = "left";
      ctx.fillText(label, labelX + 3, labelY + 2);
    }
    ctx.restore();
    return this.live.objects.length;
  }

  private drawLine(ctx: CanvasRenderingContext2D, line: Scene["lines"][number], rect: Rect): void {
    const a = toElement(line.a, rect);
    const b = toElement(line.b, rect);
    const selected = this.editor.selectedId === line.id;
    ctx.save();
    ctx.strokeStyle = "rgba(15, 23, 42, 0.7)";
    ctx.lineWidth = selected ? 7 : 5;
    strokeSegment(ctx, a, b);
    ctx.strokeStyle = selected ? SELECTED_COLOR : LINE_COLOR;
    ctx.lineWidth = selected ? 4 : 3;
    strokeSegment(ctx, a, b);
    // Arrow from the middle toward the "in" side.
    const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    const n = inSideNormal(a, b);
    const tip = { x: mid.x + n.x * 26, y: mid.y + n.y * 26 };
    ctx.lineWidth = 3;
    strokeSegment(ctx, mid, tip);
    ctx.fillStyle = selected ? SELECTED_COLOR : LINE_COLOR;
    ctx.beginPath();
    ctx.moveTo(tip.x + n.x * 8, tip.y + n.y * 8);
    ctx.lineTo(tip.x - n.y * 7, tip.y + n.x * 7);
    ctx.lineTo(tip.x + n.y * 7, tip.y - n.x * 7);
    ctx.closePath();
    ctx.fill();
    ctx.textBaseline = "middle";
    ctx.textAlign = "center";
    drawTag(ctx, "in", tip.x + n.x * 20, tip.y + n.y * 20, this.fontSize, LINE_COLOR, "#0f172a");
    const totals = this.totals ? (this.totals.lines[line.id] ?? { in: 0, out: 0 }) : null;
    const text = totals ? `${line.name}: in ${totals.in} · out ${totals.out}` : line.name;
    // The label sits on the "out" side, clear of the arrow: pushed out by half its width as well when the line is
    // upright (a wide label would otherwise lie across the line).
    const away = 22 + (Math.abs(n.x) * (ctx.measureText(text).width + 10)) / 2;
    drawTag(ctx, text, mid.x - n.x * away, mid.y - n.y * away, this.fontSize, "rgba(15, 23, 42, 0.85)", "#ffffff");
    if (selected) for (const p of [a, b]) drawHandle(ctx, p);
    ctx.restore();
  }

  private drawZone(ctx: CanvasRenderingContext2D, zone: Scene["zones"][number], rect: Rect, occupancy: number): void {
    const points = zone.polygon.map((p) => toElement(p, rect));
    const selected = this.editor.selectedId === zone.id;
    ctx.save();
    ctx.beginPath();
    points.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)));
    ctx.closePath();
    ctx.fillStyle = `rgba(${ZONE_COLOR}, ${selected ? 0.3 : 0.18})`;
    ctx.fill();
    ctx.strokeStyle = selected ? SELECTED_COLOR : `rgba(${ZONE_COLOR}, 0.9)`;
    ctx.lineWidth = selected ? 3 : 2;
    ctx.stroke();
    const centre = points.reduce((c, p) => ({ x: c.x + p.x / points.length, y: c.y + p.y / points.length }), {
      x: 0,
      y: 0,
    });
    ctx.textBaseline = "middle";
    ctx.textAlign = "center";
    const entries = this.totals?.zones[zone.id]?.enter;
    const text = `${zone.name}: ${occupancy} now${entries !== undefined ? ` · ${entries} entered` : ""}`;
    drawTag(ctx, text, centre.x, centre.y, this.fontSize, `rgba(${ZONE_COLOR}, 0.95)`, "#ffffff");
    if (selected) for (const p of points) drawHandle(ctx, p);
    ctx.restore();
  }

  private drawPending(ctx: CanvasRenderingContext2D, rect: Rect): void {
    const pending = this.editor.pending;
    if (!pending) return;
    const points = [...pending.points, ...(pending.hover ? [pending.hover] : [])].map((p) => toElement(p, rect));
    ctx.save();
    ctx.setLineDash([6, 4]);
    ctx.strokeStyle = SELECTED_COLOR;
    ctx.lineWidth = 2;
    if (points.length > 1) {
      ctx.beginPath();
      points.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)));
      if (pending.kind === "zone" && points.length > 2) ctx.closePath();
      ctx.stroke();
    }
    ctx.setLineDash([]);
    for (const p of points.slice(0, pending.points.length)) drawHandle(ctx, p);
    ctx.restore();
  }
}

function strokeSegment(ctx: CanvasRenderingContext2D, a: { x: number; y: number }, b: { x: number; y: number }) {
  ctx.beginPath();
  ctx.moveTo(a.x, a.y);
  ctx.lineTo(b.x, b.y);
  ctx.stroke();
}

function drawHandle(ctx: CanvasRenderingContext2D, p: { x: number; y: number }) {
  ctx.beginPath();
  ctx.arc(p.x, p.y, 6, 0, Math.PI * 2);
  ctx.fillStyle = "#ffffff";
  ctx.fill();
  ctx.lineWidth = 2;
  ctx.strokeStyle = "#4f46e5";
  ctx.stroke();
}

/** Text on a rounded background, centred on (x, y) (textAlign center, textBaseline middle set by the caller). */
function drawTag(
  ctx: CanvasRenderingContext2D,
  text: string,
  x: number,
  y: number,
  fontSize: number,
  background: string,
  color: string,
) {
  const width = ctx.measureText(text).width + 10;
  const height = fontSize + 6;
  ctx.fillStyle = background;
  ctx.beginPath();
  ctx.roundRect(x - width / 2, y - height / 2, width, height, 4);
  ctx.fill();
  ctx.fillStyle = color;
  ctx.fillText(text, x, y + 1);
}
