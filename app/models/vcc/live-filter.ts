// Live updates of the VCC dashboard (V4) as pure functions: whether a stored event ("detections:stored") counts
// for the current query, and the result with that event added to its bucket, totals, peak and top devices.
// No server imports: the page runs them on every socket.io event. The page applies events only while its range
// ends at now (a preset relative to now): a past range does not move.
import { buildResult } from "./result";
import { BUCKET_MS, MAX_POINTS, type VccQuery, type VccResult } from "./types";
import type { StoredEventView } from "../../../protocol/browser";

/** A camera's site: a lookup, or the event camera's site id itself (null: no site). */
export type CameraSite = ((cameraId: string) => string | null | undefined) | string | null | undefined;

/** Events dated further ahead of the viewer's clock than this are not counted live (a wrong worker clock). */
export const LIVE_FUTURE_SLACK_MS = 5 * 60_000;
/** A live sub-day chart grows by at most this many buckets past its loaded range before a reload is due. */
export const LIVE_MAX_APPENDED = 60;

/**
 * True when the event is a line crossing of the query's camera (or site) at or after the range start, and not
 * dated in the future. Whether it falls inside the loaded buckets is applyLiveEvent's business.
 */
export function matchesVccQuery(
  event: StoredEventView,
  query: VccQuery,
  cameraSiteOf?: CameraSite,
  nowMs: number = Date.now(),
): boolean {
  if (event.type !== "line_crossing") return false;
  if (query.cameraId && event.cameraId !== query.cameraId) return false;
  if (query.siteId) {
    const site = typeof cameraSiteOf === "function" ? cameraSiteOf(event.cameraId) : cameraSiteOf;
    if (site !== query.siteId) return false;
  }
  const t = Date.parse(event.time);
  if (!Number.isFinite(t)) return false;
  return t >= Date.parse(query.startTime) && t <= nowMs + LIVE_FUTURE_SLACK_MS;
}

/**
 * The result with one crossing added, or the same object when it does not match the query's filters or falls
 * outside the buckets. A sub-day chart whose range ends at the last bucket grows by new (empty) buckets for a
 * crossing just after it (at most LIVE_MAX_APPENDED, never past MAX_POINTS); 1d charts do not grow.
 */
export function applyLiveEvent(result: VccResult, event: StoredEventView, cameraSiteOf?: CameraSite): VccResult {
  if (!matchesVccQuery(event, result.query, cameraSiteOf, Number.POSITIVE_INFINITY)) return result;
  if (!result.buckets.length) return result;
  const t = Date.parse(event.time);
  const starts = result.buckets.map((b) => Date.parse(b));
  const size = result.query.bucket === "1d" ? null : BUCKET_MS[result.query.bucket];
  const last = starts[starts.length - 1];
  const endMs = result.range ? Date.parse(result.range.end) : size ? last + size : Number.NaN;
  if (!Number.isFinite(endMs) || t < starts[0]) return result;
  let buckets = result.buckets;
  let byClass = result.byClass;
  let direction = result.direction;
  if (t >= endMs) {
    if (!size) return result;
    const extra = Math.floor((t - endMs) / size) + 1;
    if (extra > LIVE_MAX_APPENDED || starts.length + extra > MAX_POINTS) return result;
    const added = Array.from({ length: extra }, (_, i) => new Date(endMs + i * size).toISOString());
    buckets = [...buckets, ...added];
    const pad = (values: number[]) => [...values, ...new Array<number>(extra).fill(0)];
    byClass = Object.fromEntries(Object.entries(byClass).map(([c, v]) => [c, pad(v)]));
    direction = { in: pad(direction.in), out: pad(direction.out) };
    starts.push(...added.map((b) => Date.parse(b)));
  }
  let index = starts.length - 1;
  while (index > 0 && starts[index] > t) index--;
  const cls = event.class ?? "unknown";
  const bump = (values: number[] | undefined) => {
    const next = values ? [...values] : new Array<number>(buckets.length).fill(0);
    next[index] += 1;
    return next;
  };
  byClass = { ...byClass, [cls]: bump(byClass[cls]) };
  if (event.direction === "in" || event.direction === "out")
    direction = { ...direction, [event.direction]: bump(direction[event.direction]) };
  const topDevices = [...result.topDevices].some((d) => d.cameraId === event.cameraId)
    ? result.topDevices.map((d) => (d.cameraId === event.cameraId ? { ...d, total: d.total + 1 } : d))
    : [...result.topDevices];
  topDevices.sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
  const range = {
    start: buckets[0],
    end: new Date(size ? Date.parse(buckets[buckets.length - 1]) + size : endMs).toISOString(),
  };
  return buildResult(result.query, buckets, byClass, direction, topDevices, result.source, range);
}
