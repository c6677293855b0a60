// The workstation stage's measures on synthetic frames: box overlap with a zone, moved-pixel activity inside a box,
// and the stage's events (states for a bound zone, product output for a bound line).
import { describe, expect, it } from "vitest";
import type { NormalisedBox } from "../../protocol/events";
import { EMPTY_SCENE, sceneSchema, type Scene } from "../../protocol/scene";
import type { RgbImage } from "../detect/detector";
import { boxActivity, workstationModelVersion } from "./activity";
import { boxOverlap } from "./overlap";
import { productOutput, thresholdsOf, WorkstationStage } from "./stage";

const W = 64;
const H = 48;
function frame(paint?: (x: number, y: number) => number): RgbImage {
  const data = new Uint8Array(W * H * 3).fill(100);
  if (paint)
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) data.fill(paint(x, y), (y * W + x) * 3, (y * W + x) * 3 + 3);
  return { width: W, height: H, data };
}
const square = (x1: number, y1: number, x2: number, y2: number) => [
  { x: x1, y: y1 },
  { x: x2, y: y1 },
  { x: x2, y: y2 },
  { x: x1, y: y2 },
];
const LEFT_HALF = square(0, 0, 0.5, 1);

describe("boxOverlap", () => {
  it("is the share of the box inside the zone", () => {
    expect(boxOverlap([0.1, 0.1, 0.3, 0.3], LEFT_HALF)).toBe(1);
    expect(boxOverlap([0.6, 0.1, 0.9, 0.3], LEFT_HALF)).toBe(0);
    expect(boxOverlap([0.4, 0.1, 0.6, 0.3], LEFT_HALF)).toBeCloseTo(0.5, 5);
    expect(boxOverlap([0.3, 0.3, 0.3, 0.5], LEFT_HALF)).toBe(0);
  });
});

describe("boxActivity", () => {
  const box: NormalisedBox = [0.25, 0.25, 0.75, 0.75];
  it("is 0 for an unchanged frame and 1 when the whole box changed beyond the pixel delta", () => {
    expect(boxActivity(frame(), frame(), box, 18)).toBe(0);
    expect(
      boxActivity(
        frame(),
        frame(() => 160),
        box,
        18,
      ),
    ).toBe(1);
    // Noise below the delta is not movement.
    expect(
      boxActivity(
        frame(),
        frame(() => 110),
        box,
        18,
      ),
    ).toBe(0);
  });

  it("counts only what changed inside the box", () => {
    // The right half of the frame changes: a box over the left half sees nothing, one straddling sees half.
    const changed = frame((x) => (x >= W / 2 ? 200 : 100));
    expect(boxActivity(frame(), changed, [0, 0, 0.45, 1], 18)).toBe(0);
    expect(boxActivity(frame(), changed, box, 18)).toBeCloseTo(0.5, 1);
  });

  it("names the activity measure in the model version", () => {
    expect(workstationModelVersion("2024.1")).toBe("2024.1+motion-1");
    expect(workstationModelVersion("x".repeat(60)).length).toBeLessThanOrEqual(50);
  });
});

const scene: Scene = sceneSchema.parse({
  lines: [{ id: "out", name: "Out", a: { x: 0.6, y: 0 }, b: { x: 0.6, y: 1 }, workstationId: "S1" }],
  zones: [{ id: "bench", name: "Bench", polygon: LEFT_HALF, workstation: { workstationId: "S1", workerId: "W7" } }],
});

describe("WorkstationStage", () => {
  it("reports a still person as idle and a moving one as working, for the zone's workstation and worker", () => {
    const run = (moving: boolean) => {
      const stage = new WorkstationStage();
      const events = [];
      for (let i = 0; i < 30; i++) {
        const f = frame(moving && i % 2 ? () => 180 : undefined);
        events.push(
          ...stage.update({
            frame: f,
            nowMs: i * 200,
            objects: [{ class: "person", confidence: 0.9, box: [0.1, 0.2, 0.4, 0.9] }],
            crossings: [],
            scene,
            stateDurationMs: 300_000,
            minScore: 0.2,
          }),
        );
      }
      return events;
    };
    const stage = new WorkstationStage();
    expect(stage.occupied()).toBe(false);
    stage.update({
      frame: frame(),
      nowMs: 0,
      objects: [{ class: "person", confidence: 0.9, box: [0.1, 0.2, 0.4, 0.9] }],
      crossings: [],
      scene,
      stateDurationMs: 300_000,
      minScore: 0.2,
    });
    expect(stage.occupied(), "someone at the bench keeps the camera out of idle mode (W10)").toBe(true);
    expect(run(true)).toMatchObject([
      { type: "workstation_state", state: "working", workstationId: "S1", workerId: "W7", zoneId: "bench" },
    ]);
    expect(run(false)).toMatchObject([{ type: "workstation_state", state: "idle", activity: 0 }]);
  });

  it("ignores other classes and people outside the zone; absent confidence comes from the strongest person near it", () => {
    const stage = new WorkstationStage();
    const events = [];
    for (let i = 0; i < 30; i++)
      events.push(
        ...stage.update({
          frame: frame(),
          nowMs: i * 200,
          objects: [
            { class: "car", confidence: 0.9, box: [0.1, 0.2, 0.4, 0.9] },
            { class: "person", confidence: 0.6, box: [0.45, 0.2, 0.9, 0.9] }, // ~11% inside: below minOverlap
          ],
          crossings: [],
          scene,
          stateDurationMs: 300_000,
          minScore: 0.2,
        }),
      );
    expect(events).toMatchObject([{ state: "absent", confidence: 0.4 }]);
  });

  it("turns crossings 'in' of a bound line into one product count per frame, credited to the zone's worker", () => {
    const crossing = (direction: "in" | "out", confidence = 0.7) => ({
      type: "line_crossing" as const,
      trackId: 1,
      class: "bottle",
      confidence,
      lineId: "out",
      direction,
    });
    expect(productOutput([crossing("in"), crossing("in", 0.5), crossing("out")], scene)).toEqual([
      { type: "workstation_output", lineId: "out", workstationId: "S1", workerId: "W7", count: 2, confidence: 0.5 },
    ]);
    expect(productOutput([crossing("out")], scene)).toEqual([]);
    expect(productOutput([crossing("in")], EMPTY_SCENE)).toEqual([]);
  });
});

describe("scene bindings (protocol/scene.ts)", () => {
  it("refuses a workstation bound to two zones and an output line without a zone for its workstation", () => {
    const zone = (id: string) => ({
      id,
      name: id,
      polygon: LEFT_HALF,
      workstation: { workstationId: "S1", workerId: "W1" },
    });
    expect(sceneSchema.safeParse({ zones: [zone("a"), zone("b")] }).success).toBe(false);
    expect(
      sceneSchema.safeParse({
        lines: [{ id: "l", name: "l", a: { x: 0, y: 0 }, b: { x: 1, y: 1 }, workstationId: "S9" }],
      }).success,
    ).toBe(false);
    expect(sceneSchema.safeParse({ zones: [zone("a")] }).success).toBe(true);
    // Overrides stay overrides: parsing adds no defaults, so a stored zone follows later default changes.
    const parsed = sceneSchema.parse({
      zones: [
        { ...zone("a"), workstation: { workstationId: "S1", workerId: "W1", thresholds: { activeThreshold: 0.1 } } },
      ],
    });
    expect(parsed.zones[0]!.workstation!.thresholds).toEqual({ activeThreshold: 0.1 });
    expect(thresholdsOf(parsed.zones[0]!.workstation!)).toMatchObject({ activeThreshold: 0.1, leaveSeconds: 4 });
  });
});
