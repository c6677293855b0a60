import { describe, expect, it } from "vitest";
import { localIsoWithOffset, vccCsvLines } from "./csv";
import { applyLiveEvent, matchesVccQuery } from "./live-filter";
import { buildResult } from "./result";
import type { VccQuery, VccResult } from "./types";
import type { StoredEventView } from "../../../protocol/browser";

const CAM = "11111111-1111-4111-8111-111111111111";
const OTHER = "22222222-2222-4222-8222-222222222222";
const SITE = "33333333-3333-4333-8333-333333333333";
const query: VccQuery = {
  startTime: "2026-06-01T10:00:00.000Z",
  endTime: "2026-06-01T11:00:00.000Z",
  bucket: "15m",
  tz: "UTC",
  cameraId: null,
  siteId: null,
};
const buckets = ["10:00", "10:15", "10:30", "10:45"].map((t) => `2026-06-01T${t}:00.000Z`);
function base(q: VccQuery = query): VccResult {
  return buildResult(
    q,
    buckets,
    { car: [1, 0, 2, 0], person: [0, 1, 0, 0] },
    { in: [1, 1, 1, 0], out: [0, 0, 1, 0] },
    [{ cameraId: CAM, name: "Gate", total: 4 }],
    { aggregate: "1m", rawTail: false },
    { start: buckets[0], end: "2026-06-01T11:00:00.000Z" },
  );
}
function crossing(time: string, over: Partial<StoredEventView> = {}): StoredEventView {
  return {
    eventId: "e",
    type: "line_crossing",
    cameraId: CAM,
    time,
    class: "person",
    trackId: 1,
    lineId: "gate",
    zoneId: null,
    direction: "in",
    dwellMs: null,
    warning: null,
    ...over,
  };
}
const NOW = Date.parse("2026-06-01T10:50:00Z");

describe("matchesVccQuery (V4)", () => {
  it("takes line crossings of the filtered camera or site from the range start on, not from the future", () => {
    expect(matchesVccQuery(crossing("2026-06-01T10:40:00Z"), query, undefined, NOW)).toBe(true);
    expect(matchesVccQuery(crossing("2026-06-01T10:40:00Z", { type: "zone_enter" }), query, undefined, NOW)).toBe(
      false,
    );
    expect(matchesVccQuery(crossing("2026-06-01T09:59:59Z"), query, undefined, NOW)).toBe(false);
    expect(matchesVccQuery(crossing("2026-06-01T11:30:00Z"), query, undefined, NOW)).toBe(false);
    const one = { ...query, cameraId: OTHER };
    expect(matchesVccQuery(crossing("2026-06-01T10:40:00Z"), one, undefined, NOW)).toBe(false);
    const site = { ...query, siteId: SITE };
    expect(matchesVccQuery(crossing("2026-06-01T10:40:00Z"), site, () => SITE, NOW)).toBe(true);
    expect(matchesVccQuery(crossing("2026-06-01T10:40:00Z"), site, SITE, NOW)).toBe(true);
    expect(matchesVccQuery(crossing("2026-06-01T10:40:00Z"), site, null, NOW)).toBe(false);
    expect(matchesVccQuery(crossing("2026-06-01T10:40:00Z"), site, undefined, NOW)).toBe(false);
  });
});

describe("applyLiveEvent (V4)", () => {
  it("adds a crossing to its bucket, class, direction, totals, peak and device", () => {
    const next = applyLiveEvent(base(), crossing("2026-06-01T10:31:00Z", { class: "person", direction: "out" }));
    expect(next.byClass.person).toEqual([0, 1, 1, 0]);
    expect(next.direction.out).toEqual([0, 0, 2, 0]);
    expect(next.totals).toEqual({ total: 5, in: 3, out: 2, byClass: { car: 3, person: 2 } });
    expect(next.peak).toEqual({ bucket: buckets[2], total: 3 });
    expect(next.topDevices).toEqual([{ cameraId: CAM, name: "Gate", total: 5 }]);
  });

  it("adds a new class at the end and keeps classes ordered by count", () => {
    let next = applyLiveEvent(base(), crossing("2026-06-01T10:00:00Z", { class: "truck" }));
    expect(next.classes).toEqual(["car", "person", "truck"]);
    expect(next.byClass.truck).toEqual([1, 0, 0, 0]);
    next = applyLiveEvent(next, crossing("2026-06-01T10:01:00Z", { class: "truck" }));
    next = applyLiveEvent(next, crossing("2026-06-01T10:02:00Z", { class: "truck" }));
    expect(next.classes[0]).toBe("car");
    expect(next.classes[1]).toBe("truck");
  });

  it("leaves the result alone for events that do not match or fall before the range", () => {
    const r = base();
    expect(applyLiveEvent(r, crossing("2026-06-01T09:00:00Z"))).toBe(r);
    expect(applyLiveEvent(r, crossing("2026-06-01T10:10:00Z", { type: "track_start" }))).toBe(r);
    const one = base({ ...query, cameraId: OTHER });
    expect(applyLiveEvent(one, crossing("2026-06-01T10:10:00Z"))).toBe(one);
  });

  it("grows a live sub-day chart by new buckets for crossings just after its end; 1d charts do not grow", () => {
    const next = applyLiveEvent(base(), crossing("2026-06-01T11:20:00Z"));
    expect(next.buckets).toHaveLength(6);
    expect(next.buckets.at(-1)).toBe("2026-06-01T11:15:00.000Z");
    expect(next.byClass.person).toEqual([0, 1, 0, 0, 0, 1]);
    expect(next.byClass.car).toHaveLength(6);
    expect(next.range?.end).toBe("2026-06-01T11:30:00.000Z");
    const daily = buildResult(
      { ...query, bucket: "1d" },
      ["2026-06-01T00:00:00.000Z"],
      {},
      { in: [0], out: [0] },
      [],
      { aggregate: "1d", rawTail: false },
      { start: "2026-06-01T00:00:00.000Z", end: "2026-06-02T00:00:00.000Z" },
    );
    expect(applyLiveEvent(daily, crossing("2026-06-02T00:10:00Z"))).toBe(daily);
    expect(applyLiveEvent(daily, crossing("2026-06-01T23:10:00Z")).totals.total).toBe(1);
  });
});

describe("CSV (V5)", () => {
  it("labels buckets in the query's zone with the offset and has class, in, out, total columns", () => {
    expect(localIsoWithOffset(Date.parse("2026-10-25T00:30:00Z"), "Europe/Berlin")).toBe("2026-10-25T02:30:00+02:00");
    expect(localIsoWithOffset(Date.parse("2026-10-25T01:30:00Z"), "Europe/Berlin")).toBe("2026-10-25T02:30:00+01:00");
    expect(localIsoWithOffset(Date.parse("2026-01-01T00:00:00Z"), "America/New_York")).toBe(
      "2025-12-31T19:00:00-05:00",
    );
    const lines = [...vccCsvLines(base())];
    expect(lines[0]).toBe("bucket_start,car,person,in,out,total\r\n");
    expect(lines[3]).toBe("2026-06-01T10:30:00+00:00,2,0,1,1,2\r\n");
    expect(lines).toHaveLength(5);
  });
});
