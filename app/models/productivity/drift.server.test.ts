// P5 drift detection against a real embedded TimescaleDB: a confidence drop and a distribution
// shift each raise exactly one alert, which is not raised again while the condition lasts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "../../../db/schema";
import { acknowledgeAlert, checkDrift, listAlerts, listModelVersions } from "./drift.server";
import { ingestEvents } from "./ingest.server";
import type { ProductivityScope } from "./scope";
import { openTestDb, type TestDb } from "./test-support";

const NOW = new Date("2025-03-01T12:00:00Z");
const NORMAL = ["working", "working", "idle", "product_count"];
const SHIFTED = ["absent", "absent", "absent", "idle"];

/** One event per worker every 5 minutes in [from, to), cycling through `pattern`. */
function events(model: string, version: string, from: string, to: string, pattern: string[], confidence: number) {
  const out = [];
  let i = 0;
  for (let t = Date.parse(from); t < Date.parse(to); t += 5 * 60_000) {
    for (const worker of ["W1", "W2", "W3", "W4"]) {
      const type = pattern[i++ % pattern.length];
      out.push({
        timestamp: new Date(t).toISOString(),
        worker_id: worker,
        workstation_id: `S-${model}`,
        event_type: type,
        confidence,
        count: type === "product_count" ? 2 : undefined,
        model_id: model,
        model_version: version,
      });
    }
  }
  return out.map((e) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)));
}

let t: TestDb;
let scope: ProductivityScope;

beforeAll(async () => {
  t = await openTestDb();
  scope = await t.createTenant("Drift", ["W1", "W2", "W3", "W4"], ["S-cam", "S-pose"]);
  const batches = [
    // Model "cam": v1 healthy in the baseline, v2 in the window with the same mix but low confidence.
    events("cam", "v1", "2025-03-01T06:00:00Z", "2025-03-01T11:00:00Z", NORMAL, 0.9),
    events("cam", "v2", "2025-03-01T11:00:00Z", "2025-03-01T12:00:00Z", NORMAL, 0.42),
    // Model "pose": confident throughout, but the window's event mix shifts to mostly absent.
    events("pose", "v1", "2025-03-01T06:00:00Z", "2025-03-01T11:00:00Z", NORMAL, 0.9),
    events("pose", "v1", "2025-03-01T11:00:00Z", "2025-03-01T12:00:00Z", SHIFTED, 0.9),
  ];
  for (const batch of batches) {
    for (let i = 0; i < batch.length; i += 1000) {
      const r = await ingestEvents(scope, batch.slice(i, i + 1000));
      expect(r.errors).toEqual([]);
    }
  }
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe("drift detection", () => {
  it("raises exactly one low-confidence and one distribution alert, then keeps them open without duplicates", async () => {
    const first = await checkDrift(scope, NOW);
    expect(first.raised.map((a) => [a.kind, a.model_id, a.model_version]).sort()).toEqual([
      ["distribution_drift", "pose", "v1"],
      ["low_confidence", "cam", "v2"],
    ]);
    const low = first.raised.find((a) => a.kind === "low_confidence")!;
    expect(low.value).toBeCloseTo(0.42, 5);
    expect(first.raised.find((a) => a.kind === "distribution_drift")!.value).toBeGreaterThan(0.5);

    const second = await checkDrift(scope, new Date(NOW.getTime() + 60_000));
    expect(second).toMatchObject({ raised: [], ongoing: 2, resolved: 0 });
    expect(await listAlerts(scope)).toHaveLength(2);
  });

  it("does not re-raise an acknowledged alert while its condition lasts, and resolves it when it ends", async () => {
    const [root] = await t.handle.db
      .insert(users)
      .values({ email: "ack@argus.test", name: "Ack", passwordHash: "x" })
      .returning();
    const open = await listAlerts(scope, "open");
    const acked = await acknowledgeAlert({ ...scope, userId: root.id, role: "operator" }, open[0].id);
    expect(acked.acknowledged_at).not.toBeNull();
    expect(await listAlerts(scope, "open")).toHaveLength(1);

    const again = await checkDrift(scope, new Date(NOW.getTime() + 120_000));
    expect(again).toMatchObject({ raised: [], ongoing: 2 });
    // Three hours later the window is empty: both conditions are over.
    const later = await checkDrift(scope, new Date(NOW.getTime() + 3 * 3600_000));
    expect(later).toMatchObject({ raised: [], resolved: 2 });
    expect(await listAlerts(scope)).toHaveLength(2);
  });

  it("lists model versions with confidence and event-type distribution", async () => {
    const versions = await listModelVersions(scope, { start: null, end: null });
    const cam2 = versions.find((v) => v.model_id === "cam" && v.model_version === "v2")!;
    expect(cam2.event_count).toBe(48);
    expect(cam2.average_confidence).toBeCloseTo(0.42, 5);
    expect(cam2.distribution).toEqual({ working: 0.5, idle: 0.25, absent: 0, product_count: 0.25 });
  });
});
