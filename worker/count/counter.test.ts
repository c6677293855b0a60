import { describe, expect, it } from "vitest";
import type { CountingLine, Scene, Zone } from "../../protocol";
import {
  createCounterState,
  lineTotals,
  updateCounts,
  zoneOccupancy,
  type CountEvent,
  type CountObject,
  type CounterState,
} from "./counter";

const FRAME_MS = 100;
const CLASSES = new Set(["person", "car", "truck", "bicycle"]);
/** Horizontal line across the middle of the frame, a on the left: walking a -> b, "in" is below (y down). */
const LINE: CountingLine = { id: "gate", name: "Gate", a: { x: 0.2, y: 0.5 }, b: { x: 0.8, y: 0.5 } };
const sceneOf = (lines: CountingLine[] = [LINE], zones: Zone[] = []): Scene => ({ lines, zones });

/** An object whose bottom-centre anchor is at (x, y). */
function at(trackId: number, x: number, y: number, extra: Partial<CountObject> = {}): CountObject {
  return { trackId, class: "car", confidence: 0.8, box: [x - 0.03, Math.max(0, y - 0.1), x + 0.03, y], ...extra };
}

/** Seeded jitter in [-amplitude, amplitude]. */
function jitter(seed: number) {
  let s = seed >>> 0;
  return (amplitude: number) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return ((s / 2 ** 32) * 2 - 1) * amplitude;
  };
}

class Camera {
  readonly state: CounterState = createCounterState();
  t = 0;
  constructor(public scene: Scene = sceneOf()) {}
  step(objects: CountObject[], ended: number[] = [], classes: ReadonlySet<string> = CLASSES): CountEvent[] {
    const events = updateCounts(this.state, { objects, ended, scene: this.scene, classes, nowMs: this.t });
    this.t += FRAME_MS;
    return events;
  }
  /** Walks one object's anchor through the given points (one update each) and returns all events. */
  walk(trackId: number, points: [number, number][], extra: Partial<CountObject> = {}): CountEvent[] {
    return points.flatMap(([x, y]) => this.step([at(trackId, x, y, extra)]));
  }
}

const range = (from: number, to: number, steps: number): number[] =>
  Array.from({ length: steps + 1 }, (_, i) => from + ((to - from) * i) / steps);
const vertical = (x: number, y0: number, y1: number, steps = 10): [number, number][] =>
  range(y0, y1, steps).map((y) => [x, y]);
const horizontal = (y: number, x0: number, x1: number, steps = 10): [number, number][] =>
  range(x0, x1, steps).map((x) => [x, y]);
const crossings = (events: CountEvent[]) =>
  events.filter((e) => e.type === "line_crossing").map((e) => `${e.trackId}:${e.lineId}:${e.direction}`);

describe("line crossings (D3)", () => {
  it("counts a crossing of the segment once, with the documented direction", () => {
    const cam = new Camera();
    const down = cam.walk(1, vertical(0.5, 0.3, 0.7));
    expect(down).toEqual([
      { type: "line_crossing", trackId: 1, class: "car", confidence: 0.8, lineId: "gate", direction: "in" },
    ]);
    expect(crossings(cam.walk(2, vertical(0.4, 0.7, 0.3)))).toEqual(["2:gate:out"]);
    expect(lineTotals(cam.state)).toEqual(new Map([["gate", { in: 1, out: 1 }]]));
  });

  it.each([
    ["a left, b right: moving down is in", { x: 0.2, y: 0.5 }, { x: 0.8, y: 0.5 }, vertical(0.5, 0.3, 0.7), "in"],
    ["a right, b left: moving up is in", { x: 0.8, y: 0.5 }, { x: 0.2, y: 0.5 }, vertical(0.5, 0.7, 0.3), "in"],
    ["a top, b bottom: moving left is in", { x: 0.5, y: 0.2 }, { x: 0.5, y: 0.8 }, horizontal(0.5, 0.7, 0.3), "in"],
    ["a bottom, b top: moving right is in", { x: 0.5, y: 0.8 }, { x: 0.5, y: 0.2 }, horizontal(0.5, 0.3, 0.7), "in"],
    ["a top, b bottom: moving right is out", { x: 0.5, y: 0.2 }, { x: 0.5, y: 0.8 }, horizontal(0.5, 0.3, 0.7), "out"],
    [
      "diagonal a top-left, b bottom-right: moving down-left is in",
      { x: 0.2, y: 0.2 },
      { x: 0.8, y: 0.8 },
      [
        [0.6, 0.3],
        [0.5, 0.5],
        [0.3, 0.6],
      ] as [number, number][],
      "in",
    ],
  ])("direction for every orientation (%s)", (_, a, b, path, direction) => {
    const cam = new Camera(sceneOf([{ ...LINE, a, b }]));
    expect(crossings(cam.walk(1, path))).toEqual([`1:gate:${direction}`]);
  });

  it("supervision #518: an anchor jittering across the line is never counted, nor counted twice when it goes on", () => {
    const cam = new Camera();
    const noise = jitter(518);
    cam.walk(1, vertical(0.5, 0.3, 0.49, 5));
    // Standing on the line for 10 s: the anchor flips sides by up to a pixel or so every frame.
    const standing = cam.walk(
      1,
      Array.from({ length: 100 }, () => [0.5 + noise(0.002), 0.5 + noise(0.008)]),
    );
    expect(crossings(standing)).toEqual([]);
    // Then it walks on: exactly one crossing.
    expect(crossings(cam.walk(1, vertical(0.5, 0.5, 0.7, 5)))).toEqual(["1:gate:in"]);
    // And jitters again below the line without counting anything more.
    expect(
      crossings(
        cam.walk(
          1,
          Array.from({ length: 50 }, () => [0.5, 0.7 + noise(0.01)]),
        ),
      ),
    ).toEqual([]);
  });

  it("supervision #518: a crossing whose anchor hesitates back across the line is counted once", () => {
    const cam = new Camera();
    const path: [number, number][] = [
      [0.5, 0.4],
      [0.5, 0.47],
      [0.5, 0.505],
      [0.5, 0.495],
      [0.5, 0.51],
      [0.5, 0.498],
      [0.5, 0.53],
      [0.5, 0.6],
    ];
    expect(crossings(cam.walk(1, path))).toEqual(["1:gate:in"]);
  });

  it("never counts a parked vehicle, even with detector jitter, even straddling the line", () => {
    const cam = new Camera();
    const noise = jitter(7);
    for (let i = 0; i < 600; i++) {
      const events = cam.step([
        at(1, 0.5 + noise(0.004), 0.5 + noise(0.006)), // straddling the line
        at(2, 0.3 + noise(0.004), 0.46 + noise(0.006)), // just above it
        at(3, 0.7 + noise(0.004), 0.54 + noise(0.006)), // just below it
      ]);
      expect(crossings(events)).toEqual([]);
    }
    expect(lineTotals(cam.state).get("gate")).toEqual({ in: 0, out: 0 });
  });

  it("counts in then out for a track that comes back, but never in/in", () => {
    const cam = new Camera();
    const there = vertical(0.5, 0.3, 0.7);
    const back = vertical(0.5, 0.7, 0.3);
    const again = vertical(0.5, 0.3, 0.7);
    expect(crossings(cam.walk(1, [...there, ...back, ...again]))).toEqual(["1:gate:in", "1:gate:out", "1:gate:in"]);
    // Back into the margin band and down again: still "in", no second in.
    expect(
      crossings(
        cam.walk(1, [
          [0.5, 0.505],
          [0.5, 0.495],
          [0.5, 0.7],
        ]),
      ),
    ).toEqual([]);
  });

  it("counts each of several objects crossing in the same frame", () => {
    const cam = new Camera();
    const events: CountEvent[] = [];
    for (const y of range(0.3, 0.7, 4)) {
      events.push(...cam.step([at(1, 0.3, y), at(2, 0.5, y), at(3, 0.7, y), at(4, 0.6, 1 - y)]));
    }
    expect(crossings(events).sort()).toEqual(["1:gate:in", "2:gate:in", "3:gate:in", "4:gate:out"]);
  });

  it("does not count a track that first appears already on one side, or on the line, until it crosses", () => {
    const cam = new Camera();
    expect(crossings(cam.walk(1, vertical(0.5, 0.6, 0.9)))).toEqual([]);
    expect(crossings(cam.walk(2, vertical(0.5, 0.5, 0.9)))).toEqual([]);
    expect(crossings(cam.walk(2, vertical(0.5, 0.9, 0.3)))).toEqual(["2:gate:out"]);
  });

  it("supervision #1838: crossing the extended line outside the segment is not counted", () => {
    const cam = new Camera();
    expect(crossings(cam.walk(1, vertical(0.9, 0.3, 0.7)))).toEqual([]); // right of b
    expect(crossings(cam.walk(2, vertical(0.1, 0.7, 0.3)))).toEqual([]); // left of a
    // A diagonal path that meets the infinite line just beyond b, ending below the segment.
    expect(
      crossings(
        cam.walk(3, [
          [0.95, 0.4],
          [0.82, 0.5],
          [0.7, 0.6],
        ]),
      ),
    ).toEqual([]);
    // Around the end and back through the segment: a real crossing, counted with its true direction.
    expect(crossings(cam.walk(3, vertical(0.7, 0.6, 0.3)))).toEqual(["3:gate:out"]);
  });

  it("supervision #1838: the direction follows the documented side convention (right of a->b is in)", () => {
    // The same downward walk is "in" for a line drawn left to right and "out" for the same line drawn right to left.
    const leftToRight = new Camera(sceneOf([LINE]));
    const rightToLeft = new Camera(sceneOf([{ ...LINE, a: LINE.b, b: LINE.a }]));
    expect(crossings(leftToRight.walk(1, vertical(0.5, 0.3, 0.7)))).toEqual(["1:gate:in"]);
    expect(crossings(rightToLeft.walk(1, vertical(0.5, 0.3, 0.7)))).toEqual(["1:gate:out"]);
  });

  it("ultralytics #14291: a track lost near the line and re-acquired under a new id is not counted again", () => {
    const cam = new Camera();
    expect(crossings(cam.walk(1, vertical(0.5, 0.3, 0.53, 6)))).toEqual(["1:gate:in"]);
    // Id 1 is lost just past the line; the tracker re-acquires the object as id 2, on the far side.
    expect(crossings(cam.step([], [1]))).toEqual([]);
    expect(crossings(cam.walk(2, vertical(0.5, 0.54, 0.8)))).toEqual([]);
    // Or lost right on the line and re-acquired on it (id 3 started on the line, id 4 re-acquired there).
    expect(crossings(cam.walk(3, vertical(0.4, 0.2, 0.505, 6)))).toEqual([]); // never got a margin beyond: no count
    cam.step([], [3]);
    expect(crossings(cam.walk(4, vertical(0.4, 0.505, 0.8)))).toEqual([]); // missed: documented limitation
    // What this layer cannot know: a new id first seen well back on the near side that crosses again is counted.
    cam.step([], [2, 4]);
    expect(crossings(cam.walk(5, vertical(0.5, 0.45, 0.6, 3)))).toEqual(["5:gate:in"]);
  });

  it("ultralytics PR #9998: counts from the previous vs current position, never a single frame's region", () => {
    const cam = new Camera();
    // First frame already in the "in" region: no count (a region-membership counter would count it).
    expect(crossings(cam.step([at(1, 0.5, 0.8)]))).toEqual([]);
    // One big step from well above to well below in a single frame: one count.
    expect(
      crossings(
        cam.walk(2, [
          [0.5, 0.2],
          [0.5, 0.8],
          [0.5, 0.85],
        ]),
      ),
    ).toEqual(["2:gate:in"]);
  });

  it("ultralytics PR #9998: objects moving along the line are not counted", () => {
    const cam = new Camera();
    const noise = jitter(9998);
    const along = range(0.15, 0.85, 70).map((x): [number, number] => [x, 0.5 + noise(0.008)]);
    expect(crossings(cam.walk(1, along))).toEqual([]);
    const alongBelow = range(0.85, 0.15, 70).map((x): [number, number] => [x, 0.51 + noise(0.004)]);
    expect(crossings(cam.walk(2, alongBelow))).toEqual([]);
  });

  it("does not count classes outside the camera's classes or the line's own classes", () => {
    const cam = new Camera(
      sceneOf([LINE, { ...LINE, id: "bikes", a: { x: 0.1, y: 0.55 }, b: { x: 0.9, y: 0.55 }, classes: ["bicycle"] }]),
    );
    expect(crossings(cam.walk(1, vertical(0.5, 0.3, 0.7), { class: "dog" }))).toEqual([]);
    expect(crossings(cam.walk(2, vertical(0.5, 0.3, 0.7), { class: "car" }))).toEqual(["2:gate:in"]);
    expect(crossings(cam.walk(3, vertical(0.5, 0.3, 0.7), { class: "bicycle" }))).toEqual(["3:gate:in", "3:bikes:in"]);
    const narrow = new Set(["bicycle"]);
    const onlyBikes = [0.3, 0.5, 0.7].flatMap((y) => cam.step([at(4, 0.5, y, { class: "car" })], [], narrow));
    expect(crossings(onlyBikes)).toEqual([]);
    expect(lineTotals(cam.state)).toEqual(
      new Map([
        ["gate", { in: 2, out: 0 }],
        ["bikes", { in: 1, out: 0 }],
      ]),
    );
  });

  it("decides a coasting track's crossing when it is observed again, from its last observed anchor", () => {
    const cam = new Camera();
    cam.walk(1, vertical(0.5, 0.3, 0.45, 3));
    // The tracker's prediction crosses the line while the object is hidden: nothing is counted on predictions.
    expect(crossings(cam.walk(1, vertical(0.5, 0.5, 0.6, 3), { coasting: true }))).toEqual([]);
    expect(crossings(cam.walk(1, [[0.5, 0.62]]))).toEqual(["1:gate:in"]);
  });

  it("resets a line's side memory when its ends move, keeping its totals", () => {
    const cam = new Camera();
    cam.walk(1, vertical(0.5, 0.3, 0.7));
    cam.walk(2, vertical(0.5, 0.2, 0.3, 2)); // committed "out" (above the line)
    // The line is moved up to y = 0.32, between the track's last and next positions.
    cam.scene = sceneOf([{ ...LINE, a: { x: 0.2, y: 0.32 }, b: { x: 0.8, y: 0.32 } }]);
    expect(crossings(cam.walk(2, [[0.5, 0.36]]))).toEqual([]);
    expect(crossings(cam.walk(2, vertical(0.5, 0.36, 0.2, 4)))).toEqual(["2:gate:out"]);
    expect(lineTotals(cam.state).get("gate")).toEqual({ in: 1, out: 1 });
    // A removed line disappears from the totals.
    cam.scene = sceneOf([]);
    cam.step([]);
    expect(lineTotals(cam.state).size).toBe(0);
  });

  it("ignores a duplicate track id within one update", () => {
    const cam = new Camera();
    cam.step([at(1, 0.5, 0.3)]);
    expect(crossings(cam.step([at(1, 0.5, 0.7), at(1, 0.5, 0.7)]))).toEqual(["1:gate:in"]);
  });
});

describe("zones (D3)", () => {
  const ZONE: Zone = {
    id: "bay",
    name: "Bay",
    polygon: [
      { x: 0.4, y: 0.4 },
      { x: 0.8, y: 0.4 },
      { x: 0.8, y: 0.8 },
      { x: 0.4, y: 0.8 },
    ],
  };
  const zoneScene = () => sceneOf([], [ZONE]);
  const zoneEvents = (events: CountEvent[]) =>
    events.map((e) =>
      e.type === "zone_exit"
        ? `${e.trackId}:exit:${e.dwellMs}`
        : e.type === "zone_enter"
          ? `${e.trackId}:enter`
          : e.type,
    );

  it("enters after two consecutive inside updates and exits after two outside, with the dwell", () => {
    const cam = new Camera(zoneScene());
    expect(
      cam.walk(1, [
        [0.2, 0.6],
        [0.3, 0.6],
      ]),
    ).toEqual([]);
    expect(cam.step([at(1, 0.5, 0.6)])).toEqual([]); // t = 200: first inside
    expect(cam.step([at(1, 0.55, 0.6)])).toEqual([
      { type: "zone_enter", trackId: 1, class: "car", confidence: 0.8, zoneId: "bay" },
    ]);
    expect(zoneOccupancy(cam.state)).toEqual(new Map([["bay", 1]]));
    cam.walk(1, horizontal(0.6, 0.6, 0.7, 4)); // t = 400..800 inside
    expect(cam.step([at(1, 0.9, 0.6)])).toEqual([]); // t = 900: first outside
    expect(zoneEvents(cam.step([at(1, 0.95, 0.6)]))).toEqual(["1:exit:700"]);
    expect(zoneOccupancy(cam.state)).toEqual(new Map([["bay", 0]]));
  });

  it("does not spam enter/exit for an anchor jittering on the zone's edge", () => {
    const cam = new Camera(zoneScene());
    const noise = jitter(3);
    const events = cam.walk(
      1,
      Array.from({ length: 300 }, () => [0.6 + noise(0.01), 0.4 + noise(0.008)]),
    );
    expect(events).toEqual([]);
    // A one-frame excursion inside (a detector glitch) is not an enter either.
    expect(
      cam.walk(2, [
        [0.3, 0.6],
        [0.5, 0.6],
        [0.3, 0.6],
        [0.5, 0.6],
        [0.3, 0.6],
      ]),
    ).toEqual([]);
  });

  it("exits a track that ends inside, with the dwell up to when it was last observed", () => {
    const cam = new Camera(zoneScene());
    cam.walk(1, [
      [0.5, 0.5],
      [0.5, 0.5],
      [0.5, 0.5],
    ]); // t = 0, 100, 200; entered at 0
    cam.walk(1, [[0.5, 0.5]], { coasting: true }); // t = 300, predicted only
    expect(zoneEvents(cam.step([], [1]))).toEqual(["1:exit:200"]);
    expect(zoneOccupancy(cam.state).get("bay")).toBe(0);
  });

  it("treats a track that stops appearing without being ended as ended after forgetAfterMs", () => {
    const state = createCounterState({ forgetAfterMs: 1000 });
    const input = (objects: CountObject[], nowMs: number) => ({
      objects,
      ended: [],
      scene: zoneScene(),
      classes: CLASSES,
      nowMs,
    });
    updateCounts(state, input([at(1, 0.5, 0.5)], 0));
    updateCounts(state, input([at(1, 0.5, 0.5)], 100));
    expect(updateCounts(state, input([], 1000))).toEqual([]);
    expect(updateCounts(state, input([], 1100))).toMatchObject([{ type: "zone_exit", trackId: 1, dwellMs: 100 }]);
  });

  it("counts zones per class and drops a removed zone's memory without events", () => {
    const cam = new Camera(sceneOf([], [ZONE, { ...ZONE, id: "people", classes: ["person"] }]));
    const events = [
      ...cam.walk(
        1,
        [
          [0.5, 0.5],
          [0.5, 0.5],
        ],
        { class: "person" },
      ),
      ...cam.walk(2, [
        [0.6, 0.6],
        [0.6, 0.6],
      ]),
    ];
    expect(events.map((e) => (e.type === "zone_enter" ? `${e.trackId}:${e.zoneId}` : e.type))).toEqual([
      "1:bay",
      "1:people",
      "2:bay",
    ]);
    expect(zoneOccupancy(cam.state)).toEqual(
      new Map([
        ["bay", 2],
        ["people", 1],
      ]),
    );
    // The car never announced in "people", so it never exits it.
    expect(
      zoneEvents(
        cam.walk(2, [
          [0.1, 0.1],
          [0.1, 0.1],
        ]),
      ),
    ).toEqual(["2:exit:200"]);
    cam.scene = sceneOf([], [ZONE]);
    expect(cam.step([], [1])).toMatchObject([{ type: "zone_exit", trackId: 1, zoneId: "bay" }]);
    expect(zoneOccupancy(cam.state)).toEqual(new Map([["bay", 0]]));
  });
});
