// Splits a metrics time range into pieces read from the cheapest source that is still exact:
// raw events for the ragged edges, the hourly aggregate for whole hours, the daily one for whole
// days. Every boundary is half-open [from, to); null means unbounded on that side.
export type RollupSource = "raw" | "1h" | "1d";

export interface Segment {
  source: RollupSource;
  from: Date | null;
  to: Date | null;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

const floorTo = (d: Date, unit: number) => new Date(Math.floor(d.getTime() / unit) * unit);
const ceilTo = (d: Date, unit: number) => new Date(Math.ceil(d.getTime() / unit) * unit);

export function planSegments(
  start: Date | null,
  end: Date | null,
  options: { useDaily: boolean } = { useDaily: true },
): Segment[] {
  const hourFrom = start ? ceilTo(start, HOUR) : null;
  const hourTo = end ? floorTo(end, HOUR) : null;
  if (start && end && (hourFrom!.getTime() >= hourTo!.getTime() || start >= end)) {
    return start < end ? [{ source: "raw", from: start, to: end }] : [];
  }
  const segments: Segment[] = [];
  if (start && start < hourFrom!) segments.push({ source: "raw", from: start, to: hourFrom });
  segments.push(...planWhole(hourFrom, hourTo, options.useDaily));
  if (end && hourTo! < end) segments.push({ source: "raw", from: hourTo, to: end });
  return segments;
}

function planWhole(from: Date | null, to: Date | null, useDaily: boolean): Segment[] {
  if (!useDaily) return [{ source: "1h", from, to }];
  const dayFrom = from ? ceilTo(from, DAY) : null;
  const dayTo = to ? floorTo(to, DAY) : null;
  if (dayFrom && dayTo && dayFrom >= dayTo) return [{ source: "1h", from, to }];
  const segments: Segment[] = [];
  if (from && from < dayFrom!) segments.push({ source: "1h", from, to: dayFrom });
  segments.push({ source: "1d", from: dayFrom, to: dayTo });
  if (to && dayTo! < to) segments.push({ source: "1h", from: dayTo, to });
  return segments;
}
