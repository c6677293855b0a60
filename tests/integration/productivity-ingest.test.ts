// P1 over real HTTP against a real server process and embedded TimescaleDB: exact batch counts
// with duplicates and bad rows mixed in, size limits, clear 4xx for bad input, API keys that
// cannot cross tenants and stop working when revoked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, makeDataDir, startServerProcess, type ServerProcess } from "./support/server-process";

let server: ServerProcess;
let data: ReturnType<typeof makeDataDir>;
let cookie: string;
let tenantA: string;
let tenantB: string;
let keyA: string;
let keyB: string;

async function call(
  path: string,
  init: {
    method?: string;
    body?: unknown;
    raw?: string;
    headers?: Record<string, string>;
    auth?: "session" | string;
  } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.auth === undefined || init.auth === "session") headers.cookie = cookie;
  else headers.authorization = `Bearer ${init.auth}`;
  if (init.body !== undefined || init.raw !== undefined) headers["content-type"] ??= "application/json";
  const res = await fetch(server.url + path, {
    method: init.method ?? "GET",
    headers,
    body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response shapes are asserted by the test
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

const base = Date.now() - 40 * 60_000;
const TYPES = ["working", "idle", "absent", "product_count"];
function event(i: number, overrides: Record<string, unknown> = {}) {
  const type = TYPES[i % 4];
  return {
    timestamp: new Date(base + (i % 2000) * 1000).toISOString(), // 2000 s after base is still in the past
    worker_id: `W${(i % 10) + 1}`,
    workstation_id: `S${(i % 5) + 1}`,
    event_type: type,
    confidence: 0.9,
    ...(type === "product_count" ? { count: 2 } : {}),
    model_id: "cam",
    model_version: "v1",
    ...overrides,
  };
}

beforeAll(async () => {
  data = makeDataDir();
  server = await startServerProcess({ dataDir: data.dir });
  cookie = await login(server.url);
  const tenants = await call("/api/v1/tenants");
  tenantA = tenants.json.tenants[0].id;
  tenantB = (await call("/api/v1/tenants", { method: "POST", body: { name: "Plant B" } })).json.tenant.id;
  for (const tenant of [tenantA, tenantB]) {
    const seeded = await call("/api/v1/data/seed", {
      method: "POST",
      body: { workers: 10, workstations: 5 },
      headers: { "x-argus-tenant": tenant },
    });
    expect(seeded.status).toBe(201);
  }
  keyA = (
    await call("/api/v1/api-keys", {
      method: "POST",
      body: { name: "line camera A" },
      headers: { "x-argus-tenant": tenantA },
    })
  ).json.key;
  keyB = (
    await call("/api/v1/api-keys", {
      method: "POST",
      body: { name: "line camera B" },
      headers: { "x-argus-tenant": tenantB },
    })
  ).json.key;
  expect(keyA).toMatch(/^argus_pk_/);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  data?.remove();
});

describe("batch ingestion", () => {
  it("stores 1000 mixed events with exact counts, then skips them all as duplicates", async () => {
    const events: unknown[] = [];
    const bad = new Map<number, RegExp>();
    for (let i = 0; i < 1000; i++) {
      if (i % 100 === 7) {
        events.push(event(i - 1)); // duplicate of the previous (valid) event: 10 of these
      } else if (i % 100 === 13) {
        events.push(event(i, { event_type: "sleeping" }));
        bad.set(i, /event_type/);
      } else if (i % 100 === 29) {
        events.push(event(i, { confidence: "high" }));
        bad.set(i, /confidence/);
      } else if (i % 100 === 41) {
        events.push(event(i, { worker_id: "W999" }));
        bad.set(i, /unknown worker_id "W999"/);
      } else if (i % 100 === 53) {
        events.push(event(i, { timestamp: "2999-01-01T00:00:00Z" }));
        bad.set(i, /future/);
      } else if (i % 100 === 67) {
        events.push(event(i, { workstation_id: "S".repeat(100_000) }));
        bad.set(i, /workstation_id/);
      } else if (i % 100 === 79) {
        events.push("not an event");
        bad.set(i, /object/i);
      } else if (i % 100 === 83) {
        events.push(event(i, { timestamp: "2025-01-01 10:00" }));
        bad.set(i, /timestamp/);
      } else {
        events.push(event(i));
      }
    }
    const first = await call("/api/v1/events/batch", { method: "POST", body: { events }, auth: keyA });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ total_received: 1000, successfully_stored: 920, duplicates_skipped: 10 });
    expect(first.json.errors.map((e: { index: number }) => e.index)).toEqual([...bad.keys()].sort((a, b) => a - b));
    for (const e of first.json.errors) expect(e.message).toMatch(bad.get(e.index)!);

    const again = await call("/api/v1/events/batch", { method: "POST", body: { events }, auth: keyA });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ total_received: 1000, successfully_stored: 0, duplicates_skipped: 930 });
    expect(again.json.errors).toHaveLength(70);

    const metrics = await call("/api/v1/metrics/factory", { auth: keyA });
    expect(metrics.status).toBe(200);
    expect(metrics.json.factory.event_count).toBe(920);
  });

  it("rejects 1001 events and bodies over 2 MiB", async () => {
    const tooMany = await call("/api/v1/events/batch", {
      method: "POST",
      body: { events: Array.from({ length: 1001 }, (_, i) => event(i)) },
      auth: keyA,
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.message).toMatch(/at most 1000 events/);
    const huge = await call("/api/v1/events/batch", {
      method: "POST",
      raw: JSON.stringify({ events: [event(1, { model_id: "x".repeat(3 * 1024 * 1024) })] }),
      auth: keyA,
    });
    expect(huge.status).toBe(413);
  });

  it("answers malformed bodies with clear 4xx", async () => {
    const malformed = await call("/api/v1/events/batch", { method: "POST", raw: '{"events": [', auth: keyA });
    expect(malformed).toMatchObject({ status: 400, json: { message: "Body is not valid JSON" } });
    const notArray = await call("/api/v1/events/batch", {
      method: "POST",
      body: { events: "all of them" },
      auth: keyA,
    });
    expect(notArray.status).toBe(400);
    expect(notArray.json.message).toMatch(/events/);
    const empty = await call("/api/v1/events/batch", { method: "POST", body: { events: [] }, auth: keyA });
    expect(empty.status).toBe(400);
    const wrongType = await call("/api/v1/events/batch", {
      method: "POST",
      raw: "events=1",
      headers: { "content-type": "text/plain" },
      auth: keyA,
    });
    expect(wrongType.status).toBe(415);
  });
});

describe("single event", () => {
  it("returns the stored event, then the same event as a duplicate", async () => {
    const e = event(5000, { event_type: "product_count", count: 7 });
    const created = await call("/api/v1/events", { method: "POST", body: e, auth: keyA });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      worker_id: e.worker_id,
      workstation_id: e.workstation_id,
      event_type: "product_count",
      count: 7,
      duplicate: false,
    });
    expect(Date.parse(created.json.timestamp)).toBe(Date.parse(e.timestamp));
    expect(Number.isSafeInteger(created.json.id)).toBe(true);
    expect(Date.parse(created.json.received_at)).toBeGreaterThan(Date.now() - 60_000);
    const dup = await call("/api/v1/events", { method: "POST", body: e, auth: keyA });
    expect(dup.status).toBe(200);
    expect(dup.json).toMatchObject({ duplicate: true, id: created.json.id, received_at: created.json.received_at });
  });

  it("rejects wrong types, huge strings, far-future and zone-less timestamps, unknown keys", async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [event(1, { confidence: 1.5 }), /confidence/],
      [event(1, { count: -1, event_type: "product_count" }), /count/],
      [event(1, { event_type: "product_count", count: undefined }), /count is required/],
      [event(1, { worker_id: "W".repeat(10_000) }), /worker_id/],
      [event(1, { timestamp: new Date(Date.now() + 3600_000).toISOString() }), /future/],
      [event(1, { timestamp: "2025-01-01T10:00:00" }), /time zone/],
      [event(1, { colour: "red" }), /colour/],
      [event(1, { workstation_id: "S77" }), /unknown workstation_id "S77"/],
    ];
    for (const [body, message] of cases) {
      const res = await call("/api/v1/events", { method: "POST", body, auth: keyA });
      expect(res.status, JSON.stringify(res.json)).toBe(400);
      expect(res.json.message).toMatch(message);
    }
  });
});

describe("API keys and tenants", () => {
  it("keeps each key in its own tenant", async () => {
    const crossed = await call("/api/v1/events", {
      method: "POST",
      body: event(6000),
      auth: keyA,
      headers: { "x-argus-tenant": tenantB },
    });
    expect(crossed.status).toBe(403);
    const bMetrics = await call("/api/v1/metrics/factory", { auth: keyB });
    expect(bMetrics.json.factory.event_count).toBe(0);
    const viaSession = await call("/api/v1/metrics/factory", { headers: { "x-argus-tenant": tenantB } });
    expect(viaSession.json.factory.event_count).toBe(0);
    const stored = await call("/api/v1/events", { method: "POST", body: event(6001), auth: keyB });
    expect(stored.status).toBe(201);
    expect((await call("/api/v1/metrics/factory", { auth: keyB })).json.factory.event_count).toBe(1);
    expect((await call("/api/v1/metrics/factory", { auth: keyA })).json.factory.event_count).toBe(921);
  });

  it("lets a key act on data endpoints only while its issuer is a tenant admin; refuses unknown or revoked keys", async () => {
    // Data management (P4) takes the key of a current admin; keys, members and settings need a session.
    const seed = { workers: 1, workstations: 1 }; // W1 and S1 exist: nothing new
    expect((await call("/api/v1/data/seed", { method: "POST", body: seed, auth: keyA })).status).toBe(201);
    expect((await call("/api/v1/api-keys", { auth: keyA })).status).toBe(401);
    expect(
      (await call("/api/v1/factory/settings", { method: "PATCH", body: { state_duration_seconds: 60 }, auth: keyA }))
        .status,
    ).toBe(401);
    const h = { "x-argus-tenant": tenantA };
    const added = await call("/api/v1/members", {
      method: "POST",
      body: {
        email: "second-admin@argus.test",
        name: "Second Admin",
        password: "second-admin-pass-123",
        role: "admin",
      },
      headers: h,
    });
    expect(added.status).toBe(201);
    const second = await login(server.url, "second-admin@argus.test", "second-admin-pass-123");
    const issued = await fetch(`${server.url}/api/v1/api-keys`, {
      method: "POST",
      headers: { cookie: second, "content-type": "application/json", "x-argus-tenant": tenantA },
      body: JSON.stringify({ name: "second admin's key" }),
    });
    const secondKey = ((await issued.json()) as { key: string }).key;
    expect((await call("/api/v1/data/seed", { method: "POST", body: seed, auth: secondKey })).status).toBe(201);
    const demoted = await call(`/api/v1/members/${added.json.member.userId}`, {
      method: "PATCH",
      body: { role: "operator" },
      headers: h,
    });
    expect(demoted.status).toBe(200);
    const refused = await call("/api/v1/data/seed", { method: "POST", body: seed, auth: secondKey });
    expect(refused.status).toBe(403);
    expect(refused.json.message).toMatch(/admin/);
    // Still an operator-level key: it ingests.
    expect((await call("/api/v1/events", { method: "POST", body: event(7002), auth: secondKey })).status).toBe(201);
    expect(
      (await call("/api/v1/events", { method: "POST", body: event(7000), auth: "argus_pk_not-a-real-key" })).status,
    ).toBe(401);
    const keys = await call("/api/v1/api-keys", { headers: { "x-argus-tenant": tenantA } });
    const id = keys.json.api_keys.find((k: { name: string }) => k.name === "line camera A").id;
    expect(
      (await call(`/api/v1/api-keys/${id}`, { method: "DELETE", headers: { "x-argus-tenant": tenantA } })).status,
    ).toBe(200);
    const revoked = await call("/api/v1/events", { method: "POST", body: event(7001), auth: keyA });
    expect(revoked.status).toBe(401);
    expect(revoked.json.message).toMatch(/revoked/);
  });
});

describe("workers, workstations and settings", () => {
  it("creates, renames and deletes workers and workstations with clear conflicts", async () => {
    const h = { "x-argus-tenant": tenantA };
    const created = await call("/api/v1/factory/workers", {
      method: "POST",
      body: { worker_id: "W77", name: "Ada" },
      headers: h,
    });
    expect(created).toMatchObject({ status: 201, json: { worker_id: "W77", name: "Ada" } });
    const again = await call("/api/v1/factory/workers", {
      method: "POST",
      body: { worker_id: "W77", name: "Ada" },
      headers: h,
    });
    expect(again.status).toBe(409);
    const bad = await call("/api/v1/factory/workers", {
      method: "POST",
      body: { worker_id: "W 77", name: "" },
      headers: h,
    });
    expect(bad.status).toBe(400);
    expect(
      (await call("/api/v1/factory/workers/W77", { method: "PATCH", body: { name: "Ada L." }, headers: h })).json.name,
    ).toBe("Ada L.");
    expect((await call("/api/v1/factory/workers/W77", { method: "DELETE", headers: h })).status).toBe(204);
    expect((await call("/api/v1/factory/workers/W77", { headers: h })).status).toBe(404);
    const station = await call("/api/v1/factory/workstations", {
      method: "POST",
      body: { workstation_id: "S77", name: "Paint", station_type: "painting" },
      headers: h,
    });
    expect(station).toMatchObject({ status: 201, json: { workstation_id: "S77", station_type: "painting" } });
    expect((await call("/api/v1/factory/workstations", { headers: h })).json.workstations).toHaveLength(6);
  });

  it("auto-creates unknown ids and applies the state duration when the tenant says so", async () => {
    const h = { "x-argus-tenant": tenantB };
    const before = (await call("/api/v1/metrics/factory", { headers: h })).json.factory;
    expect(before.state_duration_seconds).toBe(300);
    const settings = await call("/api/v1/factory/settings", {
      method: "PATCH",
      body: { auto_create_entities: true, state_duration_seconds: 60 },
      headers: h,
    });
    expect(settings.json).toMatchObject({ auto_create_entities: true, state_duration_seconds: 60 });
    expect(
      (await call("/api/v1/factory/settings", { method: "PATCH", body: { state_duration_seconds: 0 }, headers: h }))
        .status,
    ).toBe(400);
    const res = await call("/api/v1/events", {
      method: "POST",
      body: event(7100, { worker_id: "NEW-1", workstation_id: "NEW-S", event_type: "working" }),
      auth: keyB,
    });
    expect(res.status).toBe(201);
    expect((await call("/api/v1/factory/workers/NEW-1", { headers: h })).json.name).toBe("NEW-1");
    const worker = (await call("/api/v1/metrics/workers/NEW-1", { headers: h })).json.worker;
    expect(worker).toMatchObject({ active_seconds: 60, utilisation: 1 });
  });
});

describe("roles", () => {
  it("lets a viewer read metrics but not ingest, manage keys or generate data", async () => {
    const added = await call("/api/v1/members", {
      method: "POST",
      body: { email: "viewer@argus.test", name: "Vera Viewer", password: "viewer-password-123", role: "viewer" },
      headers: { "x-argus-tenant": tenantA },
    });
    expect(added.status).toBe(201);
    const viewer = await login(server.url, "viewer@argus.test", "viewer-password-123");
    const as = (path: string, method = "GET", body?: unknown) =>
      fetch(server.url + path, {
        method,
        headers: { cookie: viewer, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then((r) => r.status);
    expect(await as("/api/v1/metrics/dashboard")).toBe(200);
    expect(await as("/api/v1/alerts")).toBe(200);
    expect(await as("/api/v1/events", "POST", event(7200))).toBe(403);
    expect(await as("/api/v1/api-keys")).toBe(403);
    expect(await as("/api/v1/data/generate-events", "POST", {})).toBe(403);
    expect(await as("/api/v1/factory/workers", "POST", { worker_id: "W88", name: "X" })).toBe(403);
  });
});

describe("metrics and OpenAPI", () => {
  it("validates the time filter", async () => {
    expect((await call("/api/v1/metrics/dashboard?start_time=yesterday")).status).toBe(400);
    expect(
      (await call("/api/v1/metrics/dashboard?start_time=2025-01-02T00:00:00Z&end_time=2025-01-01T00:00:00Z")).status,
    ).toBe(400);
    const ok = await call(`/api/v1/metrics/dashboard?start_time=${encodeURIComponent(new Date(base).toISOString())}`);
    expect(ok.status).toBe(200);
    expect(ok.json.workers).toHaveLength(10);
    expect((await call("/api/v1/metrics/workers/W404")).status).toBe(404);
    expect((await call("/api/v1/metrics/workers/W1")).json.worker.worker_id).toBe("W1");
  });

  it("serves an OpenAPI 3.1 document built from the request schemas", async () => {
    const doc = await call("/api/v1/openapi.json");
    expect(doc.status).toBe(200);
    expect(doc.json.openapi).toBe("3.1.0");
    const batch = doc.json.paths["/api/v1/events/batch"].post.requestBody.content["application/json"].schema;
    expect(batch.properties.events.maxItems).toBe(1000);
    expect(batch.properties.events.items.properties.event_type.enum).toEqual([
      "working",
      "idle",
      "absent",
      "product_count",
    ]);
  });
});
