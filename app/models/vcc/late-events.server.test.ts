// Late events stay exact on every aggregate level (T2, T3, V1-V3): crossings that arrive after their buckets were
// materialised (a spool replayed after an outage: 5 hours, 30 hours, 4 and 10 days old) are counted by the VCC query
// at 1m, 1h and 1d, for all cameras (tenant-wide levels) and one camera (per-camera levels), and in Top devices
// (per-camera totals), once the server has done
// what it does on ingest (LateAggregateRefresher) and its periodic job has run once. Real embedded TimescaleDB.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../../db/client";
import { TimescaleJobs } from "../../../db/timescale/jobs";
import { LateAggregateRefresher } from "../detections/aggregates.server";
import { ingestEventBatch } from "../detections/ingest.server";
import { queryVcc } from "./query.server";
import type { VccBucket } from "./types";

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const dir = mkdtempSync(path.join(tmpdir(), "argus-vcc-late-"));
let handle: DatabaseHandle;
let tenantId: string;
let cameras: string[];
let jobs: TimescaleJobs;
const quiet = { info() {}, warn() {}, debug() {} };
let lamport = 0;

async function send(times: number[]): Promise<{ from: Date; to: Date }> {
  const events = times.map((ms, i) => {
    const iso = new Date(ms).toISOString();
    return {
      type: "line_crossing",
      eventId: randomUUID(),
      cameraId: cameras[i % cameras.length],
      utcTimestamp: iso,
      localTime: iso.slice(0, 23),
      timezoneOffset: 0,
      driftOffset: 0,
      correctedUtc: iso,
      lamport: ++lamport,
      modelId: "test",
      modelVersion: "1",
      trackId: lamport,
      class: i % 3 ? "person" : "car",
      confidence: 0.9,
      lineId: "gate",
      direction: i % 2 ? "in" : "out",
    };
  });
  const { reply } = await ingestEventBatch(
    { db: handle.db, tenantId, workerId: "w" },
    { batchId: randomUUID(), events },
  );
  expect(reply.stored).toBe(times.length);
  return { from: new Date(Math.min(...times)), to: new Date(Math.max(...times)) };
}

async function rawTotal(fromMs: number, toMs: number, cameraId?: string): Promise<number> {
  const [row] = await handle.query<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM detection_events WHERE tenant_id = ${tenantId}::uuid AND type = 'line_crossing'
      AND corrected_utc >= ${new Date(fromMs).toISOString()}::timestamptz
      AND corrected_utc < ${new Date(toMs).toISOString()}::timestamptz
      ${cameraId ? sql`AND camera_id = ${cameraId}::uuid` : sql``}`);
  return Number(row.n);
}

/** The VCC total over [now - span, now + 1 min) equals a raw count over the range the query answered for. */
async function expectExact(bucket: VccBucket, spanMs: number, cameraId?: string) {
  const now = Date.now();
  const result = await queryVcc(handle.db, tenantId, {
    startTime: new Date(now - spanMs).toISOString(),
    endTime: new Date(now + 60_000).toISOString(),
    bucket,
    tz: "UTC",
    cameraId: cameraId ?? null,
    siteId: null,
  });
  const raw = await rawTotal(Date.parse(result.range!.start), Date.parse(result.range!.end), cameraId);
  expect(result.totals.total, `${bucket} over ${spanMs / HOUR} h, camera ${cameraId ?? "all"}`).toBe(raw);
  expect(raw).toBeGreaterThan(0);
  // Top devices (per-camera totals, migration 0015): every camera's count over the same range.
  for (const device of result.topDevices)
    expect(device.total, `top device ${device.name}, ${bucket}`).toBe(
      await rawTotal(Date.parse(result.range!.start), Date.parse(result.range!.end), device.cameraId),
    );
  expect(result.topDevices.reduce((sum, d) => sum + d.total, 0)).toBe(
    await rawTotal(Date.parse(result.range!.start), Date.parse(result.range!.end)),
  );
}

beforeAll(async () => {
  handle = await openDatabase({ dataDir: dir });
  await handle.migrate();
  const [tenant] = await handle.query<{ id: string }>(
    sql`INSERT INTO tenants (name, slug) VALUES ('Late', 'late') RETURNING id`,
  );
  tenantId = tenant.id;
  cameras = (
    await handle.query<{ id: string }>(sql`
      INSERT INTO cameras (tenant_id, name, kind) VALUES (${tenantId}::uuid, 'A', 'browser'), (${tenantId}::uuid, 'B', 'browser')
      RETURNING id`)
  ).map((r) => r.id);
  // Two weeks of traffic, materialised by a first (full) job run, as on a server that has been up for a while.
  const now = Date.now();
  await send(Array.from({ length: 400 }, (_, i) => now - 14 * DAY + Math.floor((i / 400) * 14 * DAY)));
  jobs = new TimescaleJobs(handle, "app", quiet, 3_600_000);
  await jobs.runOnce();
}, 120_000);

afterAll(async () => {
  await handle?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("late crossings (T2, T3)", () => {
  it("are counted at every level, all cameras and one camera, after the ingest refresh and one job run", async () => {
    const now = Date.now();
    const late = [5 * HOUR, 30 * HOUR, 4 * DAY, 10 * DAY].flatMap((age) => [
      now - age,
      now - age + 1_000,
      now - age + 90_000,
    ]);
    const span = await send(late);
    const refresher = new LateAggregateRefresher(
      handle.db,
      (error) => {
        throw error;
      },
      0,
    );
    refresher.note(span.from, span.to);
    await refresher.flush();
    await jobs.runOnce();
    for (const cameraId of [undefined, cameras[0]]) {
      await expectExact("1m", 6 * HOUR, cameraId);
      await expectExact("1h", 12 * DAY, cameraId);
      await expectExact("1d", 12 * DAY, cameraId);
      await expectExact("15m", 2 * DAY, cameraId);
    }
  }, 120_000);

  it("the newest minute is counted before any refresh (real-time aggregation)", async () => {
    const now = Date.now();
    await send([now - 500, now - 200]);
    for (const cameraId of [undefined, cameras[1]]) {
      await expectExact("1m", HOUR, cameraId);
      await expectExact("1h", DAY, cameraId);
      await expectExact("1d", 3 * DAY, cameraId);
    }
  }, 120_000);
});
