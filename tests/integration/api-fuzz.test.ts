// U4 (issue 10 §1): every /api/v1 route and every page loader/form action, derived from app/routes itself
// (a new route file is fuzzed, or this test fails), gets thousands of bad requests from fast-check (fixed
// seed): NUL and lone surrogates in bodies, forms, path parameters and queries, numbers a column cannot hold,
// wrong types, malformed JSON, wrong content types, ids of 36 odd characters, as an admin, an operator, a
// viewer, an API key and nobody. No answer may be a 5xx, none may carry a stack, the server logs no error,
// and a window of requests that were all rejected must leave the tenant's data as it was.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routeCatalog, schemaFieldNames, type RouteEntry } from "./support/route-catalog";
import { login, makeDataDir, startServerProcess, type ServerProcess } from "./support/server-process";

const SEED = 20261201;
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 3000);
const BUDGET_MS = 90_000;
const WINDOW = 25;

let server: ServerProcess;
const dataDir = makeDataDir("argus-fuzz-");
type Role = "admin" | "operator" | "viewer" | "apiKey" | "anonymous";
const auth: Record<Role, Record<string, string>> = { admin: {}, operator: {}, viewer: {}, apiKey: {}, anonymous: {} };
/** Valid values per path parameter, so bad bodies reach the handlers behind the id checks. */
const fixtures: Record<string, string> = {};

async function api(path: string, init: RequestInit & { role?: Role } = {}) {
  const res = await fetch(`${server.url}${path}`, {
    ...init,
    headers: { "content-type": "application/json", ...auth[init.role ?? "admin"], ...init.headers },
    redirect: "manual",
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${init.method ?? "GET"} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

beforeAll(async () => {
  server = await startServerProcess({
    dataDir: dataDir.dir,
    env: { LOGIN_MAX_ATTEMPTS: "1000", LOGIN_IP_MAX_ATTEMPTS: "100000" },
  });
  auth.admin = { cookie: await login(server.url) };
  for (const role of ["operator", "viewer"] as const) {
    const email = `${role}@fuzz.test`;
    const body = JSON.stringify({ email, name: role, password: "fuzz-password-123", role });
    const { member } = await api("/api/v1/members", { method: "POST", body });
    if (role === "operator") fixtures.userId = member.userId ?? member.id;
    auth[role] = { cookie: await login(server.url, email, "fuzz-password-123") };
  }
  const key = await api("/api/v1/api-keys", { method: "POST", body: JSON.stringify({ name: "fuzz" }) });
  auth.apiKey = { authorization: `Bearer ${key.key}` };
  fixtures.keyId = (await api("/api/v1/api-keys", { method: "POST", body: '{"name":"spare"}' })).id;
  fixtures.siteId = (await api("/api/v1/sites", { method: "POST", body: '{"name":"Fuzz site"}' })).site.id;
  fixtures.cameraId = (
    await api("/api/v1/cameras", { method: "POST", body: '{"name":"Fuzz cam","kind":"browser"}' })
  ).camera.id;
  fixtures.credentialId = (await api("/api/v1/workers/credentials", { method: "POST", body: '{"name":"fuzz"}' })).id;
  await api("/api/v1/factory/workers", { method: "POST", body: '{"worker_id":"W1","name":"One"}' });
  await api("/api/v1/factory/workstations", { method: "POST", body: '{"workstation_id":"S1","name":"Station"}' });
  const now = Date.now();
  const events = Array.from({ length: 20 }, (_, i) => ({
    timestamp: new Date(now - (i + 1) * 60_000).toISOString(),
    worker_id: "W1",
    workstation_id: "S1",
    event_type: i % 4 === 0 ? "product_count" : "working",
    confidence: 0.9,
    count: 1,
  }));
  await api("/api/v1/events/batch", { method: "POST", body: JSON.stringify({ events }) });
  fixtures.workerId = "W1"; // factory routes; fleet routes answer 404 for it
  fixtures.workstationId = "S1";
  fixtures.alertId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
  fixtures.modelId = "nanodet-m-416";
  fixtures.version = "3.0.4";
  fixtures.token = "not-a-publish-token-at-all";
}, 120_000);

afterAll(async () => {
  await server?.stop();
  dataDir.remove();
});

/** What a rejected request must not change: ids, names and the values clients set, per resource. */
const SNAPSHOT_PATHS = [
  "/api/v1/sites",
  "/api/v1/cameras",
  "/api/v1/workers/credentials",
  "/api/v1/api-keys",
  "/api/v1/factory/workers",
  "/api/v1/factory/workstations",
  "/api/v1/factory/settings",
  "/api/v1/members",
  "/api/v1/tenants",
  "/api/v1/alerts?status=all",
  "/api/v1/metrics/factory?start_time=2000-01-01T00:00:00Z",
];
const KEPT = new Set([
  ...["id", "name", "slug", "timezone", "kind", "siteId", "rtspUrl", "enabled", "analysisFps", "email", "role"],
  ...["worker_id", "workstation_id", "station_type", "revoked_at", "revokedAt", "total_events", "userId"],
  ...["acknowledged_at", "state_duration_seconds", "auto_create_entities", "drift_confidence_threshold"],
  ...["drift_kl_threshold", "drift_window_minutes", "drift_baseline_hours", "drift_min_events"],
  ...["sites", "cameras", "credentials", "api_keys", "workers", "workstations", "members", "tenants", "alerts"],
  ...["settings", "factory", "camera"],
]);
function keep(value: unknown): unknown {
  if (Array.isArray(value))
    return value
      .map(keep)
      .map((v) => JSON.stringify(v))
      .sort();
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => KEPT.has(k))
        .map(([k, v]) => [k, keep(v)]),
    );
  return value;
}
async function snapshot(): Promise<string> {
  const parts = await Promise.all(SNAPSHOT_PATHS.map(async (p) => [p, keep(await api(p))]));
  return JSON.stringify(parts);
}

// ---- generators -------------------------------------------------------------------------------------------
const badText = fc.oneof(
  fc.constantFrom("\u0000", "a\u0000b", "\ud800", "x\udc00y", "\udfff\ud800", "W1\u0000", "S1\ud83d", ""),
  fc.string({ maxLength: 20 }).map((s) => `${s}\u0000${s}`),
  fc.string({ maxLength: 20 }).map((s) => `\ud800${s}`),
  fc.constant("n".repeat(5000)),
);
const badNumber = fc.constantFrom(1e-50, -1e-50, 1e-45, 1e-39, 1e308, -1e308, 2 ** 53 + 1, -1, 1.5, 4e38, -4e38);
const badValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: badText },
  { weight: 3, arbitrary: badNumber },
  { weight: 1, arbitrary: fc.constantFrom<unknown>([], {}, [1, "\u0000"], { a: "\u0000" }, "1e-50") },
  { weight: 1, arbitrary: fc.array(fc.oneof(badText, badNumber), { maxLength: 3 }) },
);
const fieldNames = schemaFieldNames();
const field = fc.constantFrom(...fieldNames);
const jsonObject = fc.dictionary(field, badValue, { minKeys: 1, maxKeys: 4 });
const eventLike = fc.record({
  timestamp: fc.oneof(fc.constant(new Date(Date.now() - 3_600_000).toISOString()), badText),
  worker_id: fc.oneof(fc.constant("W1"), badText),
  workstation_id: fc.oneof(fc.constant("S1"), badText),
  event_type: fc.oneof(fc.constant("working"), badText),
  confidence: fc.oneof(fc.constant(0.5), badNumber),
  model_id: badText,
});
const jsonBody = fc.oneof(
  { weight: 6, arbitrary: jsonObject.map((o) => JSON.stringify(o)) },
  {
    weight: 2,
    arbitrary: fc.array(eventLike, { minLength: 1, maxLength: 3 }).map((events) => JSON.stringify({ events })),
  },
  { weight: 1, arbitrary: eventLike.map((e) => JSON.stringify(e)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '{"name": "x"',
      "[",
      "null",
      "42",
      '"\\u0000"',
      '{"a":1e999}',
      '{"name":"\\ud800"}',
      "\u0000\u0001",
      '{"__proto__":{"x":1}}',
      "[".repeat(5000),
    ),
  },
  // Never blank: an empty body means {} (the documented defaults) on the data endpoints, a valid request.
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 50 }).filter((s) => s.trim().length > 0) },
);
const contentType = fc.constantFrom(
  "application/json",
  "application/json",
  "application/json",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/json; charset=utf-16",
  "",
);
const badParam = fc.constantFrom(
  "%00",
  "a%00",
  "%ED%A0%80",
  "a".repeat(36),
  "-".repeat(36),
  "00000000-0000-0000-0000-000000000000",
  "%2e%2e",
  "x".repeat(300),
  "1e-50",
  "W1%00",
  "%F0%9F%98%80",
  "%",
);
const queryKey = fc.constantFrom(
  ...["status", "q", "start_time", "end_time", "worker_id", "workstation_id", "camera_id", "limit"],
  ...["after_lamport", "from", "to", "redirectTo", "bucket", "days", "step"],
);
const queryValue = fc.constantFrom("%00", "1e-50", "1e400", "-1", "a".repeat(36), "%ED%A0%80", "now", "W1%00", "");
const query = fc.array(fc.tuple(queryKey, queryValue), { maxLength: 3 });
const formBody = (intents: string[]) =>
  fc
    .tuple(
      intents.length ? fc.constantFrom(...intents, "no-such-intent") : fc.constant(undefined),
      fc.array(fc.tuple(field, badText), { maxLength: 4 }),
    )
    .map(([intent, pairs]) => {
      const form = new URLSearchParams();
      if (intent) form.set("intent", intent);
      for (const [k, v] of pairs) form.append(k, v);
      return form.toString().replace(/%EF%BF%BD/g, "%ED%A0%80"); // a lone surrogate arrives as raw bytes
    });

/** Form intents that change data with no field to get wrong: sent only as a viewer (refused) or with a bad id. */
const FIELDLESS_INTENTS = new Set(["delete", "others", "issue-publish-token", "shutdown", "remove", "check"]);
const FIELDLESS_INTENTS_ANY = new Set(["seed", "generate", "refresh", "clear"]);

interface FuzzRequest {
  route: RouteEntry;
  role: Role;
  method: string;
  path: string;
  body?: string;
  contentType: string;
}

function requestFor(route: RouteEntry): fc.Arbitrary<FuzzRequest> {
  const methods = route.api
    ? [...(route.hasLoader ? ["GET"] : []), ...(route.hasAction ? ["POST", "PUT", "PATCH", "DELETE"] : [])]
    : [...(route.hasLoader ? ["GET"] : []), ...(route.hasAction ? ["POST", "POST", "POST"] : [])];
  const roles: Role[] = route.file === "logout.tsx" ? ["anonymous"] : ["admin", "operator", "viewer", "apiKey"];
  return fc
    .record({
      role: fc.constantFrom(...roles, ...(route.api ? (["anonymous"] as Role[]) : [])),
      method: fc.constantFrom(...methods),
      params: fc.tuple(...route.params.map(() => fc.oneof(badParam, fc.constant("valid")))),
      splat: fc.constantFrom("zzz", "%00", "sites/%00/x", "a".repeat(36)),
      query,
      json: jsonBody,
      form: formBody(route.intents),
      contentType,
      useForm: fc.boolean(),
    })
    .map((r) => {
      let role = r.role;
      let anyParamBad = false;
      let path = route.pattern.replace(/:(\w+)/g, (_m, name: string) => {
        const i = route.params.indexOf(name);
        const value = r.params[i];
        if (value !== "valid" || !fixtures[name]) anyParamBad = true;
        return value === "valid" ? encodeURIComponent(fixtures[name] ?? "missing") : value;
      });
      path = path.replace("*", r.splat);
      // Deleting with a valid id would succeed and empty the fixtures: DELETE always names a bad id.
      if (r.method === "DELETE" && route.params.length && !anyParamBad)
        path = path.replace(encodeURIComponent(fixtures[route.params[0]] ?? ""), "a".repeat(36));
      if (r.method === "DELETE" && !route.params.length && role !== "anonymous") role = "viewer";
      if (r.query.length) path += "?" + r.query.map(([k, v]) => `${k}=${v}`).join("&");
      const form = !route.api || r.useForm;
      const body: string | undefined = r.method === "GET" ? undefined : form ? r.form : r.json;
      const intent = body && form ? new URLSearchParams(body).get("intent") : null;
      if (intent && FIELDLESS_INTENTS_ANY.has(intent) && role !== "anonymous") role = "viewer";
      if (intent && FIELDLESS_INTENTS.has(intent) && !anyParamBad && role !== "anonymous") role = "viewer";
      return {
        route,
        role,
        method: r.method,
        path,
        body,
        contentType: form && body !== undefined ? "application/x-www-form-urlencoded" : r.contentType,
      };
    });
}

describe("U4 schema-driven fuzz of every route and form action", () => {
  it("derives a route for every file in app/routes and an intent list for every form with intents", () => {
    const catalog = routeCatalog();
    expect(catalog.length).toBeGreaterThan(60);
    expect(catalog.filter((r) => r.api).length).toBeGreaterThan(40);
    for (const r of catalog) expect(r.hasLoader || r.hasAction, r.file).toBe(true);
    // The forms the issue names are reached with their intents.
    const byFile = Object.fromEntries(catalog.map((r) => [r.file, r]));
    expect(byFile["_app.productivity.settings.tsx"].intents).toContain("revoke-key");
    expect(byFile["_app.productivity.models.tsx"].intents).toContain("check");
    expect(byFile["_app.sites.tsx"].intents).toEqual(["create", "delete", "update"]);
    expect(fieldNames).toEqual(expect.arrayContaining(["name", "station_type", "model_id", "confidence", "email"]));
  });

  it("U4: thousands of bad requests: no 5xx, no stack, nothing logged as an error, rejected windows change nothing", async () => {
    const catalog = routeCatalog();
    // Every route gets its share; ack intents are added for the models page (its form reads "id").
    const arbitraries = catalog.map((route) =>
      requestFor(route.file === "_app.productivity.models.tsx" ? { ...route, intents: ["ack", "check"] } : route),
    );
    const perRoute = Math.ceil(REQUESTS / catalog.length);
    const requests = arbitraries
      .flatMap((arb, i) =>
        fc.sample(arb, { seed: SEED + i, numRuns: Math.max(perRoute, catalog[i].intents.length * 10) }),
      )
      .sort((a, b) => hash(a.path + a.method + (a.body ?? "")) - hash(b.path + b.method + (b.body ?? "")));

    const started = Date.now();
    const failures: string[] = [];
    const hits = new Map<string, number>();
    const acceptedWrites = new Map<string, number>();
    const intentsSent = new Set<string>();
    let sent = 0;
    let accepted = 0;
    let verifiedRejected = 0;
    let windowRejected = 0;
    let windowClean = true;
    let baseline = await snapshot();
    for (const request of requests) {
      if (Date.now() - started > BUDGET_MS) break;
      const headers: Record<string, string> = { ...auth[request.role] };
      if (request.contentType) headers["content-type"] = request.contentType;
      let res: Response;
      try {
        res = await fetch(`${server.url}${request.path}`, {
          method: request.method,
          headers,
          body: request.body,
          redirect: "manual",
        });
      } catch (error) {
        failures.push(`${request.method} ${request.path}: fetch failed ${(error as Error).message}`);
        continue;
      }
      const text = await res.text();
      sent++;
      hits.set(request.route.file, (hits.get(request.route.file) ?? 0) + 1);
      const intent = request.contentType.startsWith("application/x-www-form-urlencoded")
        ? new URLSearchParams(request.body ?? "").get("intent")
        : null;
      if (intent) intentsSent.add(`${request.route.file}#${intent}`);
      if (res.status >= 500 || /\bat .*\.(ts|js|tsx):\d+/.test(text)) {
        failures.push(
          `${res.status} ${request.role} ${request.method} ${request.path} ${JSON.stringify(request.body?.slice(0, 200))} -> ${text.slice(0, 200)}`,
        );
      }
      if (res.status < 400) {
        accepted++;
        // Reads are safe by contract: an accepted GET that changed data is caught by the window check.
        if (request.method !== "GET") {
          windowClean = false;
          const key = `${request.method} ${request.route.pattern} ${res.status}`;
          acceptedWrites.set(key, (acceptedWrites.get(key) ?? 0) + 1);
        }
      } else windowRejected++;
      if (sent % WINDOW === 0) {
        const now = await snapshot();
        if (windowClean) {
          if (now !== baseline) failures.push(`data changed in a window of ${WINDOW} rejected requests ending ${sent}`);
          verifiedRejected += windowRejected;
        }
        baseline = now;
        windowClean = true;
        windowRejected = 0;
      }
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `api-fuzz: ${sent} requests over ${hits.size} route files in ${seconds.toFixed(1)} s (seed ${SEED}); ` +
        `${accepted} accepted, ${sent - accepted} rejected, ${verifiedRejected} rejected in windows checked unchanged; ` +
        `${failures.length} failures; accepted writes: ${JSON.stringify(Object.fromEntries(acceptedWrites))}`,
    );
    expect(failures.slice(0, 20)).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(Math.min(REQUESTS, 2000));
    // Not one route file was skipped.
    expect(catalog.filter((r) => !hits.has(r.file)).map((r) => r.file)).toEqual([]);
    // Nor one form intent.
    const intentsWanted = catalog.flatMap((r) => r.intents.map((i) => `${r.file}#${i}`));
    expect(intentsWanted.filter((i) => !intentsSent.has(i))).toEqual([]);
    expect(verifiedRejected).toBeGreaterThan((sent - accepted) / 2);
    const errors = server
      .output()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { level: number; msg: string; route?: string })
      .filter((l) => l.level >= 50);
    expect(errors).toEqual([]);
  }, 180_000);
});

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
