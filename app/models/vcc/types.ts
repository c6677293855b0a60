// The VCC analytics contract (SPEC V1-V5): one normalised shape for one camera or many, shared by the query
// (app/models/vcc/*.server.ts), the JSON API (GET /api/v1/analytics/vcc), the CSV export and the dashboard page.
// No server imports: the browser uses these types and the pure helpers next to them.

/** Bucket presets (V2). */
export const VCC_BUCKETS = ["1m", "2m", "5m", "15m", "1h", "1d"] as const;
export type VccBucket = (typeof VCC_BUCKETS)[number];
export const BUCKET_MS: Record<VccBucket, number> = {
  "1m": 60_000,
  "2m": 120_000,
  "5m": 300_000,
  "15m": 900_000,
  "1h": 3_600_000,
  "1d": 86_400_000,
};
/** At most this many buckets per chart: a longer range with a fine bucket is refused with a clear 400. */
export const MAX_POINTS = 2_000;

/** What the page and the API filter by (V1, V2). Times are ISO 8601 with an offset; tz is an IANA zone. */
export interface VccQuery {
  startTime: string;
  endTime: string;
  bucket: VccBucket;
  /** IANA time zone the buckets of 1d (and the labels) are aligned to; DST-correct. */
  tz: string;
  cameraId: string | null;
  siteId: string | null;
}

/** Counts of line crossings (D3) per bucket, aligned arrays (index i = buckets[i]). */
export interface VccResult {
  query: VccQuery;
  /** Bucket starts, ISO UTC, ascending, every bucket of the range (empty ones included). */
  buckets: string[];
  /** Classes present in the range, most counted first. */
  classes: string[];
  /** Per class: crossings per bucket (both directions). */
  byClass: Record<string, number[]>;
  /** Per direction: crossings per bucket (all classes). */
  direction: { in: number[]; out: number[] };
  totals: { total: number; in: number; out: number; byClass: Record<string, number> };
  /** The bucket with the most crossings, null when there are none. */
  peak: { bucket: string; total: number } | null;
  /** Cameras ranked by crossings in the range (all cameras of the tenant / site, not only the filtered one). */
  topDevices: Array<{ cameraId: string; name: string; total: number }>;
  /** Which aggregate answered (1m, 1h or 1d), plus whether a raw tail was added for the newest minutes. */
  source: { aggregate: "1m" | "1h" | "1d"; rawTail: boolean };
  /**
   * The range the buckets cover: the first bucket's start to the last bucket's end (exclusive), ISO UTC. The query
   * widens [startTime, endTime) to whole buckets, so every bucket is complete (added with the query, optional).
   */
  range?: { start: string; end: string };
}
