// The visible intervals the attendance chart draws (issue 14, S1) come from computeAttendance itself: merged across
// cameras, clipped to the tenant's local day, and summing to the table's visible time.
import { describe, expect, it } from "vitest";
import { computeAttendance, mergeIntervals, type AttendanceEvent } from "./attendance";

const P = "11111111-1111-4111-8111-111111111111";
const at = (iso: string) => Date.parse(iso);
const span = (from: string, to: string, cameraId = "cam-a"): AttendanceEvent => ({
  personId: P,
  cameraId,
  start: at(from),
  end: at(to),
});
const iso = (spans: Array<[number, number]>) =>
  spans.map(([s, e]) => [new Date(s).toISOString(), new Date(e).toISOString()]);

describe("mergeIntervals", () => {
  it("sorts, merges overlapping and touching spans, drops empty ones", () => {
    expect(
      mergeIntervals([
        [30, 40],
        [0, 10],
        [10, 15],
        [5, 5],
        [12, 20],
        [50, 49],
      ]),
    ).toEqual([
      [0, 20],
      [30, 40],
    ]);
    expect(mergeIntervals([])).toEqual([]);
  });

  it("does not change its input", () => {
    const input: Array<[number, number]> = [
      [5, 8],
      [0, 6],
    ];
    mergeIntervals(input);
    expect(input).toEqual([
      [5, 8],
      [0, 6],
    ]);
  });
});

describe("computeAttendance intervals", () => {
  it("merges two cameras seeing one person at once; instants add none; the sum is the visible time", () => {
    const [row] = computeAttendance(
      [
        span("2026-05-04T08:00:00Z", "2026-05-04T09:00:00Z", "cam-a"),
        span("2026-05-04T08:30:00Z", "2026-05-04T10:00:00Z", "cam-b"),
        span("2026-05-04T16:45:00Z", "2026-05-04T16:45:00Z", "cam-c"),
        span("2026-05-04T13:00:00Z", "2026-05-04T13:20:00Z", "cam-a"),
      ],
      "UTC",
      "2026-05-04",
      "2026-05-04",
    );
    expect(iso(row!.intervals)).toEqual([
      ["2026-05-04T08:00:00.000Z", "2026-05-04T10:00:00.000Z"],
      ["2026-05-04T13:00:00.000Z", "2026-05-04T13:20:00.000Z"],
    ]);
    expect(row!.intervals.reduce((t, [s, e]) => t + e - s, 0)).toBe(row!.visibleMs);
    expect(row!.visibleMs).toBe(140 * 60_000);
  });

  it("cuts a visit at the tenant's local midnight (Berlin), each day holding its own part", () => {
    const rows = computeAttendance(
      [span("2026-01-14T21:30:00Z", "2026-01-15T00:30:00Z")],
      "Europe/Berlin",
      "2026-01-14",
      "2026-01-15",
    );
    expect(rows.map((r) => [r.day, iso(r.intervals)])).toEqual([
      ["2026-01-14", [["2026-01-14T21:30:00.000Z", "2026-01-14T23:00:00.000Z"]]],
      ["2026-01-15", [["2026-01-14T23:00:00.000Z", "2026-01-15T00:30:00.000Z"]]],
    ]);
  });

  it("clips a visit that began before the range to the range's first local day", () => {
    const [row] = computeAttendance(
      [span("2026-05-03T22:00:00Z", "2026-05-04T01:00:00Z")],
      "UTC",
      "2026-05-04",
      "2026-05-04",
    );
    expect(iso(row!.intervals)).toEqual([["2026-05-04T00:00:00.000Z", "2026-05-04T01:00:00.000Z"]]);
  });

  it("a day with only instants has a row (first/last seen) and no intervals", () => {
    const [row] = computeAttendance(
      [span("2026-05-04T08:00:00Z", "2026-05-04T08:00:00Z")],
      "UTC",
      "2026-05-04",
      "2026-05-04",
    );
    expect(row).toMatchObject({ visibleMs: 0, intervals: [] });
  });
});
