import { describe, expect, it } from "vitest";
import type { Detection, PixelBox } from "../detect/detector";
import { Tracker, iou, type TrackedObject } from "./tracker";

const FRAME_MS = 100; // 10 fps

function det(x: number, y: number, opts: { w?: number; h?: number; score?: number; cls?: string; id?: number } = {}) {
  const w = opts.w ?? 40;
  const h = opts.h ?? 80;
  const box: PixelBox = [x - w / 2, y - h / 2, x + w / 2, y + h / 2];
  return { classId: opts.id ?? 0, class: opts.cls ?? "person", score: opts.score ?? 0.9, box } satisfies Detection;
}

function centreX(o: TrackedObject) {
  return (o.box[0] + o.box[2]) / 2;
}

describe("Tracker (D2)", () => {
  it("computes IoU of pixel boxes", () => {
    expect(iou([0, 0, 10, 10], [0, 0, 10, 10])).toBe(1);
    expect(iou([0, 0, 10, 10], [5, 0, 15, 10])).toBeCloseTo(50 / 150);
    expect(iou([0, 0, 10, 10], [20, 20, 30, 30])).toBe(0);
  });

  it("confirms a track after minHits consecutive hits and flags isNew only on that update", () => {
    const tracker = new Tracker();
    const seen: TrackedObject[][] = [];
    for (let i = 0; i < 5; i++) seen.push(tracker.update([det(100 + i * 5, 200)], i * FRAME_MS).objects);
    expect(seen[0]).toEqual([]);
    expect(seen[1]).toEqual([]);
    expect(seen[2]).toHaveLength(1);
    expect(seen[2][0]).toMatchObject({ trackId: 1, isNew: true, coasting: false, class: "person", ageMs: 200 });
    expect(seen[3][0]).toMatchObject({ trackId: 1, isNew: false });
    expect(seen[4][0].trackId).toBe(1);
  });

  it("confirms on first sight with minHits 1", () => {
    const tracker = new Tracker({ minHits: 1 });
    expect(tracker.update([det(100, 100)], 0).objects).toMatchObject([{ trackId: 1, isNew: true }]);
  });

  it("never turns a one-frame false positive into a track (and mints no id for it)", () => {
    const tracker = new Tracker();
    tracker.update([det(300, 300, { score: 0.95 })], 0);
    for (let i = 1; i < 10; i++) expect(tracker.update([], i * FRAME_MS).objects).toEqual([]);
    expect(tracker.size).toBe(0);
    // Flicker every other frame never reaches three consecutive hits either.
    for (let i = 10; i < 30; i++) {
      const out = tracker.update(i % 2 === 0 ? [det(300, 300)] : [], i * FRAME_MS);
      expect(out.objects).toEqual([]);
    }
    // The first real track still gets id 1: nothing was minted for the flicker.
    for (let i = 30; i < 33; i++) tracker.update([det(50, 50)], i * FRAME_MS);
    expect(tracker.update([det(50, 50)], 33 * FRAME_MS).objects[0].trackId).toBe(1);
  });

  it("keeps the ids of two objects whose paths cross", () => {
    const tracker = new Tracker();
    // A walks right, B walks left along the same row: their boxes overlap completely mid-way.
    const ids = { a: new Set<number>(), b: new Set<number>() };
    for (let i = 0; i <= 40; i++) {
      const ax = 100 + i * 10;
      const bx = 500 - i * 10;
      const { objects } = tracker.update([det(ax, 200, { score: 0.9 }), det(bx, 202, { score: 0.8 })], i * FRAME_MS);
      for (const o of objects) {
        if (o.coasting) continue;
        // Attribute each output to the true object by position (they are 20 px apart except at the crossing).
        if (Math.abs(ax - bx) < 30) continue;
        (Math.abs(centreX(o) - ax) < Math.abs(centreX(o) - bx) ? ids.a : ids.b).add(o.trackId);
      }
    }
    expect([...ids.a]).toEqual([1]);
    expect([...ids.b]).toEqual([2]);
  });

  it("keeps the ids of two objects crossing diagonally at different speeds", () => {
    const tracker = new Tracker();
    const pos = (i: number) => ({ a: [100 + i * 12, 100 + i * 8], b: [400 - i * 6, 100 + i * 6] });
    let last: TrackedObject[] = [];
    for (let i = 0; i <= 40; i++) {
      const { a, b } = pos(i);
      last = tracker.update([det(a[0], a[1]), det(b[0], b[1])], i * FRAME_MS).objects;
    }
    const { a, b } = pos(40);
    const byId = new Map(last.map((o) => [o.trackId, o]));
    expect([...byId.keys()].sort()).toEqual([1, 2]);
    expect(centreX(byId.get(1)!)).toBeCloseTo(a[0], 0);
    expect(centreX(byId.get(2)!)).toBeCloseTo(b[0], 0);
  });

  it("keeps the id of an object occluded for a few frames, coasting on its predicted box", () => {
    const tracker = new Tracker({ maxLostMs: 1000 });
    let out = { objects: [] as TrackedObject[], ended: [] as TrackedObject[] };
    for (let i = 0; i < 10; i++) out = tracker.update([det(100 + i * 10, 200)], i * FRAME_MS);
    expect(out.objects[0].trackId).toBe(1);
    // Hidden behind a pillar for 5 frames (500 ms).
    for (let i = 10; i < 15; i++) {
      out = tracker.update([], i * FRAME_MS);
      expect(out.objects).toHaveLength(1);
      expect(out.objects[0]).toMatchObject({ trackId: 1, coasting: true });
      expect(centreX(out.objects[0])).toBeCloseTo(100 + i * 10, 0);
    }
    out = tracker.update([det(250, 200)], 15 * FRAME_MS);
    expect(out.objects).toMatchObject([{ trackId: 1, coasting: false, isNew: false }]);
  });

  it("ends a track lost for longer than maxLostMs and never reuses its id", () => {
    const tracker = new Tracker({ maxLostMs: 300 });
    for (let i = 0; i < 3; i++) tracker.update([det(100, 100)], i * FRAME_MS);
    expect(tracker.update([], 300).objects).toHaveLength(1); // 100 ms lost
    expect(tracker.update([], 500).objects).toHaveLength(1); // 300 ms lost: still kept
    const gone = tracker.update([], 600); // 400 ms lost
    expect(gone.objects).toEqual([]);
    expect(gone.ended).toMatchObject([{ trackId: 1 }]);
    expect(tracker.size).toBe(0);
    // The same object comes back at the same place: a new track with a new id.
    let out = { objects: [] as TrackedObject[] };
    for (let i = 0; i < 3; i++) out = tracker.update([det(100, 100)], 1000 + i * FRAME_MS);
    expect(out.objects).toMatchObject([{ trackId: 2, isNew: true }]);
    tracker.reset();
    expect(tracker.size).toBe(0);
    for (let i = 0; i < 3; i++) out = tracker.update([det(100, 100)], 2000 + i * FRAME_MS);
    expect(out.objects[0].trackId).toBe(3);
  });

  it("uses time, not frame counts, for the lost budget (the frame rate may drop in idle mode)", () => {
    const tracker = new Tracker({ maxLostMs: 1000 });
    for (let i = 0; i < 3; i++) tracker.update([det(100, 100)], i * FRAME_MS);
    // One frame every 5 s: a single missed frame is already too long.
    const out = tracker.update([], 5200);
    expect(out.ended).toHaveLength(1);
  });

  it("extends an existing track with low-score detections but never starts one from them", () => {
    const tracker = new Tracker({ highScore: 0.5, lowScore: 0.1, maxLostMs: 300 });
    for (let i = 0; i < 3; i++) tracker.update([det(100 + i * 5, 200)], i * FRAME_MS);
    // Partially occluded: scores drop to 0.2 for 10 frames (longer than maxLostMs): the track lives on, not coasting.
    for (let i = 3; i < 13; i++) {
      const { objects, ended } = tracker.update([det(100 + i * 5, 200, { score: 0.2 })], i * FRAME_MS);
      expect(ended).toEqual([]);
      expect(objects).toMatchObject([{ trackId: 1, coasting: false, confidence: 0.2 }]);
    }
    // A low-score object elsewhere, seen for many frames, never becomes a track.
    for (let i = 13; i < 30; i++) {
      const { objects } = tracker.update([det(400, 400, { score: 0.3 })], i * FRAME_MS);
      expect(objects.filter((o) => !o.coasting)).toEqual([]);
    }
    // Detections below lowScore are ignored entirely.
    const fresh = new Tracker({ lowScore: 0.1 });
    for (let i = 0; i < 3; i++) fresh.update([det(100, 100)], i * FRAME_MS);
    expect(fresh.update([det(100, 100, { score: 0.05 })], 300).objects[0].coasting).toBe(true);
  });

  it("does not flip a track's class on one frame (score-weighted vote)", () => {
    const tracker = new Tracker();
    let out: TrackedObject[] = [];
    for (let i = 0; i < 6; i++)
      out = tracker.update([det(100, 100, { cls: "car", id: 2, score: 0.7 })], i * FRAME_MS).objects;
    expect(out[0]).toMatchObject({ class: "car", classId: 2 });
    out = tracker.update([det(100, 100, { cls: "truck", id: 7, score: 0.95 })], 600).objects;
    expect(out[0]).toMatchObject({ trackId: 1, class: "car", classId: 2, confidence: 0.95 });
    // Alternating labels keep the class that leads the vote.
    for (let i = 7; i < 17; i++) {
      const d =
        i % 2 ? det(100, 100, { cls: "truck", id: 7, score: 0.6 }) : det(100, 100, { cls: "car", id: 2, score: 0.6 });
      out = tracker.update([d], i * FRAME_MS).objects;
      expect(out[0].class).toBe("car");
    }
    // A sustained change of opinion wins eventually.
    for (let i = 17; i < 30; i++) out = tracker.update([det(100, 100, { cls: "truck", id: 7 })], i * FRAME_MS).objects;
    expect(out[0]).toMatchObject({ trackId: 1, class: "truck", classId: 7 });
  });

  it("issues ids in confirmation order, strictly increasing", () => {
    const tracker = new Tracker();
    const seen: number[] = [];
    for (let i = 0; i < 60; i++) {
      // A new object appears every 10 frames far from the others and leaves after 15.
      const dets: Detection[] = [];
      for (let k = 0; k <= Math.floor(i / 10); k++) if (i - k * 10 < 15) dets.push(det(60 + k * 100, 100));
      for (const o of tracker.update(dets, i * FRAME_MS).objects) if (o.isNew) seen.push(o.trackId);
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("is deterministic", () => {
    const run = () => {
      const tracker = new Tracker();
      const log: unknown[] = [];
      for (let i = 0; i < 20; i++) {
        log.push(tracker.update([det(100 + i * 7, 100), det(110 + i * 7, 105), det(300, 300 - i)], i * FRAME_MS));
      }
      return log;
    };
    expect(run()).toEqual(run());
  });
});
