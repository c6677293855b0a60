// Attendance (issue 14, S1): per person per day in the TENANT's time zone, from face events. Pure: no I/O, so the
// day boundaries (midnight in the tenant's zone, 23- and 25-hour DST days) are unit-tested directly.
//   - a face_track_end gives a visible interval [firstSeen, firstSeen + visibleMs];
//   - a face_recognised gives an instant (a track still in view, or one whose end was lost);
// each is clipped to the days it touches. Per person and day: first seen, last seen, the cameras, and the total
// visible time as the UNION of the intervals (two cameras seeing a person at once count once).
import { zoneOffsetMs } from "../../components/vcc/range";

export interface AttendanceEvent {
  personId: string;
  cameraId: string;
  /** Start and end, ms since epoch (equal for an instant). */
  start: number;
  end: number;
}

export interface AttendanceDay {
  personId: string;
  /** The tenant's local date, YYYY-MM-DD. */
  day: string;
  firstSeen: number;
  lastSeen: number;
  cameraIds: string[];
  visibleMs: number;
  /** The visible spans of the day (merged, clipped to the local day); their lengths sum to visibleMs. */
  intervals: Array<[number, number]>;
}

/** Minutes east of UTC of `timeZone` at the instant `ms` (the dashboards' zone arithmetic, components/vcc/range). */
export function zoneOffsetMinutes(ms: number, timeZone: string): number {
  return Math.round(zoneOffsetMs(ms, timeZone) / 60_000);
}

/** The local date (YYYY-MM-DD) of an instant in `timeZone`. */
export function localDay(ms: number, timeZone: string): string {
  return new Date(ms + zoneOffsetMs(ms, timeZone)).toISOString().slice(0, 10);
}

/** The instant local midnight starts the date `day` (YYYY-MM-DD) in `timeZone`. */
export function startOfDay(day: string, timeZone: string): number {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  // Two passes: the offset at the guess, then at the corrected instant (they differ on a DST day).
  return guess - zoneOffsetMs(guess - zoneOffsetMs(guess, timeZone), timeZone);
}

/** The date after `day` (calendar arithmetic, zone-free). */
export function nextDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/**
 * Pure: the union of intervals as disjoint, sorted [start, end) spans of positive length (touching spans merge). The
 * attendance chart draws exactly these, so the chart and the table's visible time come from one computation.
 */
export function mergeIntervals(intervals: Array<[number, number]>): Array<[number, number]> {
  const sorted = intervals.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [s, e] of sorted) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

/** Pure: length of the union of intervals. */
export function unionLength(intervals: Array<[number, number]>): number {
  return mergeIntervals(intervals).reduce((total, [s, e]) => total + e - s, 0);
}

/**
 * Pure: the attendance rows for the local dates fromDay..toDay (inclusive) in `timeZone`, sorted by day then person.
 * Events outside the range are clipped away.
 */
export function computeAttendance(
  events: AttendanceEvent[],
  timeZone: string,
  fromDay: string,
  toDay: string,
): AttendanceDay[] {
  const rangeStart = startOfDay(fromDay, timeZone);
  const rangeEnd = startOfDay(nextDay(toDay), timeZone);
  const days = new Map<
    string,
    { personId: string; day: string; first: number; last: number; cams: Set<string>; spans: Array<[number, number]> }
  >();
  for (const e of events) {
    const eventEnd = Math.max(e.end, e.start);
    // Entirely outside (an instant at the range's end belongs to the day after; an interval ending exactly at the
    // range's start leaves nothing inside it).
    if (e.start >= rangeEnd || eventEnd < rangeStart || (eventEnd === rangeStart && e.start < rangeStart)) continue;
    const start = Math.max(e.start, rangeStart);
    const end = Math.min(eventEnd, rangeEnd);
    let day = localDay(start, timeZone);
    for (;;) {
      const dayStart = startOfDay(day, timeZone);
      const dayEnd = startOfDay(nextDay(day), timeZone);
      const s = Math.max(start, dayStart);
      const t = Math.min(end, dayEnd);
      if (s <= t && s < dayEnd) {
        const key = `${day}\u0000${e.personId}`;
        const row = days.get(key) ?? {
          personId: e.personId,
          day,
          first: s,
          last: t,
          cams: new Set<string>(),
          spans: [],
        };
        row.first = Math.min(row.first, s);
        row.last = Math.max(row.last, t);
        row.cams.add(e.cameraId);
        row.spans.push([s, t]);
        days.set(key, row);
      }
      if (end <= dayEnd) break;
      day = nextDay(day);
    }
  }
  return [...days.values()]
    .map((r) => {
      const intervals = mergeIntervals(r.spans);
      return {
        personId: r.personId,
        day: r.day,
        firstSeen: r.first,
        lastSeen: r.last,
        cameraIds: [...r.cams].sort(),
        visibleMs: intervals.reduce((total, [s, e]) => total + e - s, 0),
        intervals,
      };
    })
    .sort((a, b) => (a.day === b.day ? a.personId.localeCompare(b.personId) : a.day < b.day ? -1 : 1));
}

/** Pure: an instant as ISO 8601 with the zone's offset at that instant, e.g. 2026-03-29T09:15:00+02:00. */
export function isoWithOffset(ms: number, timeZone: string): string {
  const offset = zoneOffsetMinutes(ms, timeZone);
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}
