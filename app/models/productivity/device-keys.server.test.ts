// Scoped on-device keys (issue 13 item 2) against a real embedded TimescaleDB: genuine keys verify while their
// minting credential lives; forged, expired, revoked or demoted ones do not; a binding names one pair exactly; the
// scope check refuses other workers, workstations and event types; device events are stored with source "device".
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraPublishTokens, cameras, memberships, users } from "../../../db/schema";
import {
  DEVICE_KEY_TTL_SECONDS,
  issueDeviceKey,
  outOfDeviceScope,
  signBinding,
  verifyBinding,
  verifyDeviceKey,
} from "./device-keys.server";
import { ingestEvents } from "./ingest.server";
import type { ProductivityScope } from "./scope";
import { openTestDb, type TestDb } from "./test-support";

let t: TestDb;
let scope: ProductivityScope;
let userId: string;
let cameraId: string;
let tokenId: string;

beforeAll(async () => {
  t = await openTestDb();
  scope = await t.createTenant("Device keys", ["W1", "W2"], ["S1", "S2"]);
  const db = t.handle.db;
  [{ id: userId }] = await db
    .insert(users)
    .values({ email: "op@device.test", name: "Op", passwordHash: "x" })
    .returning({ id: users.id });
  await db.insert(memberships).values({ userId, tenantId: scope.tenantId, role: "operator" });
  [{ id: cameraId }] = await db
    .insert(cameras)
    .values({ tenantId: scope.tenantId, name: "Tablet", kind: "browser" })
    .returning({ id: cameras.id });
  [{ id: tokenId }] = await db
    .insert(cameraPublishTokens)
    .values({ tenantId: scope.tenantId, cameraId, tokenHash: "h", prefix: "apt_x" })
    .returning({ id: cameraPublishTokens.id });
}, 120_000);
afterAll(() => t?.close());

const pair = () => ({ tid: scope.tenantId, cam: cameraId, ws: "S1", wk: "W1" });

describe("device keys", () => {
  it("a session-minted key verifies to its claims while the user is an operator of the tenant", async () => {
    const { key, expiresAt } = await issueDeviceKey(scope.db, { ...pair(), via: "session", sub: userId });
    expect(key).toMatch(/^argus_dk_/);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan((DEVICE_KEY_TTL_SECONDS - 60) * 1000);
    expect(await verifyDeviceKey(scope.db, key)).toMatchObject({ ...pair(), via: "session", sub: userId });

    await scope.db.update(memberships).set({ role: "viewer" }).where(eq(memberships.userId, userId));
    expect(await verifyDeviceKey(scope.db, key)).toBeNull();
    await scope.db.update(memberships).set({ role: "operator" }).where(eq(memberships.userId, userId));
  });

  it("forged, tampered and expired keys are refused", async () => {
    const now = Date.now();
    const { key } = await issueDeviceKey(scope.db, { ...pair(), via: "session", sub: userId }, now);
    const [body, signature] = key.slice("argus_dk_".length).split(".");
    const claims = JSON.parse(Buffer.from(body!, "base64url").toString()) as Record<string, unknown>;
    const widened = Buffer.from(JSON.stringify({ ...claims, ws: "S2" })).toString("base64url");
    expect(await verifyDeviceKey(scope.db, `argus_dk_${widened}.${signature}`)).toBeNull();
    expect(await verifyDeviceKey(scope.db, `${key}x`)).toBeNull();
    expect(await verifyDeviceKey(scope.db, "argus_dk_nonsense")).toBeNull();
    expect(await verifyDeviceKey(scope.db, key, now + (DEVICE_KEY_TTL_SECONDS + 1) * 1000)).toBeNull();
  });

  it("a publish-link key dies with the link", async () => {
    const { key } = await issueDeviceKey(scope.db, { ...pair(), via: "publish", sub: tokenId });
    expect(await verifyDeviceKey(scope.db, key)).not.toBeNull();
    await scope.db
      .update(cameraPublishTokens)
      .set({ revokedAt: new Date() })
      .where(eq(cameraPublishTokens.id, tokenId));
    expect(await verifyDeviceKey(scope.db, key)).toBeNull();
  });

  it("a binding is valid for exactly the pair and camera it was signed for", async () => {
    const binding = await signBinding(scope.db, pair());
    expect(await verifyBinding(scope.db, pair(), binding)).toBe(true);
    expect(await verifyBinding(scope.db, { ...pair(), wk: "W2" }, binding)).toBe(false);
    expect(await verifyBinding(scope.db, { ...pair(), ws: "S2" }, binding)).toBe(false);
    expect(await verifyBinding(scope.db, { ...pair(), cam: userId }, binding)).toBe(false);
    expect(await verifyBinding(scope.db, pair(), "x")).toBe(false);
  });

  it("the scope check refuses other workers, workstations and non-state events", () => {
    const ok = { worker_id: "W1", workstation_id: "S1", event_type: "idle" };
    expect(outOfDeviceScope({ ws: "S1", wk: "W1" }, [ok, { ...ok, event_type: "absent" }])).toBeNull();
    expect(outOfDeviceScope({ ws: "S1", wk: "W1" }, [ok, { ...ok, worker_id: "W2" }])).toMatch(/^Event 1/);
    expect(outOfDeviceScope({ ws: "S1", wk: "W1" }, [{ ...ok, workstation_id: undefined }])).toMatch(/W1/);
    expect(outOfDeviceScope({ ws: "S1", wk: "W1" }, [{ ...ok, event_type: "product_count" }])).toMatch(/only/);
    expect(outOfDeviceScope({ ws: "S1", wk: "W1" }, [null])).not.toBeNull();
  });

  it("events ingested for a device are stored with source 'device' and the camera", async () => {
    const event = {
      timestamp: "2025-05-01T10:00:00Z",
      worker_id: "W1",
      workstation_id: "S1",
      event_type: "working",
      confidence: 0.8,
      model_id: "mediapipe-pose-landmarker-full",
      model_version: "0.10.35",
    };
    const result = await ingestEvents(scope, [event], { source: { source: "device", ref: cameraId } });
    expect(result.successfully_stored).toBe(1);
    const rows = await scope.db.execute(
      sql`SELECT source, source_ref FROM productivity_events WHERE tenant_id = ${scope.tenantId} AND worker_id = 'W1'`,
    );
    const list = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as Array<Record<string, string>>;
    expect(list).toEqual([{ source: "device", source_ref: cameraId }]);
  });
});
