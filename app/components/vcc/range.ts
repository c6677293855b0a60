// The dashboard's range and bucket presets (V2), pure so the loader (server) and the picker (browser) agree.
// A preset relative to now (?range=1h) is resolved at load time and keeps the page live (V4); a custom range
// (?start_time=&end_time=) is fixed and does not move.
import { bucketCount } from "~/models/vcc/params";
import { MAX_POINTS, VCC_BUCKETS, type VccBucket } from "~/models/vcc/types";

export const RANGE_PRESETS = ["15m", "1h", "24h", "7d", "30d", "today", "yesterday"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const PRESET_LABELS: Record<RangePreset, string> = {
  "15m": "Last 15 min",
  "1h": "Last hour",
  "24h": "Last 24 h",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  today: "Today",
  yesterday: "Yesterday",
};

const PRESET_MS: Partial<Record<RangePreset, number>> = {
  "15m": 15 * 60_000,
  "1h": 3_600_000,
  "24h": 86_400_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
};

export const DEFAULT_PRESET: RangePreset = "24h";

export function parsePreset(value: string | null): RangePreset | null {
  return (RANGE_PRESETS as readonly string[]).includes(value ?? "") ? (value as RangePreset) : null;
}

/** Whether the range ends at "now" (new events belong in it). */
export function isLivePreset(preset: RangePreset | null): boolean {
  return preset !== null && preset !== "yesterday";
}

/** Milliseconds `zone`'s wall clock is ahead of UTC at `ms`. */
export function zoneOffsetMs(ms: number, zone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return wall - Math.floor(ms / 1000) * 1000;
}

/** The instant of local midnight of the day containing `ms` in `zone`, shifted by `days` days (DST-correct). */
export function startOfZonedDay(ms: number, zone: string, days = 0): number {
  const local = new Date(ms + zoneOffsetMs(ms, zone));
  const wallMidnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + days);
  // Two passes: the offset at midnight may differ from the offset now (a DST change in between).
  let guess = wallMidnight - zoneOffsetMs(wallMidnight, zone);
  guess = wallMidnight - zoneOffsetMs(guess, zone);
  return guess;
}

export function resolvePreset(preset: RangePreset, now: number, zone: string): { start: number; end: number } {
  const span = PRESET_MS[preset];
  if (span) return { start: now - span, end: now };
  if (preset === "today") return { start: startOfZonedDay(now, zone), end: now };
  return { start: startOfZonedDay(now, zone, -1), end: startOfZonedDay(now, zone) };
}

/** Bars the chart would draw (the query's own count: buckets aligned to the zone's clock). */
export function pointsFor(start: number, end: number, bucket: VccBucket, tz: string): number {
  return bucketCount(start, end, bucket, tz);
}

export function bucketFits(start: number, end: number, bucket: VccBucket, tz: string): boolean {
  return pointsFor(start, end, bucket, tz) <= MAX_POINTS;
}

/** A readable default: the finest bucket giving at most ~300 bars, else the finest that fits at all. */
export function defaultBucket(start: number, end: number, tz: string): VccBucket {
  return (
    VCC_BUCKETS.find((b) => pointsFor(start, end, b, tz) <= 300) ??
    VCC_BUCKETS.find((b) => bucketFits(start, end, b, tz)) ??
    "1d"
  );
}

export const BUCKET_LABELS: Record<VccBucket, string> = {
  "1m": "1 min",
  "2m": "2 min",
  "5m": "5 min",
  "15m": "15 min",
  "1h": "1 hour",
  "1d": "1 day",
};
