// P2 formulas against a real embedded TimescaleDB, with hand-computed expectations.
// Fixture (D = 300 s unless a test changes it), all on 2025-01-01 UTC:
//   W1@S1: working 09:55 (arrives last: out of order), 10:00 (sent twice: duplicate), 10:05, 10:10;
//          idle 10:15; product_count 10:20 x6
//   W2@S2: working 10:00; idle 10:05, 10:10; absent 10:15; product_count 10:10 x3, 11:30 x2
//   W3@S2: absent 10:00, 10:05 (absent only)       W4: no events at all
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { productivitySettings } from "../../../db/schema";
import { lateRefreshQueue, refreshProductivityAggregates } from "./aggregates.server";
import { ingestEvents } from "./ingest.server";
import { dashboardMetrics, factoryMetrics, parseRangeQuery, workerMetrics, workstationMetrics } from "./metrics.server";
import type { ProductivityScope } from "./scope";
import { openTestDb, type TestDb } from "./test-support";

const at = (hhmm: string) => `2025-01-01T${hhmm}:00Z`;
const ev = (time: string, worker: string, station: string, type: string, count?: number) => ({
  timestamp: at(time),
  worker_id: worker,
  workstation_id: station,
  event_type: type,
  confidence: 0.9,
  ...(count === undefined ? {} : { count }),
});
const ALL = { start: null, end: null };
const range = (from: string, to: string) => ({ start: new Date(at(from)), end: new Date(at(to)) });

let t: TestDb;
let scope: ProductivityScope;
let other: ProductivityScope;

beforeAll(async () => {
  t = await openTestDb();
  scope = await t.createTenant("Metrics", ["W1", "W2", "W3", "W4"], ["S1", "S2"]);
  other = await t.createTenant("Other", ["W1"], ["S1"]);
  const result = await ingestEvents(scope, [
    ev("10:00", "W1", "S1", "working"),
    ev("10:05", "W1", "S1", "working"),
    ev("10:10", "W1", "S1", "working"),
    ev("10:15", "W1", "S1", "idle"),
    ev("10:20", "W1", "S1", "product_count", 6),
    ev("10:00", "W2", "S2", "working"),
    ev("10:05", "W2", "S2", "idle"),
    ev("10:10", "W2", "S2", "idle"),
    ev("10:15", "W2", "S2", "absent"),
    ev("10:10", "W2", "S2", "product_count", 3),
    ev("11:30", "W2", "S2", "product_count", 2),
    ev("10:00", "W3", "S2", "absent"),
    ev("10:05", "W3", "S2", "absent"),
    ev("10:00", "W1", "S1", "working"), // duplicate within the batch
  ]);
  expect(result).toMatchObject({ total_received: 14, successfully_stored: 13, duplicates_skipped: 1, errors: [] });
  const late = await ingestEvents(scope, [ev("09:55", "W1", "S1", "working"), ev("10:05", "W1", "S1", "working")]);
  expect(late).toMatchObject({ successfully_stored: 1, duplicates_skipped: 1 });
  // Another tenant's events must never show up.
  await ingestEvents(other, [ev("10:00", "W1", "S1", "working"), ev("10:05", "W1", "S1", "product_count", 100)]);
  await lateRefreshQueue.flush();
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const byId = <T extends Record<string, unknown>>(rows: T[], key: keyof T) =>
  Object.fromEntries(rows.map((r) => [r[key] as string, r]));

describe("worker metrics", () => {
  it("computes active, idle, absent, utilisation, units and units per active hour", async () => {
    const w = byId(await workerMetrics(scope, ALL), "worker_id");
    expect(Object.keys(w)).toEqual(["W1", "W2", "W3", "W4"]);
    expect(w.W1).toMatchObject({
      name: "Worker W1",
      active_seconds: 1200,
      idle_seconds: 300,
      absent_seconds: 0,
      utilisation: 0.8,
      units_produced: 6,
      event_count: 6,
    });
    expect(w.W1.units_per_active_hour).toBeCloseTo(18, 9); // 6 units / (1200 s / 3600)
    expect(w.W2).toMatchObject({
      active_seconds: 300,
      idle_seconds: 600,
      absent_seconds: 300,
      units_produced: 5,
      event_count: 6,
    });
    expect(w.W2.utilisation).toBeCloseTo(1 / 3, 9);
    expect(w.W2.units_per_active_hour).toBeCloseTo(60, 9);
  });

  it("gives null utilisation and rate for absent-only and silent workers (no division by zero)", async () => {
    const w = byId(await workerMetrics(scope, ALL), "worker_id");
    expect(w.W3).toMatchObject({
      active_seconds: 0,
      idle_seconds: 0,
      absent_seconds: 600,
      utilisation: null,
      units_produced: 0,
      units_per_active_hour: null,
    });
    expect(w.W4).toMatchObject({
      active_seconds: 0,
      absent_seconds: 0,
      utilisation: null,
      units_per_active_hour: null,
      event_count: 0,
    });
  });

  it("treats start_time as inclusive and end_time as exclusive", async () => {
    const w = byId(await workerMetrics(scope, range("10:00", "10:10")), "worker_id");
    expect(w.W1).toMatchObject({
      active_seconds: 600,
      idle_seconds: 0,
      utilisation: 1,
      units_produced: 0,
      units_per_active_hour: 0,
    });
    expect(w.W2).toMatchObject({ active_seconds: 300, idle_seconds: 300, utilisation: 0.5 });
    const edge = byId(await workerMetrics(scope, range("10:20", "10:20:01".slice(0, 5))), "worker_id");
    expect(edge.W1.units_produced).toBe(0); // empty range [10:20, 10:20)
    const one = byId(
      await workerMetrics(scope, { start: new Date(at("10:20")), end: new Date("2025-01-01T10:20:00.001Z") }),
      "worker_id",
    );
    expect(one.W1.units_produced).toBe(6);
  });

  it("uses the tenant's state duration", async () => {
    await t.handle.db.insert(productivitySettings).values({ tenantId: scope.tenantId, stateDurationSeconds: 60 });
    try {
      const w = byId(await workerMetrics(scope, ALL), "worker_id");
      expect(w.W1).toMatchObject({ active_seconds: 240, idle_seconds: 60, utilisation: 0.8 });
      expect(w.W1.units_per_active_hour).toBeCloseTo(90, 9); // 6 / (240/3600)
    } finally {
      await t.handle.db.delete(productivitySettings).where(eq(productivitySettings.tenantId, scope.tenantId));
    }
  });
});

describe("workstation metrics", () => {
  it("computes occupancy (absent excluded), utilisation and throughput per occupied hour", async () => {
    const s = byId(await workstationMetrics(scope, ALL), "workstation_id");
    expect(s.S1).toMatchObject({
      occupancy_seconds: 1500,
      active_seconds: 1200,
      idle_seconds: 300,
      utilisation: 0.8,
      units_produced: 6,
    });
    expect(s.S1.throughput_per_occupied_hour).toBeCloseTo(14.4, 9);
    expect(s.S2).toMatchObject({ occupancy_seconds: 900, active_seconds: 300, units_produced: 5, event_count: 8 });
    expect(s.S2.utilisation).toBeCloseTo(1 / 3, 9);
    expect(s.S2.throughput_per_occupied_hour).toBeCloseTo(20, 9);
  });
});

describe("factory metrics", () => {
  it("sums production and time and averages utilisation over workers/stations with activity", async () => {
    const f = await factoryMetrics(scope, ALL);
    expect(f).toMatchObject({
      total_productive_seconds: 1500,
      total_idle_seconds: 900,
      total_production: 11,
      event_count: 14,
      active_workers: 3,
      state_duration_seconds: 300,
    });
    expect(f.average_production_rate).toBeCloseTo(26.4, 9); // 11 / (1500/3600)
    expect(f.average_worker_utilisation).toBeCloseTo((0.8 + 1 / 3) / 2, 9); // W3 (absent only) excluded
    expect(f.average_workstation_utilisation).toBeCloseTo((0.8 + 1 / 3) / 2, 9);
  });

  it("returns zeros and nulls for an empty range", async () => {
    const f = await factoryMetrics(scope, range("12:00", "13:00"));
    expect(f).toMatchObject({
      total_productive_seconds: 0,
      total_production: 0,
      event_count: 0,
      average_production_rate: null,
      average_worker_utilisation: null,
    });
  });

  it("filters by worker", async () => {
    const f = await factoryMetrics(scope, ALL, { workerId: "W2" });
    expect(f).toMatchObject({ total_productive_seconds: 300, total_production: 5, event_count: 6, active_workers: 1 });
  });
});

describe("documented API fields (names, units, rounding)", () => {
  it("gives hours, percentages and rates rounded to 2 decimals beside the seconds and ratios", async () => {
    const w = byId(await workerMetrics(scope, ALL), "worker_id");
    expect(w.W1).toMatchObject({
      total_active_time_hours: 0.33, // 1200 s
      total_idle_time_hours: 0.08, // 300 s
      utilization_percentage: 80,
      total_units_produced: 6,
      units_per_hour: 18,
    });
    expect(w.W2).toMatchObject({ utilization_percentage: 33.33, units_per_hour: 60, total_idle_time_hours: 0.17 });
    // Where Argus says null (no working/idle time), the documented fields are 0, as numbers.
    expect(w.W3).toMatchObject({ utilisation: null, utilization_percentage: 0, units_per_hour: 0 });
    const s = byId(await workstationMetrics(scope, ALL), "workstation_id");
    expect(s.S1).toMatchObject({
      station_id: "S1",
      occupancy_time_hours: 0.42, // 1500 s
      utilization_percentage: 80,
      total_units_produced: 6,
      throughput_rate: 14.4,
    });
    expect(s.S2).toMatchObject({ station_id: "S2", utilization_percentage: 33.33, throughput_rate: 20 });
    const f = await factoryMetrics(scope, ALL);
    expect(f).toMatchObject({
      total_productive_time_hours: 0.42,
      total_production_count: 11,
      avg_production_rate: 26.4,
      avg_worker_utilization: 56.67, // (80 + 33.33...) / 2
      avg_workstation_utilization: 56.67,
      total_events: 14,
    });
    const empty = await factoryMetrics(scope, range("12:00", "13:00"));
    expect(empty).toMatchObject({ avg_production_rate: 0, avg_worker_utilization: 0, total_events: 0 });
  });

  it("counts an event without workstation_id for its worker and the factory, at no workstation", async () => {
    const solo = await t.createTenant("No station", ["W1"], ["S1"]);
    const doc = {
      timestamp: "2025-01-15T10:15:00Z",
      worker_id: "W1",
      event_type: "working",
      confidence: 0.93,
      model_id: "activity-detector",
      model_version: "2.1.0",
    };
    const result = await ingestEvents(solo, [doc, doc], { returnStored: true });
    expect(result).toMatchObject({ successfully_stored: 1, duplicates_skipped: 1, errors: [] });
    expect(result.stored[0]).toMatchObject({
      timestamp: "2025-01-15T10:15:00Z",
      workstation_id: null,
      model_id: "activity-detector",
      model_version: "2.1.0",
    });
    expect(Number.isSafeInteger(result.stored[0].id)).toBe(true);
    const [worker] = await workerMetrics(solo, ALL);
    expect(worker).toMatchObject({ worker_id: "W1", active_seconds: 300, event_count: 1 });
    const stations = await workstationMetrics(solo, ALL);
    expect(stations.map((x) => [x.station_id, x.event_count])).toEqual([["S1", 0]]);
    expect(await factoryMetrics(solo, ALL)).toMatchObject({
      total_events: 1,
      avg_worker_utilization: 100,
      avg_workstation_utilization: 0,
    });
  });
});

describe("aggregates", () => {
  it("gives the same answers from materialised hourly/daily aggregates, and sees late events after their refresh", async () => {
    await refreshProductivityAggregates(t.handle.db);
    const wide = { start: new Date("2024-12-30T07:30:00Z"), end: new Date("2025-01-03T00:00:00Z") }; // raw + 1h + 1d pieces
    expect((await factoryMetrics(scope, wide)).total_production).toBe(11);
    const w = byId(await workerMetrics(scope, wide), "worker_id");
    expect(w.W1).toMatchObject({ active_seconds: 1200, idle_seconds: 300 });

    // A late idle event for W1 lands in an already materialised hour.
    await ingestEvents(scope, [ev("10:25", "W1", "S1", "idle")]);
    await lateRefreshQueue.flush();
    const after = byId(await workerMetrics(scope, wide), "worker_id");
    expect(after.W1).toMatchObject({ active_seconds: 1200, idle_seconds: 600 });
    expect(after.W1.utilisation).toBeCloseTo(1200 / 1800, 9);
  });

  it("builds an hourly utilisation series for the dashboard", async () => {
    const dash = await dashboardMetrics(scope, range("09:00", "12:00"), { workerId: "W1" });
    expect(dash.series.step).toBe("1 hour");
    expect(dash.series.points.map((p) => [p.bucket, p.active_seconds, p.idle_seconds, p.units])).toEqual([
      ["2025-01-01T09:00:00.000Z", 300, 0, 0],
      ["2025-01-01T10:00:00.000Z", 900, 600, 6],
    ]);
    expect(dash.factory.total_production).toBe(6);
    expect(dash.workers.length).toBe(4); // the worker table ignores its own filter
    expect(dash.workstations.find((s) => s.workstation_id === "S2")?.event_count).toBe(0);
  });
});

describe("parseRangeQuery", () => {
  it("rejects garbage and reversed ranges with 400", () => {
    expect(() => parseRangeQuery({ start_time: "yesterday" })).toThrow(/Invalid query/);
    expect(() => parseRangeQuery({ start_time: at("10:00"), end_time: at("09:00") })).toThrow(/Invalid query/);
    expect(() => parseRangeQuery({ start_time: "2025-01-01T10:00:00" })).toThrow(/Invalid query/); // no zone
    expect(parseRangeQuery({ start_time: "2025-01-01T12:00:00+02:00" }).range.start?.toISOString()).toBe(
      "2025-01-01T10:00:00.000Z",
    );
  });
});

describe("ingestion round trip", () => {
  it("stores awkward model strings verbatim through the array-literal path", async () => {
    const awkward = 'say "hi" \\ {a,b} NULL';
    const result = await ingestEvents(
      other,
      [{ ...ev("12:00", "W1", "S1", "idle"), model_id: awkward, model_version: "NULL" }],
      { returnStored: true },
    );
    expect(result.errors).toEqual([]);
    expect(result.stored[0]).toMatchObject({ model_id: awkward, model_version: "NULL", count: 0, duplicate: false });
  });
});
