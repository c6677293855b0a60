// Query parameters of the VCC analytics API and page (V1, V2), named like the productivity API's: start_time and
// end_time (ISO 8601 with an offset), bucket (1m/2m/5m/15m/1h/1d), camera_id, site_id, tz (IANA). Defaults: the
// last 24 hours, 15-minute buckets, UTC. No server imports: the page parses its URL with the same schema.
import { z } from "zod";
import { BUCKET_MS, MAX_POINTS, VCC_BUCKETS, type VccBucket, type VccQuery } from "./types";

export const DEFAULT_RANGE_MS = 24 * 3600_000;
export const DEFAULT_BUCKET: VccBucket = "15m";
export const DEFAULT_TZ = "UTC";

/** True for a time zone Intl knows (IANA names such as Europe/Berlin, and UTC). */
export function isValidTimeZone(tz: string): boolean {
  if (!tz || tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC in minutes at `ms` (Berlin in summer: 120; New York in winter: -300). */
export function tzOffsetMinutes(tz: string, ms: number): number {
  const name = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" })
    .formatToParts(new Date(ms))
    .find((p) => p.type === "timeZoneName")?.value;
  const m = /GMT([+-])(\d{1,2})(?::?(\d{2}))?/.exec(name ?? "");
  if (!m) return 0;
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/**
 * Sub-day buckets are fixed lengths of real time (DST never stretches them), aligned to the zone's clock at the
 * range start: origin 2000-01-03 00:00 local. In whole-hour zones that is the UTC alignment for every preset.
 */
export function subDayOriginMs(tz: string, startMs: number): number {
  return Date.UTC(2000, 0, 3) - tzOffsetMinutes(tz, startMs) * 60_000;
}

/** Sub-day: the bucket containing `ms`. */
export function floorToBucket(ms: number, bucketMs: number, originMs: number): number {
  return originMs + Math.floor((ms - originMs) / bucketMs) * bucketMs;
}

/** How many buckets [start, end) spans once aligned (1d: an upper bound, days may have 23 or 25 hours). */
export function bucketCount(startMs: number, endMs: number, bucket: VccBucket, tz: string): number {
  if (bucket === "1d") return Math.ceil((endMs - startMs) / BUCKET_MS["1d"]) + 1;
  const size = BUCKET_MS[bucket];
  const origin = subDayOriginMs(tz, startMs);
  return (floorToBucket(endMs - 1, size, origin) - floorToBucket(startMs, size, origin)) / size + 1;
}

const emptyToUndefined = (v: unknown) => (v === "" ? undefined : v);

/** The route-level schema (also documented in the OpenAPI document). */
export const vccParamsSchema = z.object({
  start_time: z.preprocess(
    emptyToUndefined,
    z.iso
      .datetime({ offset: true, message: "start_time must be an ISO 8601 time with an offset" })
      .optional()
      .describe("Range start (inclusive), ISO 8601; default: 24 hours before end_time"),
  ),
  end_time: z.preprocess(
    emptyToUndefined,
    z.iso
      .datetime({ offset: true, message: "end_time must be an ISO 8601 time with an offset" })
      .optional()
      .describe("Range end (exclusive), ISO 8601; default: now"),
  ),
  bucket: z.preprocess(
    emptyToUndefined,
    z
      .enum(VCC_BUCKETS, { message: `bucket must be one of ${VCC_BUCKETS.join(", ")}` })
      .default(DEFAULT_BUCKET)
      .describe("Bucket size; buckets are aligned to the zone's clock, 1d buckets are local days"),
  ),
  camera_id: z.preprocess(
    emptyToUndefined,
    z.uuid({ message: "camera_id must be a camera id (UUID)" }).optional().describe("Only this camera"),
  ),
  site_id: z.preprocess(
    emptyToUndefined,
    z.uuid({ message: "site_id must be a site id (UUID)" }).optional().describe("Only the cameras of this site"),
  ),
  tz: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default(DEFAULT_TZ)
      .refine(isValidTimeZone, { message: "tz must be an IANA time zone such as Europe/Berlin or UTC" })
      .describe("IANA time zone of the buckets and CSV labels; default UTC"),
  ),
});
export type VccParams = z.input<typeof vccParamsSchema>;

export type VccParse =
  | { success: true; query: VccQuery }
  | { success: false; message: string; details: Array<{ path: string; message: string }> };

/** Parses URL parameters (or a plain object) into a VccQuery; every refusal has a clear message. */
export function parseVccParams(input: URLSearchParams | Record<string, unknown>, nowMs = Date.now()): VccParse {
  const raw = input instanceof URLSearchParams ? Object.fromEntries(input) : input;
  const parsed = vccParamsSchema.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    return { success: false, message: details.map((d) => d.message).join("; "), details };
  }
  const p = parsed.data;
  const endMs = p.end_time ? Date.parse(p.end_time) : nowMs;
  const startMs = p.start_time ? Date.parse(p.start_time) : endMs - DEFAULT_RANGE_MS;
  const fail = (path: string, message: string): VccParse => ({
    success: false,
    message,
    details: [{ path, message }],
  });
  if (!(endMs > startMs)) return fail("end_time", "end_time must be after start_time");
  const bucket = p.bucket as VccBucket;
  const tz = p.tz as string;
  const points = bucketCount(startMs, endMs, bucket, tz);
  if (points > MAX_POINTS)
    return fail(
      "bucket",
      `The range holds ${points} buckets of ${bucket}; at most ${MAX_POINTS} are allowed: choose a coarser bucket or a shorter range`,
    );
  return {
    success: true,
    query: {
      startTime: new Date(startMs).toISOString(),
      endTime: new Date(endMs).toISOString(),
      bucket,
      tz,
      cameraId: (p.camera_id as string | undefined) ?? null,
      siteId: (p.site_id as string | undefined) ?? null,
    },
  };
}

/** The URL parameters of a query (the page's links and the CSV export use them). */
export function vccQueryToParams(query: VccQuery): URLSearchParams {
  const params = new URLSearchParams({
    start_time: query.startTime,
    end_time: query.endTime,
    bucket: query.bucket,
    tz: query.tz,
  });
  if (query.cameraId) params.set("camera_id", query.cameraId);
  if (query.siteId) params.set("site_id", query.siteId);
  return params;
}
