import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { uuidSchema } from "../../protocol/common";
import { detectionEventSchema } from "../../protocol/events";
import { DriftEstimator, LamportClock } from "../../protocol/clock";
import {
  connectionClock,
  localWallTime,
  stampEvent,
  timezoneOffsetMinutes,
  uuidv7,
  uuidv7Time,
  type DetectionEventBody,
} from "./envelope";
import { TEST_CAMERA_ID, testClock } from "./test-support";

const meta = { cameraId: TEST_CAMERA_ID, modelId: "coco-yolo", modelVersion: "1.0.0" };

describe("uuidv7", () => {
  it("is unique and strictly increasing over 100k ids, with version 7 and the RFC variant", () => {
    const ids: string[] = [];
    for (let i = 0; i < 100_000; i++) ids.push(uuidv7());
    expect(new Set(ids).size).toBe(100_000);
    for (let i = 1; i < ids.length; i++) if (!(ids[i - 1] < ids[i])) throw new Error(`not increasing at ${i}`);
    for (const id of [ids[0], ids[50_000], ids[99_999]]) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(uuidSchema.safeParse(id).success).toBe(true);
    }
    expect(Math.abs(uuidv7Time(ids[99_999]) - Date.now())).toBeLessThan(60_000);
  });

  it("stays monotonic within one millisecond and when the clock steps back", () => {
    const t = Date.now() + 10_000; // ahead of every id made so far
    const ids = Array.from({ length: 50_000 }, () => uuidv7(t));
    for (let i = 1; i < ids.length; i++) if (!(ids[i - 1] < ids[i])) throw new Error(`not increasing at ${i}`);
    expect(uuidv7Time(ids[0])).toBe(t);
    expect(uuidv7Time(ids[ids.length - 1])).toBe(t);
    const back = uuidv7(t - 5_000); // NTP stepped the clock back
    expect(back > ids[ids.length - 1]).toBe(true);
    expect(uuidv7Time(back)).toBe(t);
    expect(uuidv7(t + 1) > back).toBe(true);
  });
});

describe("stampEvent", () => {
  const bodies: DetectionEventBody[] = [
    { type: "track_start", trackId: 1, class: "person", confidence: 0.8, box: [0.1, 0.1, 0.3, 0.5] },
    { type: "line_crossing", trackId: 2, class: "car", confidence: 0.9, lineId: "l1", direction: "in" },
    { type: "zone_enter", trackId: 3, class: "person", confidence: 0.7, zoneId: "z1" },
    { type: "zone_exit", trackId: 3, class: "person", confidence: 0.7, zoneId: "z1", dwellMs: 1234 },
    { type: "scene_warning", warning: "dark", brightness: 12.5, contrast: 3 },
    { type: "scene_warning", warning: null, brightness: 90, contrast: 40 },
  ];

  it("builds a schema-valid envelope for every event type", () => {
    const t = Date.UTC(2026, 11, 1, 23, 10, 0, 123);
    const clock = testClock(t, 1_500);
    for (const body of bodies) {
      const event = stampEvent(body, clock, meta);
      const parsed = detectionEventSchema.safeParse(event);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      expect(event.type).toBe(body.type);
    }
    const event = stampEvent(bodies[1], clock, meta);
    expect(event).toMatchObject({
      cameraId: TEST_CAMERA_ID,
      modelId: "coco-yolo",
      modelVersion: "1.0.0",
      utcTimestamp: "2026-12-01T23:10:00.123Z",
      driftOffset: 1_500,
      correctedUtc: "2026-12-01T23:10:01.623Z",
      lamport: bodies.length + 1,
      timezoneOffset: timezoneOffsetMinutes(t),
      localTime: localWallTime(t),
    });
    // The id's time is the stamp's, unless ids made earlier in this process are later (ids never go back).
    expect(uuidv7Time(event.eventId)).toBeGreaterThanOrEqual(t);
  });

  it("writes the local wall time of this process's zone and a negative drift", () => {
    const t = Date.UTC(2026, 6, 1, 12, 0, 0, 7);
    const event = stampEvent(bodies[0], testClock(t, -2_000), meta);
    const local = new Date(t);
    expect(event.localTime).toBe(
      `${local.getFullYear()}-${String(local.getMonth() + 1).padStart(2, "0")}-${String(local.getDate()).padStart(2, "0")}T` +
        `${String(local.getHours()).padStart(2, "0")}:${String(local.getMinutes()).padStart(2, "0")}:${String(local.getSeconds()).padStart(2, "0")}.007`,
    );
    expect(event.correctedUtc).toBe("2026-07-01T11:59:58.007Z");
    expect(Object.is(event.timezoneOffset, -0)).toBe(false);
  });

  it("takes drift and Lamport from a worker connection's estimator and clock", () => {
    const drift = new DriftEstimator();
    drift.add({ sentAt: 1_000, receivedAt: 1_100, serverTime: 5_050 }); // offset 4000
    const lamport = new LamportClock(41);
    const clock = connectionClock(drift, lamport, () => Date.UTC(2026, 0, 1));
    const event = stampEvent(bodies[4], clock, meta);
    expect(event.driftOffset).toBe(4_000);
    expect(event.lamport).toBe(42);
    expect(lamport.current).toBe(42);
    expect(event.correctedUtc).toBe("2026-01-01T00:00:04.000Z");
  });

  // Node caches the zone at start-up, so other zones are checked in child processes.
  it("is DST-correct in other zones (child processes with TZ set)", () => {
    const envelope = path.join(import.meta.dirname, "envelope.ts");
    const script = `
      const m = await import(${JSON.stringify(envelope)});
      const at = (iso) => { const t = Date.parse(iso); return [m.timezoneOffsetMinutes(t), m.localWallTime(t)]; };
      console.log(JSON.stringify([
        at("2026-03-29T00:59:59.999Z"), at("2026-03-29T01:00:00.000Z"),
        at("2026-07-01T12:00:00.123Z"), at("2026-10-25T00:59:59.000Z"), at("2026-10-25T01:00:00.000Z"),
        at("2026-12-01T23:10:00.123Z"),
      ]));`;
    const run = (tz: string) =>
      JSON.parse(
        execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
          env: { ...process.env, TZ: tz },
          encoding: "utf8",
        }),
      );
    expect(run("Europe/Berlin")).toEqual([
      [60, "2026-03-29T01:59:59.999"],
      [120, "2026-03-29T03:00:00.000"],
      [120, "2026-07-01T14:00:00.123"],
      [120, "2026-10-25T02:59:59.000"],
      [60, "2026-10-25T02:00:00.000"],
      [60, "2026-12-02T00:10:00.123"],
    ]);
    const ny = run("America/New_York");
    expect(ny[2]).toEqual([-240, "2026-07-01T08:00:00.123"]);
    expect(ny[5]).toEqual([-300, "2026-12-01T18:10:00.123"]);
    expect(run("Asia/Kolkata")[5]).toEqual([330, "2026-12-02T04:40:00.123"]);
    expect(run("UTC")[5]).toEqual([0, "2026-12-01T23:10:00.123"]);
  });
});
