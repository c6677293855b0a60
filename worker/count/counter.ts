// Line crossings and zone occupancy per camera (SPEC D3, D4): pure functions over tracked objects in normalised
// coordinates, emitting events only on state changes (a crossing, a zone enter or exit), never per frame.
//
//   createCounterState(options?: CounterOptions): CounterState      // one per camera, opaque
//   updateCounts(state, { objects, ended, scene, classes, nowMs, anchor? }): CountEvent[]
//   lineTotals(state): Map<lineId, { in: number; out: number }>      // lines of the last scene seen
//   zoneOccupancy(state): Map<zoneId, number>                        // zones of the last scene seen
//
// Lines. The anchor (bottom-centre of the box by default) is compared with each line. Walking from a to b, the
// right-hand side on screen (y down) is "in" (protocol/scene.ts). Per track and line the counter remembers the side
// the track is *committed* to: a side is committed only once the anchor is at least `lineMargin` beyond the line.
// A crossing is counted when the anchor commits to the other side AND its most recent move over the line (previous
// observed anchor -> current, the move on which its sign changed) met the line within the segment a..b. Hence:
//  - jitter of an anchor sitting on the line never counts (it never gets a margin beyond on the other side),
//    nor does a parked vehicle straddling it (supervision #518);
//  - passing the infinite line beyond a segment end commits the new side silently (supervision #1838);
//  - it is the track's previous vs current position that counts, never a single frame's side or region membership:
//    a track first seen on one side (or on the line) is not counted until it crosses, and a track moving along the
//    line never commits to the other side (ultralytics PR #9998);
//  - in then back out counts one "in" and one "out"; in/in is impossible (the committed side alternates).
// Re-acquired ids (ultralytics #14291): a new id starts with no side memory, so when the tracker loses an object near
// the line and re-acquires it under a new id on the far side (or on the line), the new id does not count again. What
// this layer cannot do is recognise that a new id is the same physical object: a new id first committed more than
// the margin back on the near side and then crossing is counted, once more; and a crossing split between two ids
// right at the line (the old id lost within the margin, the new one first seen there) is missed, since neither id
// was seen committed on both sides. Keeping ids through occlusions is the tracker's job (its maxLostMs).
// A coasting object (the tracker's prediction, not an observation) updates nothing: its crossing is decided when it
// is observed again, from its last observed anchor. Editing a line (moving a or b) resets that line's side memory;
// its totals are kept. Classes outside `classes` (or the line's own `classes`) are followed but never counted.
//
// Zones. An anchor inside the polygon by at least `zoneMargin` from the outline, on `zoneMinUpdates` consecutive
// observations, enters the zone (zone_enter); outside by the margin as many times, it exits (zone_exit with dwellMs
// from the first inside observation to the first outside one). A track that ends inside a zone exits at once with
// dwellMs up to when it was last observed. A track that stops appearing without being listed in `ended` is treated as
// ended after `forgetAfterMs`. Removing a zone from the scene drops its memory without events.
import type { NormalisedBox, Point, Scene } from "../../protocol";
import { anchorOf, crossingFraction, distanceToOutline, pointInPolygon, signedDistance, type Anchor } from "./geometry";

export interface CountObject {
  trackId: number;
  class: string;
  confidence: number;
  box: NormalisedBox /* [x1,y1,x2,y2] 0..1 */;
  /** The tracker's prediction for an unmatched track: followed, but not an observation (default false). */
  coasting?: boolean;
}

export type CountEvent =
  | {
      type: "line_crossing";
      trackId: number;
      class: string;
      confidence: number;
      lineId: string;
      direction: "in" | "out";
    }
  | { type: "zone_enter"; trackId: number; class: string; confidence: number; zoneId: string }
  | { type: "zone_exit"; trackId: number; class: string; confidence: number; zoneId: string; dwellMs: number };

export interface CounterOptions {
  /** Normalised distance beyond a line before the anchor commits to that side (default 0.015, ~10 px at 640). */
  lineMargin?: number;
  /** Normalised distance from a zone's outline that counts as neither inside nor outside (default 0.01). */
  zoneMargin?: number;
  /** Consecutive observations inside (outside) before a zone enter (exit) (default 2). */
  zoneMinUpdates?: number;
  /** A track absent from `objects` this long without being `ended` is ended anyway (default 10 s). */
  forgetAfterMs?: number;
}

export interface CountInput {
  objects: CountObject[];
  /** trackIds gone */
  ended: number[];
  scene: Scene;
  classes: ReadonlySet<string>;
  nowMs: number;
  anchor?: Anchor;
}

/** Opaque per-camera memory; only this module reads it. */
export interface CounterState {
  readonly kind: "counter-state";
}

type Side = "in" | "out";

interface LineMemory {
  committed: Side | null;
  /** Sign of the last reading off the line (0 = none yet). */
  sign: -1 | 0 | 1;
  /** Whether the latest sign change happened within the segment; null = none since the last commit. */
  crossedSegment: boolean | null;
}

interface ZoneMemory {
  inside: boolean;
  /** Whether zone_enter was emitted (the class was counted there): only then is zone_exit emitted. */
  announced: boolean;
  enteredMs: number;
  streak: number;
  streakStartMs: number;
}

interface TrackMemory {
  anchor: Point | null;
  class: string;
  confidence: number;
  lastObservedMs: number;
  lastListedMs: number;
  lines: Map<string, LineMemory>;
  zones: Map<string, ZoneMemory>;
}

interface State extends CounterState {
  options: Required<CounterOptions>;
  tracks: Map<number, TrackMemory>;
  /** Geometry of each line when its memory was made, to notice edits. */
  lineShapes: Map<string, string>;
  totals: Map<string, { in: number; out: number }>;
  zoneIds: string[];
}

const DEFAULTS: Required<CounterOptions> = {
  lineMargin: 0.015,
  zoneMargin: 0.01,
  zoneMinUpdates: 2,
  forgetAfterMs: 10_000,
};

export function createCounterState(options: CounterOptions = {}): CounterState {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const state: State = {
    kind: "counter-state",
    options: { ...DEFAULTS, ...defined },
    tracks: new Map(),
    lineShapes: new Map(),
    totals: new Map(),
    zoneIds: [],
  };
  return state;
}

export function lineTotals(state: CounterState): Map<string, { in: number; out: number }> {
  return new Map([...(state as State).totals].map(([id, t]) => [id, { ...t }]));
}

export function zoneOccupancy(state: CounterState): Map<string, number> {
  const s = state as State;
  const occupancy = new Map(s.zoneIds.map((id) => [id, 0]));
  for (const track of s.tracks.values()) {
    for (const [zoneId, zone] of track.zones) {
      if (zone.inside && zone.announced && occupancy.has(zoneId)) occupancy.set(zoneId, occupancy.get(zoneId)! + 1);
    }
  }
  return occupancy;
}

export function updateCounts(state: CounterState, input: CountInput): CountEvent[] {
  const s = state as State;
  const { scene, nowMs, classes } = input;
  const events: CountEvent[] = [];
  syncScene(s, scene);

  const seen = new Set<number>();
  for (const object of input.objects) {
    if (seen.has(object.trackId)) continue;
    seen.add(object.trackId);
    let track = s.tracks.get(object.trackId);
    if (!track) {
      track = {
        anchor: null,
        class: object.class,
        confidence: object.confidence,
        lastObservedMs: nowMs,
        lastListedMs: nowMs,
        lines: new Map(),
        zones: new Map(),
      };
      s.tracks.set(object.trackId, track);
    }
    track.class = object.class;
    track.confidence = object.confidence;
    track.lastListedMs = nowMs;
    if (object.coasting) continue;
    const previous = track.anchor;
    const anchor = anchorOf(object.box, input.anchor);
    const who = { trackId: object.trackId, class: object.class, confidence: object.confidence };
    for (const line of scene.lines) {
      const direction = updateLine(s, track, line, previous, anchor);
      if (direction && counts(classes, line.classes, object.class)) {
        s.totals.get(line.id)![direction]++;
        events.push({ type: "line_crossing", ...who, lineId: line.id, direction });
      }
    }
    for (const zone of scene.zones) {
      const event = updateZone(s, track, zone, anchor, nowMs, counts(classes, zone.classes, object.class));
      if (event === "enter") events.push({ type: "zone_enter", ...who, zoneId: zone.id });
      else if (event !== null) events.push({ type: "zone_exit", ...who, zoneId: zone.id, dwellMs: event.dwellMs });
    }
    track.anchor = anchor;
    track.lastObservedMs = nowMs;
  }

  const gone = new Set(input.ended.filter((id) => !seen.has(id)));
  for (const [trackId, track] of s.tracks) {
    if (!seen.has(trackId) && nowMs - track.lastListedMs >= s.options.forgetAfterMs) gone.add(trackId);
  }
  for (const trackId of gone) {
    const track = s.tracks.get(trackId);
    if (!track) continue;
    for (const [zoneId, zone] of track.zones) {
      if (!zone.inside || !zone.announced) continue;
      const dwellMs = Math.max(0, track.lastObservedMs - zone.enteredMs);
      events.push({ type: "zone_exit", trackId, class: track.class, confidence: track.confidence, zoneId, dwellMs });
    }
    s.tracks.delete(trackId);
  }
  return events;
}

/** Drops memory of removed lines and zones and resets the side memory of lines whose ends moved. */
function syncScene(s: State, scene: Scene): void {
  const lineIds = new Set(scene.lines.map((l) => l.id));
  const zoneIds = new Set(scene.zones.map((z) => z.id));
  const reset = new Set<string>();
  for (const line of scene.lines) {
    const shape = `${line.a.x},${line.a.y},${line.b.x},${line.b.y}`;
    if (s.lineShapes.get(line.id) !== shape) {
      if (s.lineShapes.has(line.id)) reset.add(line.id);
      s.lineShapes.set(line.id, shape);
    }
    if (!s.totals.has(line.id)) s.totals.set(line.id, { in: 0, out: 0 });
  }
  for (const id of [...s.lineShapes.keys()]) {
    if (!lineIds.has(id)) {
      s.lineShapes.delete(id);
      s.totals.delete(id);
      reset.add(id);
    }
  }
  for (const track of s.tracks.values()) {
    for (const id of reset) track.lines.delete(id);
    for (const id of track.zones.keys()) if (!zoneIds.has(id)) track.zones.delete(id);
  }
  s.zoneIds = scene.zones.map((z) => z.id);
}

function counts(classes: ReadonlySet<string>, own: string[] | undefined, className: string): boolean {
  return classes.has(className) && (!own || own.includes(className));
}

/** Follows one observed move against one line; returns the direction when it completes a crossing. */
function updateLine(
  s: State,
  track: TrackMemory,
  line: Scene["lines"][number],
  previous: Point | null,
  anchor: Point,
): Side | null {
  let memory = track.lines.get(line.id);
  if (!memory) {
    memory = { committed: null, sign: 0, crossedSegment: null };
    track.lines.set(line.id, memory);
  }
  const distance = signedDistance(line.a, line.b, anchor);
  const sign = distance > 0 ? 1 : distance < 0 ? -1 : 0;
  if (sign !== 0 && memory.sign !== 0 && sign !== memory.sign && previous) {
    // The previous observed anchor is on the old side or exactly on the line: this move went over the line.
    const fraction = crossingFraction(
      line.a,
      line.b,
      previous,
      anchor,
      signedDistance(line.a, line.b, previous),
      distance,
    );
    memory.crossedSegment = fraction !== null && fraction >= 0 && fraction <= 1;
  }
  if (sign !== 0) memory.sign = sign;

  const margin = s.options.lineMargin;
  const side: Side | null = distance >= margin ? "in" : distance <= -margin ? "out" : null;
  if (side === null || side === memory.committed) return null;
  const crossed = memory.committed !== null && memory.crossedSegment === true;
  memory.committed = side;
  memory.crossedSegment = null;
  return crossed ? side : null;
}

/** Follows one observed anchor against one zone; returns "enter", an exit with its dwell, or null. */
function updateZone(
  s: State,
  track: TrackMemory,
  zone: Scene["zones"][number],
  anchor: Point,
  nowMs: number,
  counted: boolean,
): "enter" | { dwellMs: number } | null {
  let memory = track.zones.get(zone.id);
  if (!memory) {
    memory = { inside: false, announced: false, enteredMs: 0, streak: 0, streakStartMs: 0 };
    track.zones.set(zone.id, memory);
  }
  if (distanceToOutline(anchor, zone.polygon) < s.options.zoneMargin) return null; // on the edge: no evidence
  const inside = pointInPolygon(anchor, zone.polygon);
  if (inside === memory.inside) {
    memory.streak = 0;
    return null;
  }
  if (memory.streak === 0) memory.streakStartMs = nowMs;
  memory.streak++;
  if (memory.streak < s.options.zoneMinUpdates) return null;
  memory.streak = 0;
  memory.inside = inside;
  if (inside) {
    memory.enteredMs = memory.streakStartMs;
    memory.announced = counted;
    return counted ? "enter" : null;
  }
  const announced = memory.announced;
  memory.announced = false;
  return announced ? { dwellMs: memory.streakStartMs - memory.enteredMs } : null;
}
