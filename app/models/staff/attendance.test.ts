import { describe, expect, it } from "vitest";
import {
  computeAttendance,
  isoWithOffset,
  localDay,
  startOfDay,
  unionLength,
  type AttendanceEvent,
} from "./attendance";

const P = "11111111-1111-4111-8111-111111111111";
const Q = "22222222-2222-4222-8222-222222222222";
const at = (iso: string) => Date.parse(iso);
const span = (from: string, to: string, cameraId = "cam-a", personId = P): AttendanceEvent => ({
  personId,
  cameraId,
  start: at(from),
  end: at(to),
});
const instant = (t: string, cameraId = "cam-a", personId = P) => span(t, t, cameraId, personId);
const H = 3600_000;

describe("day boundaries in the tenant's zone", () => {
  it("finds local midnight, including both DST days in Europe/Berlin", () => {
    expect(new Date(startOfDay("2026-01-15", "Europe/Berlin")).toISOString()).toBe("2026-01-14T23:00:00.000Z");
    expect(new Date(startOfDay("2026-03-29", "Europe/Berlin")).toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(new Date(startOfDay("2026-03-30", "Europe/Berlin")).toISOString()).toBe("2026-03-29T22:00:00.000Z");
    expect(new Date(startOfDay("2026-10-25", "Europe/Berlin")).toISOString()).toBe("2026-10-24T22:00:00.000Z");
    expect(new Date(startOfDay("2026-10-26", "Europe/Berlin")).toISOString()).toBe("2026-10-25T23:00:00.000Z");
    expect(new Date(startOfDay("2026-03-08", "America/New_York")).toISOString()).toBe("2026-03-08T05:00:00.000Z");
    expect(localDay(at("2026-03-28T23:30:00Z"), "Europe/Berlin")).toBe("2026-03-29");
    expect(localDay(at("2026-03-28T23:30:00Z"), "UTC")).toBe("2026-03-28");
  });

  it("writes ISO times with the zone's offset at that instant", () => {
    expect(isoWithOffset(at("2026-03-29T07:15:00Z"), "Europe/Berlin")).toBe("2026-03-29T09:15:00+02:00");
    expect(isoWithOffset(at("2026-03-29T00:30:00Z"), "Europe/Berlin")).toBe("2026-03-29T01:30:00+01:00");
    expect(isoWithOffset(at("2026-06-01T12:00:00Z"), "America/New_York")).toBe("2026-06-01T08:00:00-04:00");
    expect(isoWithOffset(at("2026-06-01T12:00:00Z"), "Asia/Kolkata")).toBe("2026-06-01T17:30:00+05:30");
  });
});

describe("computeAttendance (S1)", () => {
  it("splits a visit across local midnight, not UTC midnight", () => {
    // 22:30 to 01:30 Berlin time (winter, UTC+1): 21:30Z-00:30Z.
    const rows = computeAttendance(
      [span("2026-01-14T21:30:00Z", "2026-01-15T00:30:00Z")],
      "Europe/Berlin",
      "2026-01-14",
      "2026-01-15",
    );
    expect(rows.map((r) => [r.day, r.visibleMs / H])).toEqual([
      ["2026-01-14", 1.5],
      ["2026-01-15", 1.5],
    ]);
    expect(new Date(rows[0]!.lastSeen).toISOString()).toBe("2026-01-14T23:00:00.000Z");
    expect(new Date(rows[1]!.firstSeen).toISOString()).toBe("2026-01-14T23:00:00.000Z");
    // The same visit in UTC is one day.
    expect(
      computeAttendance([span("2026-01-14T21:30:00Z", "2026-01-15T00:30:00Z")], "UTC", "2026-01-14", "2026-01-15"),
    ).toHaveLength(2);
    expect(
      computeAttendance([span("2026-01-14T21:30:00Z", "2026-01-14T23:59:00Z")], "UTC", "2026-01-14", "2026-01-15"),
    ).toHaveLength(1);
  });

  it("a whole spring-forward day in Berlin is 23 hours, a fall-back day 25", () => {
    const spring = computeAttendance(
      [span("2026-03-28T20:00:00Z", "2026-03-30T02:00:00Z")],
      "Europe/Berlin",
      "2026-03-29",
      "2026-03-29",
    );
    expect(spring).toHaveLength(1);
    expect(spring[0]!.visibleMs).toBe(23 * H);
    expect(new Date(spring[0]!.firstSeen).toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(new Date(spring[0]!.lastSeen).toISOString()).toBe("2026-03-29T22:00:00.000Z");
    const autumn = computeAttendance(
      [span("2026-10-24T20:00:00Z", "2026-10-26T02:00:00Z")],
      "Europe/Berlin",
      "2026-10-25",
      "2026-10-25",
    );
    expect(autumn[0]!.visibleMs).toBe(25 * H);
  });

  it("an event at 00:30 local on the DST day lands on that day, one at 23:59 on the day before", () => {
    const rows = computeAttendance(
      [instant("2026-03-28T23:30:00Z"), instant("2026-03-28T22:59:00Z")],
      "Europe/Berlin",
      "2026-03-28",
      "2026-03-29",
    );
    expect(rows.map((r) => r.day)).toEqual(["2026-03-28", "2026-03-29"]);
    expect(rows.every((r) => r.visibleMs === 0)).toBe(true);
  });

  it("unions overlapping intervals from several cameras and keeps first/last seen and the cameras", () => {
    const rows = computeAttendance(
      [
        span("2026-05-04T08:00:00Z", "2026-05-04T09:00:00Z", "cam-a"),
        span("2026-05-04T08:30:00Z", "2026-05-04T10:00:00Z", "cam-b"),
        instant("2026-05-04T16:45:00Z", "cam-c"),
        span("2026-05-04T12:00:00Z", "2026-05-04T12:30:00Z", "cam-a", Q),
      ],
      "UTC",
      "2026-05-04",
      "2026-05-04",
    );
    const p = rows.find((r) => r.personId === P)!;
    expect(p.visibleMs).toBe(2 * H);
    expect(p.cameraIds).toEqual(["cam-a", "cam-b", "cam-c"]);
    expect(new Date(p.firstSeen).toISOString()).toBe("2026-05-04T08:00:00.000Z");
    expect(new Date(p.lastSeen).toISOString()).toBe("2026-05-04T16:45:00.000Z");
    expect(rows.find((r) => r.personId === Q)!.visibleMs).toBe(H / 2);
  });

  it("leaves out days outside the range and an instant exactly at the range's end", () => {
    const rows = computeAttendance(
      [
        instant("2026-05-05T00:00:00Z"),
        instant("2026-05-03T23:59:59Z"),
        span("2026-05-03T23:00:00Z", "2026-05-04T00:00:00Z"),
      ],
      "UTC",
      "2026-05-04",
      "2026-05-04",
    );
    expect(rows).toEqual([]);
  });

  it("unionLength ignores empty intervals and merges touching ones", () => {
    expect(
      unionLength([
        [0, 10],
        [10, 20],
        [5, 5],
        [30, 31],
      ]),
    ).toBe(21);
  });
});
