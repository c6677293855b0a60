import { describe, expect, it } from "vitest";
import { lateRefreshWindows } from "./aggregates.server";

const now = Date.parse("2026-12-01T12:00:30.000Z");

describe("lateRefreshWindows (T3)", () => {
  it("leaves recent events to the periodic refresh and real-time aggregation", () => {
    expect(lateRefreshWindows(new Date(now - 3600_000), new Date(now), now)).toEqual([]);
  });

  it("refreshes the minute buckets of events older than the periodic lookback, bucket-aligned", () => {
    const from = new Date("2026-12-01T05:10:20.000Z");
    const to = new Date("2026-12-01T05:12:00.000Z");
    const minutes = { start: new Date("2026-12-01T05:10:00.000Z"), end: new Date("2026-12-01T05:13:00.000Z") };
    // Per camera and tenant-wide (migration 0013) alike.
    expect(lateRefreshWindows(from, to, now)).toEqual([
      { view: "detection_counts_1m", ...minutes },
      { view: "detection_counts_tenant_1m", ...minutes },
    ]);
  });

  it("also refreshes hourly buckets older than two days, never into the open bucket", () => {
    const from = new Date("2026-11-28T05:10:00.000Z");
    const windows = lateRefreshWindows(from, new Date(now), now);
    expect(windows.map((w) => w.view)).toEqual([
      "detection_counts_1m",
      "detection_counts_1h",
      "detection_counts_tenant_1m",
      "detection_counts_tenant_1h",
      "detection_camera_totals_1h",
    ]);
    expect(windows[0].end.toISOString()).toBe("2026-12-01T11:59:00.000Z");
    const hours = { start: new Date("2026-11-28T05:00:00.000Z"), end: new Date("2026-12-01T11:00:00.000Z") };
    expect(windows[1]).toEqual({ view: "detection_counts_1h", ...hours });
    expect(windows[3]).toEqual({ view: "detection_counts_tenant_1h", ...hours });
  });

  it("refreshes daily buckets older than a week up to the current UTC day, never into it", () => {
    const windows = lateRefreshWindows(new Date("2026-11-20T05:10:00.000Z"), new Date("2026-11-20T06:00:00.000Z"), now);
    const daily = windows.filter((w) => w.view.endsWith("_1d"));
    expect(daily.map((w) => w.view)).toEqual([
      "detection_counts_1d",
      "detection_counts_tenant_1d",
      "detection_camera_totals_1d",
    ]);
    expect(daily[0].start.toISOString()).toBe("2026-11-20T00:00:00.000Z");
    expect(daily[0].end.toISOString()).toBe("2026-11-21T00:00:00.000Z");
  });
});
