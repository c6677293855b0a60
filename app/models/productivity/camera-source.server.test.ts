// Workstation events from a worker into the productivity tables (issue 13) against a real embedded TimescaleDB: a
// known sequence run through the worker's own state machine, stamped with the worker's envelope, stored through
// ingestCameraEvents, and the P2 figures read back with the module's own metric code (workstationMetrics,
// workerMetrics). Also: replays are duplicates, another tenant's camera and unknown workers are rejected by index,
// and the scene-save check.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameras, productivitySettings } from "../../../db/schema";
import { DEFAULT_WORKSTATION_THRESHOLDS, sceneSchema, type DetectionEvent } from "../../../protocol";
import { stampEvent, type EventClock } from "../../../worker/publish/envelope";
import { createStationMemory, stepStation } from "../../../worker/workstation/state-machine";
import {
  checkWorkstationBindings,
  ingestCameraEvents,
  toProductivityEvent,
  withWorkstationEvents,
} from "./camera-source.server";
import { workstationSources } from "./camera-source-view.server";
import { ingestEvents, rowsOf } from "./ingest.server";
import { workerMetrics, workstationMetrics } from "./metrics.server";
import type { ProductivityScope } from "./scope";
import { openTestDb, type TestDb } from "./test-support";

const D_SECONDS = 60;
const START = Date.parse("2025-03-03T08:00:00Z");
let t: TestDb;
let scope: ProductivityScope;
let other: ProductivityScope;
let cameraId = "";
let otherCameraId = "";

async function addCamera(s: ProductivityScope): Promise<string> {
  const [row] = await s.db
    .insert(cameras)
    .values({ tenantId: s.tenantId, name: "Bench cam", kind: "rtsp" })
    .returning();
  return row!.id;
}

/** The scripted shift at 5 fps: who is at the bench and how much they move. */
const SHIFT: Array<{ minutes: number; activity: number | null }> = [
  { minutes: 10, activity: 0.5 }, // working
  { minutes: 4, activity: 0.02 }, // idle at the bench
  { minutes: 3, activity: null }, // away
  { minutes: 6, activity: 0.45 }, // working again
];

function runShift(camera: string): DetectionEvent[] {
  let memory = createStationMemory(START);
  let lamport = 0;
  const events: DetectionEvent[] = [];
  let now = START;
  for (const part of SHIFT) {
    const end = now + part.minutes * 60_000;
    for (; now < end; now += 200) {
      const step = stepStation(
        memory,
        {
          nowMs: now,
          person: part.activity === null ? null : { confidence: 0.85, activity: part.activity },
          absentConfidence: 0.82,
        },
        DEFAULT_WORKSTATION_THRESHOLDS,
        D_SECONDS * 1000,
      );
      memory = step.memory;
      if (!step.emit) continue;
      const at = now;
      const clock: EventClock = { nowMs: () => at, driftOffsetMs: () => 0, lamport: () => ++lamport };
      events.push(
        stampEvent(
          { type: "workstation_state", zoneId: "bench", workstationId: "S1", workerId: "W1", ...step.emit },
          clock,
          { cameraId: camera, modelId: "nanodet-m-416", modelVersion: "1+motion-1" },
        ),
      );
    }
  }
  return events;
}

beforeAll(async () => {
  t = await openTestDb();
  scope = await t.createTenant("Camera source", ["W1"], ["S1"]);
  other = await t.createTenant("Elsewhere", ["W1"], ["S1"]);
  await t.handle.db.insert(productivitySettings).values({ tenantId: scope.tenantId, stateDurationSeconds: D_SECONDS });
  cameraId = await addCamera(scope);
  otherCameraId = await addCamera(other);
}, 90_000); // migrating an embedded TimescaleDB takes a while on a loaded machine
afterAll(async () => t?.close());

describe("a known shift through the state machine into P2 (issue 13)", () => {
  let events: DetectionEvent[] = [];
  it("stores every state event once, with source camera/zone, model id and version", async () => {
    events = runShift(cameraId);
    const items = events.map((item, index) => ({ index, item: JSON.parse(JSON.stringify(item)) as unknown }));
    const outcome = await ingestCameraEvents(t.handle.db, { tenantId: scope.tenantId, shared: false }, items);
    expect(outcome.rejected).toEqual([]);
    expect(outcome.stored).toBe(events.length);
    const replay = await ingestCameraEvents(t.handle.db, { tenantId: scope.tenantId, shared: false }, items);
    expect(replay).toMatchObject({ stored: 0, duplicates: events.length });
    const rows = rowsOf<{ source: string; source_ref: string; model_id: string; model_version: string }>(
      await t.handle.db.execute(
        `SELECT DISTINCT source, source_ref, model_id, model_version FROM productivity_events WHERE tenant_id = '${scope.tenantId}'`,
      ),
    );
    expect(rows).toEqual([
      { source: "camera", source_ref: `${cameraId}/bench`, model_id: "nanodet-m-416", model_version: "1+motion-1" },
    ]);
  });

  it("gives the utilisation of the shift within one state duration per run, exactly the P2 formula of the events", async () => {
    const count = (state: string) => events.filter((e) => e.type === "workstation_state" && e.state === state).length;
    const working = count("working");
    const idle = count("idle");
    // Working 16 min, idle 4 min: 80 %. Runs start late by the debounce and each over-counts by < D.
    expect(working).toBe(11 + 6);
    expect(idle).toBe(4);
    expect(count("absent")).toBe(3);
    const [station] = await workstationMetrics(scope, { start: null, end: null }, {}, "S1");
    expect(station!.utilisation).toBeCloseTo(working / (working + idle), 10);
    expect(Math.abs(station!.utilisation! - 16 / 20)).toBeLessThan(0.02);
    expect(station!.active_seconds).toBe(working * D_SECONDS);
    expect(station!.occupancy_seconds).toBe((working + idle) * D_SECONDS);
    const [worker] = await workerMetrics(scope, { start: null, end: null }, {}, "W1");
    expect(worker!.absent_seconds).toBe(3 * D_SECONDS);
  });
});

describe("dashboard sources and live state (P3)", () => {
  it("names the bound camera zone, the API as a second source, and the latest state (stale after 2 durations)", async () => {
    const polygon = [
      { x: 0, y: 0 },
      { x: 1, y: 0 },
      { x: 1, y: 1 },
    ];
    await t.handle.db
      .update(cameras)
      .set({
        scene: {
          lines: [],
          zones: [{ id: "bench", name: "Bench", polygon, workstation: { workstationId: "S1", workerId: "W1" } }],
        },
      })
      .where(eq(cameras.id, cameraId));
    const apiAt = new Date(START + 30 * 60_000).toISOString();
    await ingestEvents(scope, [
      { timestamp: apiAt, worker_id: "W1", workstation_id: "S1", event_type: "idle", confidence: 0.9 },
    ]);
    const now = new Date(START + 30 * 60_000 + 60_000);
    const view = (await workstationSources(scope, now))["S1"]!;
    expect(view.sources.map((s) => [s.kind, s.label])).toEqual([
      ["camera", "Bench cam · Bench"],
      ["api", "External API"],
    ]);
    expect(view.sources[0]!.lastEventAt).not.toBeNull();
    expect(view.live).toEqual({ state: "idle", at: apiAt, kind: "api", current: true });
    const later = (await workstationSources(scope, new Date(START + 30 * 60_000 + 3 * D_SECONDS * 1000)))["S1"]!;
    expect(later.live!.current).toBe(false);
    expect(await workstationSources(other, now)).toEqual({});
  });
});

describe("validation and tenancy", () => {
  const stateEvent = (camera: string, workerId = "W1") =>
    JSON.parse(
      JSON.stringify(
        stampEvent(
          {
            type: "workstation_state",
            zoneId: "bench",
            workstationId: "S1",
            workerId,
            state: "idle",
            confidence: 0.7,
            activity: 0.01,
            reaffirmed: false,
          },
          { nowMs: () => Date.now(), driftOffsetMs: () => 0, lamport: () => 1 },
          { cameraId: camera, modelId: "m", modelVersion: "1" },
        ),
      ),
    ) as unknown;

  it("rejects by index: another tenant's camera, an unknown worker, a malformed event", async () => {
    const outcome = await ingestCameraEvents(t.handle.db, { tenantId: scope.tenantId, shared: false }, [
      { index: 3, item: stateEvent(otherCameraId) },
      { index: 5, item: stateEvent(cameraId, "W404") },
      { index: 7, item: { type: "workstation_state", eventId: "x" } },
    ]);
    expect(outcome.stored).toBe(0);
    expect(outcome.rejected.map((r) => r.index)).toEqual([3, 5, 7]);
    expect(outcome.rejected[0]!.message).toBe("camera not in this tenant");
    expect(outcome.rejected[1]!.message).toMatch(/unknown worker_id "W404"/);
  });

  it("the v1:events wrapper splits a batch and merges both replies by the batch's indices", async () => {
    const inner = async (batch: { batchId: string; events: unknown[] }) => ({
      ok: true as const,
      data: {
        batchId: batch.batchId,
        stored: batch.events.length - 1,
        duplicates: 0,
        rejected: [{ index: 1, message: "bad" }],
      },
    });
    const handlers = withWorkstationEvents({ "v1:events": inner } as never, {
      db: t.handle.db,
      logger: { warn() {}, error() {} } as never,
    }) as unknown as { "v1:events": (b: unknown, ctx: unknown) => Promise<{ ok: boolean; data: unknown }> };
    const ctx = { session: { tenantId: scope.tenantId }, registeredWorkerId: () => "w-1" };
    const reply = await handlers["v1:events"](
      {
        batchId: "b",
        events: [{ type: "track_start" }, stateEvent(cameraId), { type: "zone_enter" }, { type: "line_crossing" }],
      },
      ctx,
    );
    expect(reply).toEqual({
      ok: true,
      data: { batchId: "b", stored: 3, duplicates: 0, rejected: [{ index: 2, message: "bad" }] },
    });
  });

  it("maps a product output event to product_count with its count", () => {
    const e = stampEvent(
      { type: "workstation_output", lineId: "out", workstationId: "S1", workerId: "W1", count: 3, confidence: 0.6 },
      { nowMs: () => START, driftOffsetMs: () => 1500, lamport: () => 1 },
      { cameraId, modelId: "m", modelVersion: "1" },
    );
    expect(toProductivityEvent(e as never)).toMatchObject({
      event_type: "product_count",
      count: 3,
      timestamp: new Date(START + 1500).toISOString(),
    });
  });

  it("scene save: a zone may only name the tenant's own workstations and workers", async () => {
    const scene = (workstationId: string, workerId: string) =>
      sceneSchema.parse({
        zones: [
          {
            id: "z",
            name: "Bench",
            polygon: [
              { x: 0, y: 0 },
              { x: 1, y: 0 },
              { x: 1, y: 1 },
            ],
            workstation: { workstationId, workerId },
          },
        ],
      });
    await expect(checkWorkstationBindings(scope, scene("S1", "W1"))).resolves.toBeUndefined();
    await expect(checkWorkstationBindings(scope, scene("S9", "W1"))).rejects.toMatchObject({ status: 400 });
    await expect(checkWorkstationBindings(scope, scene("S1", "W9"))).rejects.toThrow(/no worker "W9"/);
    const [row] = await t.handle.db.select().from(cameras).where(eq(cameras.id, cameraId));
    expect(row!.tenantId).toBe(scope.tenantId);
  });
});
