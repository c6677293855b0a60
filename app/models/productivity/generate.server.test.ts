// P4, O3 (issue 10 §2): generation and clearing run in bounded statements, against a real embedded
// TimescaleDB. Tiny batches here exercise the slicing: every row of the tenant goes, the other tenant's rows in
// the same hypertable chunks stay, the aggregates follow, and progress is reported.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "../../../db/schema";
import type { TenantScope } from "../scope.server";
import { clearEvents, generateEvents, generationSliceMs, seedSampleEntities } from "./generate.server";
import { rowsOf } from "./ingest.server";
import { openTestDb, type TestDb } from "./test-support";

let t: TestDb;
let a: TenantScope;
let b: TenantScope;

async function count(scope: TenantScope, from = "productivity_events"): Promise<number> {
  const column = from === "productivity_events" ? sql`count(*)` : sql`coalesce(sum(events), 0)`;
  const [row] = rowsOf<{ n: number }>(
    await scope.db.execute(
      sql`SELECT ${column}::int AS n FROM ${sql.identifier(from)} WHERE tenant_id = ${scope.tenantId}::uuid`,
    ),
  );
  return Number(row.n);
}

beforeAll(async () => {
  t = await openTestDb();
  const [user] = await t.handle.db
    .insert(users)
    .values({ email: "gen@argus.test", name: "Gen", passwordHash: "x" })
    .returning();
  const admin = (s: { tenantId: string }): TenantScope => ({
    db: t.handle.db,
    tenantId: s.tenantId,
    userId: user.id,
    role: "admin",
  });
  a = admin(await t.createTenant("Gen A", [], []));
  b = admin(await t.createTenant("Gen B", [], []));
  await seedSampleEntities(a, { workers: 4, workstations: 2 });
  await seedSampleEntities(b, { workers: 2, workstations: 1 });
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe("bounded data management (P4, O3)", () => {
  it("sizes generation slices by the row budget, in whole intervals, at most a day", () => {
    expect(generationSliceMs(6, 300, 50_000)).toBe(24 * 3600_000);
    expect(generationSliceMs(500, 300, 50_000)).toBe(50 * 300_000);
    expect(generationSliceMs(500, 60, 50_000)).toBe(50 * 60_000);
    expect(generationSliceMs(100_000, 60, 50_000)).toBe(60_000);
  });

  it("generates in slices and clears one tenant slice by slice, leaving the other tenant's rows", async () => {
    const logged: Array<[object, string]> = [];
    const log = { info: (obj: object, msg: string) => logged.push([obj, msg]) };
    const genA = await generateEvents(a, { days: 2, interval_minutes: 15 }, { batchRows: 40, log });
    const genB = await generateEvents(b, { days: 2, interval_minutes: 15 });
    expect(genA.events).toBeGreaterThan(200);
    expect(await count(a)).toBe(genA.events);
    expect(await count(b)).toBe(genB.events);
    expect(await count(a, "productivity_events_1h")).toBe(genA.events);
    const done = logged.find(([, msg]) => msg === "generating productivity events: done")?.[0] as {
      done: number;
      statements: number;
    };
    // 4 workers x 2 rows per slot at most, 40 rows per statement: 5 slots (75 min) per statement.
    expect(done.done).toBe(genA.events);
    expect(done.statements).toBeGreaterThan(20);

    // More rows at one instant than a batch holds: that instant is deleted on its own.
    const burst = await a.db.execute(sql`
      INSERT INTO productivity_events (time, tenant_id, worker_id, workstation_id, event_type, confidence)
      SELECT '2020-01-01T10:00:00.123456Z'::timestamptz, ${a.tenantId}::uuid, 'X' || i, 'S1', 'working', 0.9
      FROM generate_series(1, 30) AS i`);
    expect((burst as { affectedRows?: number }).affectedRows).toBe(30);
    const total = await count(a);

    logged.length = 0;
    const cleared = await clearEvents(a, { batchRows: 25, log });
    expect(cleared.deleted).toBe(total);
    expect(await count(a)).toBe(0);
    expect(await count(a, "productivity_events_1h")).toBe(0);
    expect(await count(a, "productivity_events_1d")).toBe(0);
    expect(await count(b)).toBe(genB.events);
    expect(await count(b, "productivity_events_1h")).toBe(genB.events);
    const final = logged.find(([, msg]) => msg === "deleting productivity events: done")?.[0] as {
      done: number;
      statements: number;
    };
    expect(final.done).toBe(total);
    expect(final.statements).toBeGreaterThanOrEqual(Math.ceil(total / 25));
    expect((await clearEvents(a)).deleted).toBe(0);
  }, 120_000);
});
