// The tracker and the counter chained as the pipeline will chain them: pixel detections -> tracks -> normalised
// boxes -> events. Checks that the two stages' rules hold together (D2, D3).
import { describe, expect, it } from "vitest";
import type { Scene } from "../../protocol";
import type { Detection } from "../detect/detector";
import { Tracker } from "../track/tracker";
import { createCounterState, lineTotals, updateCounts, type CountEvent } from "./counter";

const W = 640;
const H = 480;
const SCENE: Scene = {
  lines: [{ id: "walkway", name: "Walkway", a: { x: 0.1, y: 0.5 }, b: { x: 0.9, y: 0.5 } }],
  zones: [],
};

function jitter(seed: number) {
  let s = seed >>> 0;
  return (amplitude: number) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return ((s / 2 ** 32) * 2 - 1) * amplitude;
  };
}

function person(cx: number, bottom: number, noise: (a: number) => number, score = 0.8): Detection {
  return {
    classId: 0,
    class: "person",
    score,
    box: [cx - 20 + noise(2), bottom - 100 + noise(2), cx + 20 + noise(2), bottom + noise(2)],
  };
}

function run(frames: Detection[][]): CountEvent[] {
  const tracker = new Tracker();
  const state = createCounterState();
  const events: CountEvent[] = [];
  frames.forEach((detections, i) => {
    const nowMs = i * 200;
    const { objects, ended } = tracker.update(detections, nowMs);
    const counted = objects.map((o) => ({
      trackId: o.trackId,
      class: o.class,
      confidence: o.confidence,
      coasting: o.coasting,
      box: [o.box[0] / W, o.box[1] / H, o.box[2] / W, o.box[3] / H].map((v) => Math.min(1, Math.max(0, v))) as [
        number,
        number,
        number,
        number,
      ],
    }));
    events.push(
      ...updateCounts(state, {
        objects: counted,
        ended: ended.map((o) => o.trackId),
        scene: SCENE,
        classes: new Set(["person"]),
        nowMs,
      }),
    );
  });
  expect(lineTotals(state).get("walkway")).toBeDefined();
  return events;
}

describe("tracker + counter (D2, D3)", () => {
  it("counts one walker once, through detector jitter and a two-frame occlusion right at the line", () => {
    const noise = jitter(1);
    const frames: Detection[][] = [];
    for (let i = 0; i < 30; i++) {
      const bottom = 120 + i * 12; // crosses y = 240 at i = 10
      frames.push(i === 9 || i === 10 ? [] : [person(320, bottom, noise)]);
    }
    expect(run(frames).map((e) => e.type === "line_crossing" && `${e.trackId}:${e.direction}`)).toEqual(["1:in"]);
  });

  it("counts nothing for a person standing on the line for a minute, nor for a one-frame false positive", () => {
    const noise = jitter(2);
    const frames: Detection[][] = [];
    for (let i = 0; i < 300; i++) {
      const detections = [person(200, 240, noise)];
      if (i === 50) detections.push(person(500, 100, noise, 0.9), person(500, 400, noise, 0.9));
      frames.push(detections);
    }
    expect(run(frames)).toEqual([]);
  });

  it("counts two people crossing each other's paths over the line, once each and in their own directions", () => {
    const noise = jitter(3);
    const frames: Detection[][] = [];
    for (let i = 0; i < 30; i++) frames.push([person(312, 120 + i * 12, noise), person(328, 470 - i * 12, noise)]);
    const crossings = run(frames).map((e) => e.type === "line_crossing" && `${e.trackId}:${e.direction}`);
    expect(crossings.sort()).toEqual(["1:in", "2:out"]);
  });
});
