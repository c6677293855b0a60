import { describe, expect, it } from "vitest";
import { planSegments, type Segment } from "./range";

const d = (s: string) => new Date(s);
const show = (segments: Segment[]) =>
  segments.map((s) => `${s.source}:${s.from?.toISOString() ?? "-inf"}..${s.to?.toISOString() ?? "+inf"}`);

describe("planSegments", () => {
  it("reads a range inside one hour from raw events only", () => {
    expect(show(planSegments(d("2025-01-01T10:05:00Z"), d("2025-01-01T10:55:00Z")))).toEqual([
      "raw:2025-01-01T10:05:00.000Z..2025-01-01T10:55:00.000Z",
    ]);
  });

  it("uses raw edges, hourly pieces and whole days", () => {
    expect(show(planSegments(d("2025-01-01T22:30:00Z"), d("2025-01-04T01:15:00Z")))).toEqual([
      "raw:2025-01-01T22:30:00.000Z..2025-01-01T23:00:00.000Z",
      "1h:2025-01-01T23:00:00.000Z..2025-01-02T00:00:00.000Z",
      "1d:2025-01-02T00:00:00.000Z..2025-01-04T00:00:00.000Z",
      "1h:2025-01-04T00:00:00.000Z..2025-01-04T01:00:00.000Z",
      "raw:2025-01-04T01:00:00.000Z..2025-01-04T01:15:00.000Z",
    ]);
  });

  it("stays hourly when no whole day fits or daily is off", () => {
    expect(show(planSegments(d("2025-01-01T10:00:00Z"), d("2025-01-01T13:00:00Z")))).toEqual([
      "1h:2025-01-01T10:00:00.000Z..2025-01-01T13:00:00.000Z",
    ]);
    expect(show(planSegments(d("2025-01-01T00:00:00Z"), d("2025-01-03T00:00:00Z"), { useDaily: false }))).toEqual([
      "1h:2025-01-01T00:00:00.000Z..2025-01-03T00:00:00.000Z",
    ]);
  });

  it("handles unbounded sides and empty ranges", () => {
    expect(show(planSegments(null, null))).toEqual(["1d:-inf..+inf"]);
    expect(show(planSegments(null, d("2025-01-02T10:30:00Z")))).toEqual([
      "1d:-inf..2025-01-02T00:00:00.000Z",
      "1h:2025-01-02T00:00:00.000Z..2025-01-02T10:00:00.000Z",
      "raw:2025-01-02T10:00:00.000Z..2025-01-02T10:30:00.000Z",
    ]);
    expect(planSegments(d("2025-01-02T10:30:00Z"), d("2025-01-02T10:30:00Z"))).toEqual([]);
  });
});
