import { describe, expect, it } from "vitest";
import { bucketFits, defaultBucket, isLivePreset, resolvePreset, startOfZonedDay, zoneOffsetMs } from "./range";

describe("VCC range presets (V2)", () => {
  it("finds local midnight across DST changes", () => {
    // Berlin springs forward on 2026-03-29 at 02:00 local: that day has 23 hours.
    const noon = Date.parse("2026-03-29T10:00:00Z");
    expect(new Date(startOfZonedDay(noon, "Europe/Berlin")).toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(new Date(startOfZonedDay(noon, "Europe/Berlin", 1)).toISOString()).toBe("2026-03-29T22:00:00.000Z");
    // New York falls back on 2026-11-01: yesterday (from the 2nd) is 25 hours long.
    const { start, end } = resolvePreset("yesterday", Date.parse("2026-11-02T15:00:00Z"), "America/New_York");
    expect(new Date(start).toISOString()).toBe("2026-11-01T04:00:00.000Z");
    expect(new Date(end).toISOString()).toBe("2026-11-02T05:00:00.000Z");
    expect(zoneOffsetMs(Date.parse("2026-07-01T00:00:00Z"), "Asia/Kolkata")).toBe(330 * 60_000);
  });

  it("today runs from local midnight to now and stays live; yesterday is fixed", () => {
    const now = Date.parse("2026-12-02T00:30:00Z");
    const today = resolvePreset("today", now, "America/New_York");
    expect(new Date(today.start).toISOString()).toBe("2026-12-01T05:00:00.000Z");
    expect(today.end).toBe(now);
    expect(isLivePreset("today")).toBe(true);
    expect(isLivePreset("yesterday")).toBe(false);
    expect(isLivePreset(null)).toBe(false);
  });

  it("refuses buckets past MAX_POINTS and picks a readable default", () => {
    const end = Date.parse("2026-12-02T00:00:00Z");
    const day = 86_400_000;
    expect(bucketFits(end - 30 * day, end, "1m", "UTC")).toBe(false);
    expect(bucketFits(end - 30 * day, end, "1h", "UTC")).toBe(true);
    expect(defaultBucket(end - 3_600_000, end, "UTC")).toBe("1m");
    expect(defaultBucket(end - day, end, "UTC")).toBe("5m");
    expect(defaultBucket(end - 7 * day, end, "UTC")).toBe("1h");
    expect(defaultBucket(end - 30 * day, end, "UTC")).toBe("1d");
  });
});
