// VCC analytics API (SPEC V1-V3, V5, T3) against a real server process: known line crossings go in through a fake
// worker's socket ("v1:events", the real ingest path), spread over bucket, day and month boundaries and the DST
// changes of Europe/Berlin (2026-03-29, 2026-10-25) and America/New_York (2026-03-08, 2026-11-01). For every bucket
// preset, in UTC, Europe/Berlin, America/New_York (and Asia/Kolkata, a half-hour zone), for all cameras, one camera
// and one site, GET /api/v1/analytics/vcc must equal a GROUP BY the test computes from the events it sent. Also:
// the newest minute is counted, empty ranges are zeros, bad parameters are 400s with the reason, another tenant's
// cameras never count, and the CSV carries the same numbers as the JSON.
import { randomUUID } from "node:crypto";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUCKET_MS, type VccBucket } from "../../app/models/vcc/types";
import type { Json } from "./fleet-support";
import { login, makeDataDir, startServerProcess, type ServerProcess } from "./support/server-process";
import { askWorker, connectWorkerSocket, exchangeWorkerToken, keepWorkerAlive } from "./support/worker-socket";

let server: ServerProcess;
let adminCookie: string;
let viewerCookie: string;
let tenantA: string;
let tenantB: string;
let cameraA1: string;
let cameraA2: string;
let cameraB1: string;
let siteA: string;
const sockets: Socket[] = [];
const data = makeDataDir("argus-vcc-");

interface Crossing {
  cameraId: string;
  ms: number;
  cls: string;
  direction: "in" | "out";
}
/** Every crossing the test sent, per tenant. */
const sentA: Crossing[] = [];
const sentB: Crossing[] = [];

const ask = (socket: Socket, event: string, payload: unknown, timeoutMs = 30_000) =>
  askWorker(socket, event, payload, timeoutMs);

async function call(
  cookie: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(server.url + path, {
    method,
    headers: { cookie, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Json = text;
  try {
    json = JSON.parse(text);
  } catch {
    // CSV or text
  }
  return { status: res.status, body: json, headers: res.headers };
}

async function connectWorker(cookie: string, tenant: string, name: string): Promise<Socket> {
  const cred = await call(cookie, "POST", "/api/v1/workers/credentials", { name }, { "x-argus-tenant": tenant });
  expect(cred.status).toBe(201);
  const token = await exchangeWorkerToken(server.url, cred.body.credential);
  const socket = await connectWorkerSocket(server.url, token);
  sockets.push(socket);
  socket.on(
    "v1:command",
    (command: Json) => void ask(socket, "v1:command-ack", { commandId: command.commandId, ok: true }),
  );
  const registered = await ask(socket, "v1:register", {
    id: name,
    name,
    host: "test",
    version: "1",
    capacity: 2,
    capabilities: { models: [], codecs: [] },
  });
  expect(registered.ok).toBe(true);
  keepWorkerAlive(socket, 2);
  return socket;
}

// Deterministic pseudo-random numbers (mulberry32), so a failure reproduces.
let seed = 0x5eed;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const CLASSES = ["person", "car", "person", "car", "person", "bicycle", "truck"];
let lamport = 0;
function crossing(cameraId: string, ms: number): Crossing {
  return {
    cameraId,
    ms,
    cls: CLASSES[Math.floor(random() * CLASSES.length)],
    direction: random() < 0.55 ? "in" : "out",
  };
}
function wire(c: Crossing): Json {
  const iso = new Date(c.ms).toISOString();
  return {
    type: "line_crossing",
    eventId: randomUUID(),
    cameraId: c.cameraId,
    utcTimestamp: iso,
    localTime: iso.slice(0, 23),
    timezoneOffset: 0,
    driftOffset: 0,
    correctedUtc: iso,
    lamport: ++lamport,
    modelId: "centernet-coco",
    modelVersion: "1",
    trackId: lamport,
    class: c.cls,
    confidence: 0.8,
    lineId: "gate",
    direction: c.direction,
  };
}
async function send(worker: Socket, crossings: Crossing[]): Promise<void> {
  for (let i = 0; i < crossings.length; i += 500) {
    const chunk = crossings.slice(i, i + 500);
    const reply = await ask(worker, "v1:events", { batchId: randomUUID(), events: chunk.map(wire) });
    expect(reply.ok, JSON.stringify(reply.error)).toBe(true);
    expect(reply.data.stored).toBe(chunk.length);
  }
}
const at = (iso: string) => Date.parse(iso);
function spread(cameras: string[], from: string, to: string, n: number): Crossing[] {
  const a = at(from);
  const b = at(to);
  return Array.from({ length: n }, () =>
    crossing(cameras[Math.floor(random() * cameras.length)], a + Math.floor(random() * (b - a))),
  );
}

// --- The expected GROUP BY, computed independently of the server's code ---
function localDate(ms: number, tz: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    ms,
  );
}
function offsetMinutes(tz: string, ms: number): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    })
      .formatToParts(ms)
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
}
/** The bucket a time falls in: 1d = the local date; shorter = fixed lengths on the zone's clock at the range start. */
function keyOf(ms: number, bucket: VccBucket, tz: string, rangeStartMs: number): string {
  if (bucket === "1d") return localDate(ms, tz);
  const size = BUCKET_MS[bucket];
  const off = offsetMinutes(tz, rangeStartMs) * 60_000;
  return new Date(Math.floor((ms + off) / size) * size - off).toISOString();
}

interface Counts {
  total: number;
  in: number;
  out: number;
  byClass: Record<string, number>;
}
function groupBy(events: Crossing[], bucket: VccBucket, tz: string, fromMs: number, toMs: number, startMs: number) {
  const map = new Map<string, Counts>();
  for (const e of events) {
    if (e.ms < fromMs || e.ms >= toMs) continue;
    const key = keyOf(e.ms, bucket, tz, startMs);
    const c = map.get(key) ?? { total: 0, in: 0, out: 0, byClass: {} };
    c.total++;
    c[e.direction]++;
    c.byClass[e.cls] = (c.byClass[e.cls] ?? 0) + 1;
    map.set(key, c);
  }
  return map;
}

function vccUrl(params: Record<string, string | undefined>, path = "/api/v1/analytics/vcc"): string {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined) as Array<[string, string]>);
  return `${path}?${q.toString()}`;
}

/** Asks the API and compares every bucket with the GROUP BY over the sent events. */
async function expectMatchesRaw(
  events: Crossing[],
  p: { start: string; end: string; bucket: VccBucket; tz: string; camera?: string; site?: string },
  headers: Record<string, string> = {},
): Promise<Json> {
  const res = await call(
    adminCookie,
    "GET",
    vccUrl({
      start_time: p.start,
      end_time: p.end,
      bucket: p.bucket,
      tz: p.tz,
      camera_id: p.camera,
      site_id: p.site,
    }),
    undefined,
    headers,
  );
  const label = JSON.stringify(p);
  expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(200);
  const r = res.body;
  const startMs = at(p.start);
  // The buckets: contiguous, from the bucket holding start_time to the one holding end_time - 1 ms.
  expect(r.buckets.length, label).toBeGreaterThan(0);
  expect(keyOf(startMs, p.bucket, p.tz, startMs), label).toBe(keyOf(at(r.buckets[0]), p.bucket, p.tz, startMs));
  expect(keyOf(at(p.end) - 1, p.bucket, p.tz, startMs), label).toBe(
    keyOf(at(r.buckets.at(-1)), p.bucket, p.tz, startMs),
  );
  expect(r.range.start).toBe(r.buckets[0]);
  for (let i = 1; i < r.buckets.length; i++) {
    const prev = at(r.buckets[i - 1]);
    const cur = at(r.buckets[i]);
    if (p.bucket === "1d") {
      expect(localDate(cur, p.tz), label).not.toBe(localDate(prev, p.tz));
      expect(localDate(cur - 1, p.tz), label).toBe(localDate(prev, p.tz)); // local midnight
      expect(cur - prev, label).toBeGreaterThanOrEqual(23 * 3600_000);
      expect(cur - prev, label).toBeLessThanOrEqual(25 * 3600_000);
    } else expect(cur - prev, label).toBe(BUCKET_MS[p.bucket]);
  }
  const scoped = events.filter(
    (e) => (!p.camera || e.cameraId === p.camera) && (!p.site || e.cameraId === cameraA2), // A2 is the site's camera
  );
  const expected = groupBy(scoped, p.bucket, p.tz, at(r.range.start), at(r.range.end), startMs);
  const keys = new Set(r.buckets.map((b: string) => keyOf(at(b), p.bucket, p.tz, startMs)));
  for (const key of expected.keys()) expect(keys.has(key), `${label}: bucket ${key} missing`).toBe(true);
  let total = 0;
  r.buckets.forEach((b: string, i: number) => {
    const want = expected.get(keyOf(at(b), p.bucket, p.tz, startMs)) ?? { total: 0, in: 0, out: 0, byClass: {} };
    const got: Counts = { total: 0, in: r.direction.in[i], out: r.direction.out[i], byClass: {} };
    for (const c of r.classes) {
      if (r.byClass[c][i]) got.byClass[c] = r.byClass[c][i];
      got.total += r.byClass[c][i];
    }
    expect(got, `${label}: bucket ${b}`).toEqual(want);
    total += want.total;
  });
  expect(r.totals.total, label).toBe(total);
  expect(r.totals.in + r.totals.out, label).toBe(total);
  return r;
}

const A_RANGES: Array<{ start: string; end: string; bucket: VccBucket }> = [
  { bucket: "1m", start: "2026-03-29T00:07:13Z", end: "2026-03-29T06:07:13Z" },
  { bucket: "1m", start: "2026-10-25T00:00:00Z", end: "2026-10-25T05:30:00Z" },
  { bucket: "2m", start: "2026-03-28T22:03:00Z", end: "2026-03-29T18:03:00Z" },
  { bucket: "5m", start: "2026-10-24T18:01:00Z", end: "2026-10-26T18:01:00Z" },
  { bucket: "5m", start: "2026-03-08T04:00:00Z", end: "2026-03-08T10:00:00Z" },
  { bucket: "15m", start: "2026-03-27T20:00:00Z", end: "2026-04-01T04:00:00Z" },
  { bucket: "15m", start: "2026-10-31T20:00:00Z", end: "2026-11-02T12:00:00Z" },
  { bucket: "1h", start: "2026-10-24T00:30:00Z", end: "2026-11-02T12:00:00Z" },
  { bucket: "1h", start: "2026-03-27T00:00:00Z", end: "2026-04-01T06:00:00Z" },
  { bucket: "1d", start: "2026-03-01T00:00:00Z", end: "2026-04-05T00:00:00Z" },
  { bucket: "1d", start: "2026-10-15T10:00:00Z", end: "2026-11-10T00:00:00Z" },
];

beforeAll(async () => {
  server = await startServerProcess({ dataDir: data.dir, env: { LOG_LEVEL: "warn" } });
  adminCookie = await login(server.url);
  tenantA = (await call(adminCookie, "GET", "/api/v1/tenants")).body.tenants[0].id;
  tenantB = (await call(adminCookie, "POST", "/api/v1/tenants", { name: "Other tenant" })).body.tenant.id;
  const viewer = await call(
    adminCookie,
    "POST",
    "/api/v1/members",
    { email: "viewer@argus.test", name: "Viewer", password: "viewer-password-123", role: "viewer" },
    { "x-argus-tenant": tenantA },
  );
  expect(viewer.status).toBe(201);
  viewerCookie = await login(server.url, "viewer@argus.test", "viewer-password-123");
  const workerA = await connectWorker(adminCookie, tenantA, "vcc-worker-a");
  const workerB = await connectWorker(adminCookie, tenantB, "vcc-worker-b");
  siteA = (await call(adminCookie, "POST", "/api/v1/sites", { name: "North", timezone: "Europe/Berlin" })).body.site.id;
  const camera = async (tenant: string, name: string, siteId?: string) => {
    const res = await call(
      adminCookie,
      "POST",
      "/api/v1/cameras",
      { name, kind: "browser", siteId },
      {
        "x-argus-tenant": tenant,
      },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.camera.id as string;
  };
  cameraA1 = await camera(tenantA, "Gate");
  cameraA2 = await camera(tenantA, "Dock", siteA);
  cameraB1 = await camera(tenantB, "Elsewhere");

  const A = [cameraA1, cameraA2];
  sentA.push(
    ...spread(A, "2026-03-27T20:00:00Z", "2026-04-01T04:00:00Z", 1500),
    ...spread(A, "2026-03-29T00:30:00Z", "2026-03-29T02:30:00Z", 300), // Berlin springs forward at 01:00 UTC
    ...spread(A, "2026-03-31T21:00:00Z", "2026-04-01T01:00:00Z", 200), // month boundary (UTC and Berlin)
    ...spread(A, "2026-03-08T05:00:00Z", "2026-03-08T09:00:00Z", 200), // New York springs forward at 07:00 UTC
    ...spread(A, "2026-10-24T12:00:00Z", "2026-11-02T12:00:00Z", 1500),
    ...spread(A, "2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z", 300), // Berlin falls back at 01:00 UTC
    ...spread(A, "2026-11-01T04:00:00Z", "2026-11-01T08:00:00Z", 300), // New York falls back at 06:00 UTC
  );
  // Exactly on and just before bucket boundaries.
  for (let h = 0; h < 6; h++) {
    const boundary = at("2026-03-29T00:00:00Z") + h * 3600_000;
    sentA.push(crossing(cameraA1, boundary), crossing(cameraA2, boundary - 1), crossing(cameraA1, boundary + 59_999));
    const fall = at("2026-10-24T22:00:00Z") + h * 3600_000;
    sentA.push(crossing(cameraA2, fall), crossing(cameraA1, fall - 1));
  }
  sentB.push(...spread([cameraB1], "2026-03-27T20:00:00Z", "2026-04-01T04:00:00Z", 300));
  await send(workerA, sentA);
  await send(workerB, sentB);
  // These events are months old ("late", as a spool replayed after an outage): below each aggregate's watermark
  // they show once app/models/detections/aggregates.server.ts has refreshed their buckets (debounced, in the
  // background). Wait until each aggregate level (1d in UTC, 1h for Berlin days, 1m for Kolkata days) has them all.
  for (const tz of ["UTC", "Europe/Berlin", "Asia/Kolkata"]) {
    const url = vccUrl({ start_time: "2026-03-01T00:00:00Z", end_time: "2026-11-30T00:00:00Z", bucket: "1d", tz });
    const deadline = Date.now() + 90_000;
    for (;;) {
      const res = await call(adminCookie, "GET", url);
      if (res.status === 200 && res.body.totals.total === sentA.length) break;
      if (Date.now() > deadline)
        throw new Error(`${tz}: ${res.body.totals?.total} of ${sentA.length}\n${server.output().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}, 180_000);

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server?.stop();
  data.remove();
});

describe("VCC counts equal a raw GROUP BY (V1-V3, T3)", () => {
  for (const tz of ["UTC", "Europe/Berlin", "America/New_York"]) {
    it(`every bucket preset, all cameras, one camera and one site, in ${tz}`, async () => {
      for (const range of A_RANGES) {
        const all = await expectMatchesRaw(sentA, { ...range, tz });
        expect(all.totals.total).toBeGreaterThan(0);
        await expectMatchesRaw(sentA, { ...range, tz, camera: cameraA1 });
        if (range.bucket === "1h" || range.bucket === "15m")
          await expectMatchesRaw(sentA, { ...range, tz, site: siteA });
        // Top devices: the tenant's cameras ranked by count, whatever camera is filtered.
        const counts = new Map<string, number>();
        for (const e of sentA)
          if (e.ms >= at(all.range.start) && e.ms < at(all.range.end))
            counts.set(e.cameraId, (counts.get(e.cameraId) ?? 0) + 1);
        expect(
          all.topDevices.map((d: Json) => [d.cameraId, d.total]),
          JSON.stringify(range),
        ).toEqual([...counts].sort((a, b) => b[1] - a[1]));
      }
    }, 120_000);
  }

  it("reads the coarsest aggregate that divides the bucket in the zone; half-hour zones fall back to minutes", async () => {
    const fall = { start: "2026-10-15T10:00:00Z", end: "2026-11-10T00:00:00Z" };
    const source = async (bucket: VccBucket, tz: string) =>
      (await expectMatchesRaw(sentA, { ...fall, bucket, tz })).source.aggregate;
    expect(await source("1d", "UTC")).toBe("1d");
    expect(await source("1d", "Europe/Berlin")).toBe("1h");
    expect(await source("1d", "Asia/Kolkata")).toBe("1m");
    expect(await source("1h", "America/New_York")).toBe("1h");
    expect(await source("1h", "Asia/Kolkata")).toBe("1m");
    const short = { start: "2026-10-24T10:00:00Z", end: "2026-10-26T10:00:00Z" };
    expect((await expectMatchesRaw(sentA, { ...short, bucket: "15m", tz: "Asia/Kolkata" })).source.aggregate).toBe(
      "1m",
    );
    expect((await expectMatchesRaw(sentA, { ...short, bucket: "1h", tz: "Asia/Kathmandu" })).source.aggregate).toBe(
      "1m",
    );
  }, 60_000);

  it("a DST day has 23 or 25 hourly buckets and its daily bucket counts all of them", async () => {
    const spring = await expectMatchesRaw(sentA, {
      start: "2026-03-29T00:00:00+01:00",
      end: "2026-03-30T00:00:00+02:00",
      bucket: "1h",
      tz: "Europe/Berlin",
    });
    expect(spring.buckets).toHaveLength(23);
    const fallDay = await expectMatchesRaw(sentA, {
      start: "2026-10-25T00:00:00+02:00",
      end: "2026-10-26T00:00:00+01:00",
      bucket: "1h",
      tz: "Europe/Berlin",
    });
    expect(fallDay.buckets).toHaveLength(25);
    const days = await expectMatchesRaw(sentA, {
      start: "2026-10-25T00:00:00+02:00",
      end: "2026-10-26T00:00:00+01:00",
      bucket: "1d",
      tz: "Europe/Berlin",
    });
    expect(days.buckets).toEqual(["2026-10-24T22:00:00.000Z"]);
    expect(days.totals.total).toBe(fallDay.totals.total);
  });

  it("counts the newest, not yet materialised minute", async () => {
    const workerA = sockets[0];
    const now = Date.now();
    const fresh = [crossing(cameraA1, now), crossing(cameraA2, now), crossing(cameraA1, now - 1)];
    await send(workerA, fresh);
    sentA.push(...fresh);
    const end = new Date(now + 60_000).toISOString();
    for (const [bucket, span] of [
      ["1m", 3600_000],
      ["1h", 86_400_000],
      ["1d", 3 * 86_400_000],
    ] as const) {
      const r = await expectMatchesRaw(sentA, {
        start: new Date(now - span).toISOString(),
        end,
        bucket,
        tz: "UTC",
      });
      expect(r.totals.total, bucket).toBeGreaterThanOrEqual(3);
    }
    // The newest minute sits in the last bucket (or the one before when the minute just turned).
    const r = await expectMatchesRaw(sentA, {
      start: new Date(now - 3600_000).toISOString(),
      end,
      bucket: "1m",
      tz: "UTC",
    });
    expect(r.direction.in.at(-1) + r.direction.out.at(-1) + r.direction.in.at(-2) + r.direction.out.at(-2)).toBe(3);
  }, 60_000);

  it("an empty range is all zeros", async () => {
    const r = await expectMatchesRaw(sentA, {
      start: "2025-01-01T00:00:00Z",
      end: "2025-01-02T00:00:00Z",
      bucket: "1h",
      tz: "UTC",
    });
    expect(r.buckets).toHaveLength(24);
    expect(r).toMatchObject({ classes: [], byClass: {}, peak: null, topDevices: [] });
    expect(r.totals).toEqual({ total: 0, in: 0, out: 0, byClass: {} });
    expect(r.direction.in.every((v: number) => v === 0)).toBe(true);
  });

  it("is in the OpenAPI document with its parameters", async () => {
    const doc = (await call(adminCookie, "GET", "/api/v1/openapi.json")).body;
    for (const path of ["/api/v1/analytics/vcc", "/api/v1/analytics/vcc.csv"]) {
      const names = doc.paths[path].get.parameters.map((p: Json) => p.name);
      expect(names).toEqual(["start_time", "end_time", "bucket", "camera_id", "site_id", "tz"]);
    }
    expect(
      doc.paths["/api/v1/analytics/vcc"].get.responses["200"].content["application/json"].schema.properties,
    ).toHaveProperty("topDevices");
    expect(doc.paths["/api/v1/data/generate-vcc"].post.requestBody.required).toBe(false);
  });

  it("defaults to the last 24 hours in 15-minute buckets, UTC; viewers may read", async () => {
    const res = await call(viewerCookie, "GET", "/api/v1/analytics/vcc");
    expect(res.status).toBe(200);
    expect(res.body.query).toMatchObject({ bucket: "15m", tz: "UTC", cameraId: null, siteId: null });
    expect(res.body.buckets.length).toBeGreaterThanOrEqual(96);
    expect(res.body.buckets.length).toBeLessThanOrEqual(97);
    const anonymous = await fetch(`${server.url}/api/v1/analytics/vcc`);
    expect(anonymous.status).toBe(401);
  });
});

describe("tenancy and parameters", () => {
  it("never counts another tenant's cameras", async () => {
    const range = { start: "2026-03-27T00:00:00Z", end: "2026-04-02T00:00:00Z", bucket: "1h" as const, tz: "UTC" };
    const a = await expectMatchesRaw(sentA, range);
    expect(a.topDevices.map((d: Json) => d.cameraId).sort()).toEqual([cameraA1, cameraA2].sort());
    const foreign = await expectMatchesRaw([], { ...range, camera: cameraB1 });
    expect(foreign.totals.total).toBe(0);
    const b = await expectMatchesRaw(sentB, range, { "x-argus-tenant": tenantB });
    expect(b.totals.total).toBe(sentB.length);
    expect(b.topDevices).toEqual([{ cameraId: cameraB1, name: "Elsewhere", total: sentB.length }]);
  }, 60_000);

  it("refuses bad parameters with 400 and the reason", async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ tz: "Mars/Olympus_Mons" }, /tz must be an IANA time zone/],
      [{ start_time: "2026-03-02T00:00:00Z", end_time: "2026-03-01T00:00:00Z" }, /end_time must be after start_time/],
      [{ start_time: "2026-03-01T00:00:00Z", end_time: "2026-03-01T00:00:00Z" }, /end_time must be after start_time/],
      [{ start_time: "2026-03-01T00:00:00Z", end_time: "2026-03-31T00:00:00Z", bucket: "1m" }, /at most 2000/],
      [{ bucket: "3m" }, /bucket must be one of 1m, 2m, 5m, 15m, 1h, 1d/],
      [{ camera_id: "not-a-uuid" }, /camera_id must be a camera id/],
      [{ site_id: "12" }, /site_id must be a site id/],
      [{ start_time: "yesterday" }, /start_time must be an ISO 8601 time/],
      [{ end_time: "2026-03-01T00:00:00" }, /end_time must be an ISO 8601 time with an offset/],
    ];
    for (const [params, message] of cases) {
      for (const path of ["/api/v1/analytics/vcc", "/api/v1/analytics/vcc.csv"]) {
        const res = await call(adminCookie, "GET", vccUrl(params, path));
        expect(res.status, `${path} ${JSON.stringify(params)}`).toBe(400);
        expect(res.body.message, JSON.stringify(params)).toMatch(message);
      }
    }
  });
});

describe("CSV export (V5)", () => {
  it("has exactly the JSON's buckets and numbers, labelled in the query's zone", async () => {
    const params = {
      start_time: "2026-10-24T00:00:00Z",
      end_time: "2026-10-27T00:00:00Z",
      bucket: "1h",
      tz: "Europe/Berlin",
      camera_id: cameraA2,
    };
    const json = (await call(adminCookie, "GET", vccUrl(params))).body;
    const res = await fetch(server.url + vccUrl(params, "/api/v1/analytics/vcc.csv"), {
      headers: { cookie: adminCookie },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.csv"$/);
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe(["bucket_start", ...json.classes, "in", "out", "total"].join(","));
    expect(lines).toHaveLength(json.buckets.length + 1);
    lines.slice(1).forEach((line, i) => {
      const [when, ...numbers] = line.split(",");
      expect(when).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
      expect(Date.parse(when)).toBe(Date.parse(json.buckets[i]));
      const perClass = json.classes.map((c: string) => json.byClass[c][i]);
      const total = perClass.reduce((a: number, b: number) => a + b, 0);
      expect(numbers.map(Number)).toEqual([...perClass, json.direction.in[i], json.direction.out[i], total]);
    });
    // Around the fall-back change the labels show both offsets.
    expect(lines.some((l) => l.startsWith("2026-10-25T02:00:00+02:00"))).toBe(true);
    expect(lines.some((l) => l.startsWith("2026-10-25T02:00:00+01:00"))).toBe(true);
  });
});

describe("sample traffic generator (issue 11 §7)", () => {
  it("writes crossings through the ingest path that the API then counts; admins only", async () => {
    const body = { cameras: 2, days: 0.5, rate: 30, end_time: "2026-05-01T00:00:00Z", seed: 7 };
    const denied = await call(viewerCookie, "POST", "/api/v1/data/generate-vcc", body);
    expect(denied.status).toBe(403);
    const tooMany = await call(adminCookie, "POST", "/api/v1/data/generate-vcc", { cameras: 50, days: 31, rate: 2000 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toMatch(/at most 3,000,000/);
    const res = await call(adminCookie, "POST", "/api/v1/data/generate-vcc", body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.events).toBeGreaterThan(50);
    expect(res.body.stored).toBe(res.body.events);
    const span = { start_time: res.body.from, end_time: res.body.to, tz: "UTC" };
    for (const bucket of ["1m", "1h", "1d"]) {
      const r = await call(adminCookie, "GET", vccUrl({ ...span, bucket }));
      expect(r.body.totals.total, bucket).toBe(res.body.events);
      expect(r.body.classes[0]).toMatch(/person|car/);
    }
  }, 60_000);
});
