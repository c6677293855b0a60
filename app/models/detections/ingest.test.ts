import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { countedSpan, groupByCamera, parseEvents, toStoredView } from "./ingest.server";

const camera = randomUUID();
const envelope = (at: string) => ({
  eventId: randomUUID(),
  cameraId: camera,
  utcTimestamp: at,
  localTime: at.replace(/(Z|[+-]\d\d:\d\d)$/, ""),
  timezoneOffset: 60,
  driftOffset: -12,
  correctedUtc: at,
  lamport: 7,
  modelId: "centernet-coco",
  modelVersion: "1",
});
const crossing = (at = "2026-12-01T10:00:00.000Z") => ({
  type: "line_crossing",
  ...envelope(at),
  trackId: 3,
  class: "car",
  confidence: 0.8,
  lineId: "gate",
  direction: "in",
});

describe("parseEvents (T2)", () => {
  it("accepts good events and rejects bad ones by index, with their id when readable", () => {
    const bad = { ...crossing(), direction: "sideways" };
    const { accepted, rejected } = parseEvents([crossing(), bad, 42, crossing()]);
    expect(accepted.map((a) => a.index)).toEqual([0, 3]);
    expect(rejected.map((r) => r.index)).toEqual([1, 2]);
    expect(rejected[0].eventId).toBe(bad.eventId);
    expect(rejected[0].message).toMatch(/direction/);
    expect(rejected[1].eventId).toBeUndefined();
  });

  it("rejects unknown keys (strict envelope)", () => {
    expect(parseEvents([{ ...crossing(), extra: 1 }]).rejected).toHaveLength(1);
  });
});

describe("browser views of stored events", () => {
  it("keep what counters need and drop audit fields", () => {
    const [event] = parseEvents([crossing("2026-12-01T10:00:00.5+01:00")]).accepted;
    expect(toStoredView(event.event)).toEqual({
      eventId: event.event.eventId,
      type: "line_crossing",
      cameraId: camera,
      time: "2026-12-01T09:00:00.500Z",
      class: "car",
      trackId: 3,
      lineId: "gate",
      zoneId: null,
      direction: "in",
      dwellMs: null,
      warning: null,
    });
  });

  it("group per camera and span only counted types", () => {
    const warning = {
      type: "scene_warning",
      ...envelope("2026-12-01T08:00:00.000Z"),
      warning: "dark",
      brightness: 10,
      contrast: 3,
    };
    const events = parseEvents([
      crossing("2026-12-01T10:00:00.000Z"),
      warning,
      crossing("2026-12-01T10:05:00.000Z"),
    ]).accepted.map((a) => a.event);
    expect(groupByCamera(events).get(camera)).toHaveLength(3);
    expect(countedSpan(events)).toEqual({
      from: new Date("2026-12-01T10:00:00.000Z"),
      to: new Date("2026-12-01T10:05:00.000Z"),
    });
    expect(countedSpan(events.slice(1, 2))).toBeNull();
  });
});
