import { describe, expect, it } from "vitest";
import { lanesOf, ticksOf, type TimelineRow } from "./attendance-timeline";

const row = (personId: string, name: string, day: string, intervals: Array<[string, string]>): TimelineRow => ({
  day,
  personId,
  name,
  firstSeen: intervals[0]?.[0] ?? `${day}T08:00:00.000Z`,
  lastSeen: intervals.at(-1)?.[1] ?? `${day}T08:00:00.000Z`,
  intervals: intervals.map(([start, end]) => ({ start, end })),
});

describe("attendance timeline", () => {
  it("one lane per person, by name, holding every day's intervals and their total", () => {
    const lanes = lanesOf([
      row("b", "Zoe", "2026-05-04", [["2026-05-04T08:00:00Z", "2026-05-04T09:00:00Z"]]),
      row("a", "Ada", "2026-05-04", []),
      row("b", "Zoe", "2026-05-05", [["2026-05-05T08:00:00Z", "2026-05-05T08:30:00Z"]]),
    ]);
    expect(lanes.map((l) => [l.name, l.bars.length, l.spans.length, l.visibleMs])).toEqual([
      ["Ada", 0, 1, 0],
      ["Zoe", 2, 2, 5_400_000],
    ]);
  });

  it("a single day: the tenant's local day, ticked every 4 hours of the viewer's zone", () => {
    const axis = ticksOf("2026-03-29", "2026-03-29", "Europe/Berlin", "UTC");
    // The spring-forward day in Berlin is 23 hours long: 22:00Z to 21:00Z.
    expect(new Date(axis.start).toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(axis.end - axis.start).toBe(23 * 3600_000);
    expect(axis.ticks.map((t) => new Date(t.at).toISOString().slice(11, 16))).toEqual([
      "00:00",
      "04:00",
      "08:00",
      "12:00",
      "16:00",
      "20:00",
    ]);
    // A viewer in India (UTC+5:30) gets whole hours of their own clock.
    const india = ticksOf("2026-03-29", "2026-03-29", "Europe/Berlin", "Asia/Kolkata");
    expect(india.ticks.every((t) => new Date(t.at).getUTCMinutes() === 30)).toBe(true);
  });

  it("a long range: day labels, at most 8, and no day grid beyond a month", () => {
    const week = ticksOf("2026-05-01", "2026-05-07", "UTC", "UTC");
    expect(week.ticks).toHaveLength(7);
    expect(week.midnights).toHaveLength(7);
    const quarter = ticksOf("2026-01-01", "2026-03-31", "UTC", "UTC");
    expect(quarter.ticks.length).toBeLessThanOrEqual(8);
    expect(quarter.midnights).toEqual([]);
  });
});
