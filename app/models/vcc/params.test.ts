import { describe, expect, it } from "vitest";
import { bucketCount, isValidTimeZone, parseVccParams, tzOffsetMinutes, vccQueryToParams } from "./params";
import { MAX_POINTS } from "./types";

const NOW = Date.parse("2026-06-01T12:00:00Z");

describe("VCC params (V1, V2)", () => {
  it("defaults to the last 24 hours, 15-minute buckets, UTC, all cameras", () => {
    const parsed = parseVccParams(new URLSearchParams(), NOW);
    expect(parsed).toEqual({
      success: true,
      query: {
        startTime: "2026-05-31T12:00:00.000Z",
        endTime: "2026-06-01T12:00:00.000Z",
        bucket: "15m",
        tz: "UTC",
        cameraId: null,
        siteId: null,
      },
    });
  });

  it("parses every field, treats empty values as absent and round-trips through URL parameters", () => {
    const camera = "0b6f2f6e-4c1e-4f6a-9a57-0c6d8a1e1a11";
    const parsed = parseVccParams(
      new URLSearchParams({
        start_time: "2026-03-29T00:00:00+01:00",
        end_time: "2026-03-30T00:00:00+02:00",
        bucket: "1h",
        tz: "Europe/Berlin",
        camera_id: camera,
        site_id: "",
      }),
      NOW,
    );
    expect(parsed.success).toBe(true);
    if (!parsed.success) return;
    expect(parsed.query).toMatchObject({ startTime: "2026-03-28T23:00:00.000Z", bucket: "1h", cameraId: camera });
    expect(parsed.query.siteId).toBeNull();
    const again = parseVccParams(vccQueryToParams(parsed.query), NOW);
    expect(again).toEqual(parsed);
  });

  it.each([
    [{ tz: "Nowhere/City" }, /tz must be an IANA time zone/],
    [{ bucket: "10m" }, /bucket must be one of/],
    [{ camera_id: "7" }, /camera_id must be a camera id/],
    [{ site_id: "x" }, /site_id must be a site id/],
    [{ start_time: "2026-01-01" }, /start_time must be an ISO 8601 time/],
    [{ start_time: "2026-06-01T12:00:00Z", end_time: "2026-06-01T11:00:00Z" }, /end_time must be after start_time/],
    [{ start_time: "2026-05-01T00:00:00Z", end_time: "2026-05-03T00:00:00Z", bucket: "1m" }, /at most 2000/],
  ])("refuses %j with a clear message", (params, message) => {
    const parsed = parseVccParams(params, NOW);
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(parsed.message).toMatch(message);
  });

  it("counts aligned buckets and allows exactly MAX_POINTS", () => {
    const start = Date.parse("2026-05-01T00:00:00Z");
    expect(bucketCount(start, start + MAX_POINTS * 60_000, "1m", "UTC")).toBe(MAX_POINTS);
    expect(bucketCount(start + 30_000, start + MAX_POINTS * 60_000, "1m", "UTC")).toBe(MAX_POINTS);
    expect(bucketCount(start + 30_000, start + MAX_POINTS * 60_000 + 1, "1m", "UTC")).toBe(MAX_POINTS + 1);
    expect(bucketCount(start, start + 3600_000, "1h", "Asia/Kolkata")).toBe(2); // hours start at :30 UTC there
    const ok = parseVccParams(
      {
        start_time: "2026-05-01T00:00:00Z",
        end_time: new Date(start + MAX_POINTS * 60_000).toISOString(),
        bucket: "1m",
      },
      NOW,
    );
    expect(ok.success).toBe(true);
  });

  it("knows zones and their offsets, DST included", () => {
    expect(isValidTimeZone("America/New_York")).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Mars/Base")).toBe(false);
    expect(tzOffsetMinutes("Europe/Berlin", Date.parse("2026-03-29T00:59:00Z"))).toBe(60);
    expect(tzOffsetMinutes("Europe/Berlin", Date.parse("2026-03-29T01:00:00Z"))).toBe(120);
    expect(tzOffsetMinutes("America/New_York", Date.parse("2026-01-15T00:00:00Z"))).toBe(-300);
    expect(tzOffsetMinutes("Asia/Kolkata", 0)).toBe(330);
    expect(tzOffsetMinutes("UTC", 0)).toBe(0);
  });
});
