// The VccResult shape (types.ts) as a zod schema, for the OpenAPI document (V1-V5).
import { z } from "zod";
import { VCC_BUCKETS } from "./types";

const series = z.array(z.number().int());
export const vccResultSchema = z.object({
  query: z.object({
    startTime: z.string(),
    endTime: z.string(),
    bucket: z.enum(VCC_BUCKETS),
    tz: z.string(),
    cameraId: z.string().nullable(),
    siteId: z.string().nullable(),
  }),
  buckets: z.array(z.string()).describe("Bucket starts, ISO UTC, ascending, every bucket of the range"),
  classes: z.array(z.string()).describe("Classes present in the range, most counted first"),
  byClass: z.record(z.string(), series).describe("Per class: crossings per bucket (index i = buckets[i])"),
  direction: z.object({ in: series, out: series }),
  totals: z.object({
    total: z.number().int(),
    in: z.number().int(),
    out: z.number().int(),
    byClass: z.record(z.string(), z.number().int()),
  }),
  peak: z.object({ bucket: z.string(), total: z.number().int() }).nullable(),
  topDevices: z
    .array(z.object({ cameraId: z.string(), name: z.string(), total: z.number().int() }))
    .describe("Cameras of the tenant (or site) ranked by crossings in the range, regardless of camera_id"),
  source: z.object({ aggregate: z.enum(["1m", "1h", "1d"]), rawTail: z.boolean() }),
  range: z
    .object({ start: z.string(), end: z.string() })
    .optional()
    .describe("The whole buckets covered: first bucket start to last bucket end (exclusive)"),
});
