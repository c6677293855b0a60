import { describe, expect, it } from "vitest";
import { tiles } from "./query.server";

const at = (iso: string) => Date.parse(iso);
const show = (t: ReturnType<typeof tiles>) =>
  t.map((x) => `${x.aggregate} ${new Date(x.start).toISOString()} ${new Date(x.end).toISOString()}`);

describe("top-device tiles", () => {
  it("covers a range exactly with days in the middle, hours beside them and minutes at the edges", () => {
    expect(show(tiles(at("2026-03-01T22:07:00Z"), at("2026-03-04T01:30:00Z")))).toEqual([
      "1m 2026-03-01T22:07:00.000Z 2026-03-01T23:00:00.000Z",
      "1h 2026-03-01T23:00:00.000Z 2026-03-02T00:00:00.000Z",
      "1d 2026-03-02T00:00:00.000Z 2026-03-04T00:00:00.000Z",
      "1h 2026-03-04T00:00:00.000Z 2026-03-04T01:00:00.000Z",
      "1m 2026-03-04T01:00:00.000Z 2026-03-04T01:30:00.000Z",
    ]);
  });

  it("uses hours without a whole day, and minutes without a whole hour", () => {
    expect(show(tiles(at("2026-03-01T10:00:00Z"), at("2026-03-01T12:00:00Z")))).toEqual([
      "1h 2026-03-01T10:00:00.000Z 2026-03-01T12:00:00.000Z",
    ]);
    expect(show(tiles(at("2026-03-01T10:05:00Z"), at("2026-03-01T10:50:00Z")))).toEqual([
      "1m 2026-03-01T10:05:00.000Z 2026-03-01T10:50:00.000Z",
    ]);
  });
});
