// Sample traffic for the VCC dashboard (issue 11 §7): realistic line crossings written THROUGH ingestEventBatch,
// the same set-based, idempotent path a worker's batches take. Per camera and hour: a daily rhythm (morning,
// lunch and evening peaks, quiet nights, calmer weekends), a per-camera rate, multiplicative noise, a Poisson
// number of crossings at uniform times; classes weighted to person and car; direction split per camera, biased
// "in" in the morning and "out" in the evening. Afterwards the touched buckets of the three aggregates are
// refreshed (generated history lies below their watermarks, where real-time aggregation does not look).
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { refreshWindow, refreshWindows } from "../detections/aggregates.server";
import { ingestEventBatch } from "../detections/ingest.server";
import { rowsOf } from "../productivity/ingest.server";
import { isValidTimeZone } from "./params";

/** POST /api/v1/data/generate-vcc body. */
/** Largest generation one request may ask for (it runs inside the request). */
export const MAX_GENERATED_EVENTS = 3_000_000;

export const generateVccInputSchema = z.object({
  cameras: z.number().int().min(1).max(50).default(5).describe("How many cameras get traffic"),
  days: z.number().min(0.05).max(31).default(1).describe("Days of history ending at end_time"),
  rate: z.number().min(1).max(2000).default(60).describe("Mean crossings per camera per hour"),
  end_time: z.iso.datetime({ offset: true, message: "end_time must be an ISO 8601 time" }).optional(),
  tz: z
    .string()
    .default("UTC")
    .refine(isValidTimeZone, { message: "tz must be an IANA time zone" })
    .describe("Zone of the daily rhythm"),
  seed: z.number().int().optional(),
});

export const GENERATOR_WORKER_ID = "vcc-generator";
const HOUR = 3600_000;
const CLASS_MIX: Array<[string, number]> = [
  ["person", 0.5],
  ["car", 0.3],
  ["bicycle", 0.08],
  ["truck", 0.06],
  ["bus", 0.03],
  ["motorcycle", 0.03],
];

export interface VccGenerateOptions {
  cameraIds: string[];
  days: number;
  /** Mean crossings per camera per hour (before the camera's own factor and the daily rhythm). */
  ratePerHour: number;
  /** End of the generated span (ms, default now); it starts `days` before. */
  endMs?: number;
  /** Seed of the pseudo-random numbers (same seed, same traffic except event ids). */
  seed?: number;
  batchSize?: number;
  /** The span's hours are in this zone for the daily rhythm (default UTC). */
  tz?: string;
  onProgress?: (progress: { hoursDone: number; hours: number; events: number }) => void;
  /** Skip the aggregate refresh (the caller refreshes once at the end). */
  skipRefresh?: boolean;
}

export interface VccGenerateResult {
  events: number;
  stored: number;
  duplicates: number;
  from: string;
  to: string;
  cameras: number;
  ms: number;
}

/** mulberry32: small, fast, seedable. */
export function prng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const gauss = (x: number, mu: number, sigma: number) => Math.exp(-((x - mu) ** 2) / (2 * sigma ** 2));
const RAW_RHYTHM = Array.from(
  { length: 24 },
  (_, h) => 0.08 + 1.1 * gauss(h, 8.5, 1.4) + 0.7 * gauss(h, 12.5, 1.6) + 1.2 * gauss(h, 17.5, 1.7),
);
const RHYTHM_MEAN = RAW_RHYTHM.reduce((a, b) => a + b, 0) / 24;
/** Pure: the daily rhythm, mean 1 over a weekday; weekends at 60 %. */
export function rhythm(localHour: number, weekend: boolean): number {
  return (RAW_RHYTHM[localHour] / RHYTHM_MEAN) * (weekend ? 0.6 : 1);
}

function poisson(lambda: number, random: () => number): number {
  if (lambda <= 0) return 0;
  if (lambda > 40) {
    // Normal approximation for large means.
    const z = Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * z));
  }
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

function pick(mix: Array<[string, number]>, random: () => number): string {
  let r = random();
  for (const [value, weight] of mix) {
    r -= weight;
    if (r <= 0) return value;
  }
  return mix[0][0];
}

function localHourOf(ms: number, tz: string): { hour: number; weekend: boolean } {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: tz, hour: "numeric", hourCycle: "h23", weekday: "short" })
    .formatToParts(ms)
    .reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});
  return { hour: Number(parts.hour) % 24, weekend: parts.weekday === "Sat" || parts.weekday === "Sun" };
}

/** The tenant's cameras (by name), creating "Sample camera N" ones (browser kind, not assigned) up to `count`. */
export async function ensureSampleCameras(db: Db, tenantId: string, count: number): Promise<string[]> {
  const existing = rowsOf<{ id: string }>(
    await db.execute(sql`SELECT id FROM cameras WHERE tenant_id = ${tenantId}::uuid ORDER BY name LIMIT ${count}`),
  ).map((r) => r.id);
  if (existing.length >= count) return existing;
  await db.execute(sql`
    INSERT INTO cameras (tenant_id, name, kind)
    SELECT ${tenantId}::uuid, 'Sample camera ' || n, 'browser' FROM generate_series(1, ${count}) AS n
    ON CONFLICT (tenant_id, name) DO NOTHING`);
  return rowsOf<{ id: string }>(
    await db.execute(sql`SELECT id FROM cameras WHERE tenant_id = ${tenantId}::uuid ORDER BY name LIMIT ${count}`),
  ).map((r) => r.id);
}

/** Refreshes the detection count aggregates over [fromMs, toMs], bucket-aligned, never into their open buckets. */
export async function refreshVccAggregates(db: Db, fromMs: number, toMs: number, now = Date.now()): Promise<void> {
  for (const w of refreshWindows(new Date(fromMs), new Date(toMs), now, false)) await refreshWindow(db, w);
}

export async function generateVccTraffic(
  db: Db,
  tenantId: string,
  options: VccGenerateOptions,
): Promise<VccGenerateResult> {
  const started = performance.now();
  const random = prng(options.seed ?? 11);
  const tz = options.tz ?? "UTC";
  const batchSize = options.batchSize ?? 5_000;
  const endMs = Math.floor((options.endMs ?? Date.now()) / 1000) * 1000;
  const hours = Math.max(1, Math.round(options.days * 24));
  const fromMs = endMs - hours * HOUR;
  const cameras = options.cameraIds.map((id) => ({
    id,
    factor: 0.3 + 1.7 * random() ** 1.5,
    inShare: 0.4 + 0.2 * random(),
    lines: random() < 0.5 ? ["entrance"] : ["entrance", "exit"],
  }));
  let batch: unknown[] = [];
  let events = 0;
  let stored = 0;
  let duplicates = 0;
  let lamport = 0;
  const flush = async () => {
    if (!batch.length) return;
    const { reply } = await ingestEventBatch(
      { db, tenantId, workerId: GENERATOR_WORKER_ID },
      { batchId: randomUUID(), events: batch },
    );
    if (reply.rejected.length) throw new Error(`generator: ${reply.rejected[0].message}`);
    stored += reply.stored;
    duplicates += reply.duplicates;
    batch = [];
  };
  for (let h = 0; h < hours; h++) {
    const hourStart = fromMs + h * HOUR;
    const local = localHourOf(hourStart, tz);
    const base = options.ratePerHour * rhythm(local.hour, local.weekend);
    const inBias = local.hour < 12 ? 0.12 : local.hour >= 15 ? -0.12 : 0;
    for (const camera of cameras) {
      const noise = 0.75 + 0.5 * random();
      const n = poisson(base * camera.factor * noise, random);
      for (let i = 0; i < n; i++) {
        const at = hourStart + Math.floor(random() * HOUR);
        if (at >= endMs) continue;
        const iso = new Date(at).toISOString();
        lamport++;
        batch.push({
          type: "line_crossing",
          eventId: randomUUID(),
          cameraId: camera.id,
          utcTimestamp: iso,
          localTime: iso.slice(0, 23),
          timezoneOffset: 0,
          driftOffset: 0,
          correctedUtc: iso,
          lamport,
          modelId: "vcc-generator",
          modelVersion: "1",
          trackId: lamport % 2_000_000_000,
          class: pick(CLASS_MIX, random),
          confidence: Math.round((0.5 + 0.45 * random()) * 100) / 100,
          lineId: camera.lines[Math.floor(random() * camera.lines.length)],
          direction: random() < camera.inShare + inBias ? "in" : "out",
        });
        events++;
        if (batch.length >= batchSize) await flush();
      }
    }
    options.onProgress?.({ hoursDone: h + 1, hours, events });
  }
  await flush();
  if (!options.skipRefresh) await refreshVccAggregates(db, fromMs, endMs);
  return {
    events,
    stored,
    duplicates,
    from: new Date(fromMs).toISOString(),
    to: new Date(endMs).toISOString(),
    cameras: cameras.length,
    ms: Math.round(performance.now() - started),
  };
}
