import { describe, expect, it } from "vitest";
import { idSchema } from "../../../protocol/common";
import { containRect, inSideNormal, newSceneId, pointInPolygon, sideOf, toElement, toNormalised } from "./geometry";
import { addEvents } from "./use-live-detections";

describe("containRect", () => {
  it("pillarboxes a 4:3 video in a 16:9 element", () => {
    expect(containRect(1600, 900, 640, 480)).toEqual({ x: 200, y: 0, width: 1200, height: 900 });
  });
  it("letterboxes a wide video in a tall element", () => {
    expect(containRect(390, 400, 1920, 1080)).toEqual({ x: 0, y: 90.3125, width: 390, height: 219.375 });
  });
  it("uses the whole element before the video has a size", () => {
    expect(containRect(320, 180, 0, 0)).toEqual({ x: 0, y: 0, width: 320, height: 180 });
  });
});

describe("normalised <-> element", () => {
  const rect = containRect(1600, 900, 640, 480);
  it("round-trips a point", () => {
    const p = toElement({ x: 0.25, y: 0.5 }, rect);
    expect(p).toEqual({ x: 500, y: 450 });
    expect(toNormalised(p.x, p.y, rect)).toEqual({ x: 0.25, y: 0.5 });
  });
  it("clamps a click in the pillarbox to the frame's edge", () => {
    expect(toNormalised(50, 450, rect)).toEqual({ x: 0, y: 0.5 });
  });
});

describe("direction (protocol/scene.ts: walking a to b, the right-hand side is in)", () => {
  it("a line drawn left to right has its in side below (y down)", () => {
    expect(inSideNormal({ x: 0, y: 0 }, { x: 10, y: 0 })).toEqual({ x: -0, y: 1 });
    expect(sideOf({ x: 0, y: 0.5 }, { x: 1, y: 0.5 }, { x: 0.5, y: 0.9 })).toBe("in");
  });
  it("a line drawn top to bottom has its in side on the left", () => {
    const n = inSideNormal({ x: 5, y: 0 }, { x: 5, y: 10 });
    expect(n.x).toBe(-1);
    expect(sideOf({ x: 0.5, y: 0.2 }, { x: 0.5, y: 0.9 }, { x: 0.2, y: 0.5 })).toBe("in");
    expect(sideOf({ x: 0.5, y: 0.2 }, { x: 0.5, y: 0.9 }, { x: 0.8, y: 0.5 })).toBe("out");
  });
});

describe("pointInPolygon", () => {
  const square = [
    { x: 0.2, y: 0.2 },
    { x: 0.6, y: 0.2 },
    { x: 0.6, y: 0.6 },
    { x: 0.2, y: 0.6 },
  ];
  it("finds inside and outside points", () => {
    expect(pointInPolygon({ x: 0.4, y: 0.4 }, square)).toBe(true);
    expect(pointInPolygon({ x: 0.7, y: 0.4 }, square)).toBe(false);
  });
});

describe("newSceneId", () => {
  it("makes distinct ids the protocol accepts", () => {
    const ids = new Set(Array.from({ length: 50 }, () => newSceneId("line")));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(idSchema.safeParse(id).success).toBe(true);
  });
});

describe("addEvents", () => {
  const event = (over: Record<string, unknown>) => ({
    eventId: crypto.randomUUID(),
    cameraId: "c",
    time: "2026-01-01T00:00:00Z",
    class: "person",
    trackId: 1,
    lineId: null,
    zoneId: null,
    direction: null,
    dwellMs: null,
    warning: null,
    type: "track_start" as const,
    ...over,
  });
  it("adds crossings and zone enters/exits to the base totals without changing it", () => {
    const base = { lines: { l1: { in: 2, out: 1 } }, zones: {} };
    const totals = addEvents(base, [
      event({ type: "line_crossing", lineId: "l1", direction: "in" }),
      event({ type: "line_crossing", lineId: "l2", direction: "out" }),
      event({ type: "zone_enter", zoneId: "z" }),
      event({ type: "zone_exit", zoneId: "z", dwellMs: 500 }),
      event({ type: "track_start" }),
    ]);
    expect(totals).toEqual({
      lines: {
        l1: { in: 3, out: 1, byClass: { person: { in: 1, out: 0 } } },
        l2: { in: 0, out: 1, byClass: { person: { in: 0, out: 1 } } },
      },
      zones: { z: { enter: 1, exit: 1 } },
    });
    expect(base.lines.l1).toEqual({ in: 2, out: 1 });
  });
});
