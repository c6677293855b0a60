// P1-P6, issue 10 §4: the productivity API's own documentation, run verbatim against Argus. Every curl
// example below is copied unchanged from that document (the productivity dashboard README); the test
// only swaps its host (http://localhost:8000) for the test server and adds the API key header, which
// is all a factory changes when it points its CV system at Argus. The response bodies are compared
// field by field with the document's example responses: every documented field present, in the
// documented nesting and JSON type, numbers rounded as documented, and equal values wherever the
// document's values follow from its own inputs (the rest are random sample data there too).
// The server starts like a fresh install: PRODUCTIVITY_SAMPLE_DATA on, the documented sample factory.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, makeDataDir, startServerProcess, type ServerProcess } from "./support/server-process";

const DOC_HOST = "http://localhost:8000";

// ---- The document's examples, verbatim ---------------------------------------------------------

/** "Example Workflow", steps 4-8. */
const WORKFLOW = {
  refresh: String.raw`curl -X POST http://localhost:8000/api/v1/data/refresh`,
  working: String.raw`curl -X POST http://localhost:8000/api/v1/events \
  -H "Content-Type: application/json" \
  -d '{
    "timestamp": "2026-01-22T10:00:00Z",
    "worker_id": "W1",
    "workstation_id": "S1",
    "event_type": "working",
    "confidence": 0.95,
    "count": 0
  }'`,
  production: String.raw`curl -X POST http://localhost:8000/api/v1/events \
  -H "Content-Type: application/json" \
  -d '{
    "timestamp": "2026-01-22T10:05:00Z",
    "worker_id": "W1",
    "workstation_id": "S1",
    "event_type": "product_count",
    "confidence": 0.98,
    "count": 5
  }'`,
  worker: String.raw`curl http://localhost:8000/api/v1/metrics/workers/W1`,
  factory: String.raw`curl http://localhost:8000/api/v1/metrics/factory`,
};

/** "Refresh Data". */
const REFRESH_DATA = {
  initialize: String.raw`curl -X POST http://localhost:8000/api/v1/data/initialize`,
  refresh: String.raw`curl -X POST http://localhost:8000/api/v1/data/refresh`,
  generate: String.raw`curl -X POST http://localhost:8000/api/v1/data/generate-events \
  -H "Content-Type: application/json" \
  -d '{"num_days": 14, "events_per_day": 200, "clear_existing": true}'`,
};

/** "Complete API Usage Examples" 1-5, with their documented responses. */
const EXAMPLE_1 = String.raw`curl -X POST http://localhost:8000/api/v1/events \
  -H "Content-Type: application/json" \
  -d '{
    "timestamp": "2026-01-22T10:15:00Z",
    "worker_id": "W1",
    "workstation_id": "S3",
    "event_type": "working",
    "confidence": 0.93,
    "count": 0
  }'`;
const RESPONSE_1 = `{
  "id": 1,
  "timestamp": "2026-01-22T10:15:00Z",
  "worker_id": "W1",
  "workstation_id": "S3",
  "event_type": "working",
  "confidence": 0.93,
  "count": 0,
  "received_at": "2026-01-22T10:15:01Z"
}`;
const EXAMPLE_2 = String.raw`curl -X POST http://localhost:8000/api/v1/events/batch \
  -H "Content-Type: application/json" \
  -d '{
    "events": [
      {"timestamp": "2026-01-22T10:00:00Z", "worker_id": "W1", "workstation_id": "S1", "event_type": "working", "confidence": 0.95, "count": 0},
      {"timestamp": "2026-01-22T10:00:00Z", "worker_id": "W2", "workstation_id": "S2", "event_type": "idle", "confidence": 0.88, "count": 0},
      {"timestamp": "2026-01-22T10:05:00Z", "worker_id": "W1", "workstation_id": "S1", "event_type": "product_count", "confidence": 0.99, "count": 3}
    ]
  }'`;
const RESPONSE_2 = `{
  "total_received": 3,
  "successfully_stored": 3,
  "duplicates_skipped": 0,
  "errors": []
}`;
const EXAMPLE_3 = String.raw`curl http://localhost:8000/api/v1/metrics/dashboard`;
const RESPONSE_3 = `{
  "factory": {
    "total_productive_time_hours": 45.5,
    "total_production_count": 1250,
    "avg_production_rate": 27.47,
    "avg_worker_utilization": 72.3,
    "avg_workstation_utilization": 68.5,
    "total_events": 872
  },
  "workers": [
    {
      "worker_id": "W1",
      "name": "John Martinez",
      "total_active_time_hours": 8.5,
      "total_idle_time_hours": 2.1,
      "utilization_percentage": 80.2,
      "total_units_produced": 215,
      "units_per_hour": 25.3
    }
  ],
  "workstations": [
    {
      "station_id": "S1",
      "name": "Assembly Line A",
      "station_type": "Assembly",
      "occupancy_time_hours": 10.2,
      "utilization_percentage": 75.5,
      "total_units_produced": 320,
      "throughput_rate": 31.4
    }
  ]
}`;
const EXAMPLE_4 = String.raw`curl "http://localhost:8000/api/v1/metrics/workers/W1?start_time=2026-01-20T00:00:00Z&end_time=2026-01-22T23:59:59Z"`;
const EXAMPLE_5 = String.raw`curl -X POST http://localhost:8000/api/v1/data/refresh`;
const RESPONSE_5 = `{
  "message": "Data refreshed successfully",
  "events_generated": 872,
  "workers": 6,
  "workstations": 6
}`;

/** "Model Versioning", 3. API enhancement: the event a versioned CV model sends (no workstation_id). */
const MODEL_VERSIONING_EVENT = `{
     "timestamp": "2026-01-15T10:15:00Z",
     "worker_id": "W1",
     "event_type": "working",
     "confidence": 0.93,
     "model_id": "activity-detector",
     "model_version": "2.1.0"
   }`;

/** "Sample Setup": W1-W6 with these names; S1 is "Assembly Line A" of type "Assembly" (Example 3). */
const SAMPLE_WORKERS = ["John Martinez", "Sarah Chen", "Michael Johnson", "Emily Davis", "Robert Kim", "Lisa Thompson"];

// ---- Running them ------------------------------------------------------------------------------

let server: ServerProcess;
let data: ReturnType<typeof makeDataDir>;
let apiKey: string;

interface Curl {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** The subset of curl the document uses: -X, -H, -d (single-quoted), a quoted or bare URL, line continuations. */
function parseCurl(command: string): Curl {
  const text = command.replace(/\\\n/g, " ");
  const tokens: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) tokens.push(m[1] ?? m[2] ?? m[3]);
  expect(tokens.shift()).toBe("curl");
  const curl: Curl = { method: "GET", url: "", headers: {} };
  while (tokens.length) {
    const token = tokens.shift()!;
    if (token === "-X") curl.method = tokens.shift()!;
    else if (token === "-H") {
      const [name, ...value] = tokens.shift()!.split(":");
      curl.headers[name.trim().toLowerCase()] = value.join(":").trim();
    } else if (token === "-d") {
      curl.body = tokens.shift()!;
      if (curl.method === "GET") curl.method = "POST";
    } else if (token.startsWith(DOC_HOST)) curl.url = token;
    else throw new Error(`unexpected curl argument ${token}`);
  }
  expect(curl.url).not.toBe("");
  return curl;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response shapes are asserted field by field
type Json = any;

/** Runs a documented curl command against the test server: host swapped, API key added, nothing else. */
async function run(command: string, extraHeaders: Record<string, string> = {}) {
  const curl = parseCurl(command);
  const res = await fetch(curl.url.replace(DOC_HOST, server.url), {
    method: curl.method,
    headers: { ...curl.headers, authorization: `Bearer ${apiKey}`, ...extraHeaders },
    body: curl.body,
    redirect: "manual",
  });
  const text = await res.text();
  let json: Json = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON; the assertions say so
  }
  return { status: res.status, json, headers: res.headers };
}

/** Fields whose documented values are whole numbers by nature (ids and counts), not by chance. */
const INTEGER_FIELDS = new Set([
  "id",
  "count",
  "total_received",
  "successfully_stored",
  "duplicates_skipped",
  "total_units_produced",
  "total_production_count",
  "total_events",
  "events_generated",
  "workers",
  "workstations",
]);

/**
 * Every field of `documented` exists in `actual` with the same JSON type, recursively (each element of
 * an array against the document's first element); integers where the document counts; documented
 * decimals rounded to at most 2 places; and the same value for every path in `sameValues`.
 */
function compareWithDocument(actual: Json, documented: Json, sameValues: string[] = [], path = ""): void {
  const where = path || "(body)";
  if (Array.isArray(documented)) {
    expect(Array.isArray(actual), `${where} is an array`).toBe(true);
    if (documented.length)
      for (const [i, item] of actual.entries()) compareWithDocument(item, documented[0], [], `${path}[${i}]`);
    return;
  }
  if (documented !== null && typeof documented === "object") {
    expect(actual !== null && typeof actual === "object" && !Array.isArray(actual), `${where} is an object`).toBe(true);
    for (const [key, value] of Object.entries(documented)) {
      const child = path ? `${path}.${key}` : key;
      expect(actual, `${child} is missing`).toHaveProperty([key]);
      compareWithDocument(actual[key], value, sameValues, child);
    }
    return;
  }
  expect(typeof actual, `${where} has the documented type (${typeof documented})`).toBe(typeof documented);
  const key = path
    .replace(/\[\d+\]/g, "")
    .split(".")
    .pop()!;
  if (typeof documented === "number") {
    if (INTEGER_FIELDS.has(key)) expect(Number.isInteger(actual), `${where} is an integer`).toBe(true);
    else expect(Math.round(actual * 100) / 100, `${where} is rounded to 2 decimals`).toBe(actual);
  }
  if (sameValues.includes(path)) expect(actual, `${where}`).toEqual(documented);
}

beforeAll(async () => {
  data = makeDataDir();
  server = await startServerProcess({ dataDir: data.dir, env: { PRODUCTIVITY_SAMPLE_DATA: "true" } });
  const cookie = await login(server.url);
  const created = await fetch(`${server.url}/api/v1/api-keys`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ name: "documented CV system" }),
  });
  expect(created.status).toBe(201);
  apiKey = ((await created.json()) as { key: string }).key;
}, 120_000);

afterAll(async () => {
  await server?.stop();
  data?.remove();
});

describe("a fresh install has the documented sample factory", () => {
  it("answers the documented workers and workstations with data before anything is posted", async () => {
    expect(server.output()).toContain("productivity sample factory created");
    const { status, json } = await run(EXAMPLE_3);
    expect(status).toBe(200);
    compareWithDocument(json, JSON.parse(RESPONSE_3));
    expect(json.workers.map((w: Json) => [w.worker_id, w.name])).toEqual(
      SAMPLE_WORKERS.map((name, i) => [`W${i + 1}`, name]),
    );
    expect(json.workstations.map((s: Json) => s.station_id)).toEqual(["S1", "S2", "S3", "S4", "S5", "S6"]);
    compareWithDocument(json.workstations[0], JSON.parse(RESPONSE_3).workstations[0], [
      "station_id",
      "name",
      "station_type",
    ]);
    expect(json.factory.total_events).toBeGreaterThan(100);
    expect(json.workers[0].total_units_produced).toBeGreaterThan(0);
  });
});

describe("Complete API Usage Examples, in the document's order", () => {
  it("1. Ingest Single Event", async () => {
    const { status, json } = await run(EXAMPLE_1);
    expect(status).toBe(201);
    compareWithDocument(json, JSON.parse(RESPONSE_1), [
      "timestamp",
      "worker_id",
      "workstation_id",
      "event_type",
      "confidence",
      "count",
    ]);
    expect(Number.isSafeInteger(json.id) && json.id > 0).toBe(true);
    expect(Math.abs(Date.parse(json.received_at) - Date.now())).toBeLessThan(60_000);
    // Sent again: not stored twice, answered with the same event and id.
    const again = await run(EXAMPLE_1);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ id: json.id, received_at: json.received_at, duplicate: true });
  });

  it("2. Ingest Batch Events", async () => {
    const { status, json } = await run(EXAMPLE_2);
    expect(status).toBe(201);
    compareWithDocument(json, JSON.parse(RESPONSE_2), [
      "total_received",
      "successfully_stored",
      "duplicates_skipped",
      "errors",
    ]);
    expect(json).toEqual(JSON.parse(RESPONSE_2));
  });

  it("3. Get Dashboard Metrics", async () => {
    const { status, json } = await run(EXAMPLE_3);
    expect(status).toBe(200);
    compareWithDocument(json, JSON.parse(RESPONSE_3), ["workers[0].worker_id", "workers[0].name"]);
    // The documented fields agree with Argus's own beside them (same formulas, other units).
    const f = json.factory;
    expect(f.total_productive_time_hours).toBe(Math.round(f.total_productive_seconds / 36) / 100);
    expect(f.total_production_count).toBe(f.total_production);
    expect(f.total_events).toBe(f.event_count);
    expect(f.avg_worker_utilization).toBe(Math.round(f.average_worker_utilisation * 100 * 100) / 100);
    const w = json.workers[0];
    expect(w.utilization_percentage).toBe(Math.round(w.utilisation * 100 * 100) / 100);
    expect(w.units_per_hour).toBe(Math.round(w.units_per_active_hour * 100) / 100);
    const s = json.workstations[0];
    expect(s.occupancy_time_hours).toBe(Math.round(s.occupancy_seconds / 36) / 100);
    expect(s.throughput_rate).toBe(Math.round(s.throughput_per_occupied_hour * 100) / 100);
  });

  it("4. Get Worker Metrics with Time Filter: the values follow from examples 1 and 2", async () => {
    const { status, json } = await run(EXAMPLE_4);
    expect(status).toBe(200);
    const documentedWorker = JSON.parse(RESPONSE_3).workers[0];
    compareWithDocument(json, documentedWorker, ["worker_id", "name"]);
    // In the range, W1 has: working at S3 10:15 (example 1), working at S1 10:00 and 3 units at 10:05
    // (example 2). Two 5-minute states: 10 minutes active, no idle time, 3 units in 1/6 hour.
    expect(json).toMatchObject({
      worker_id: "W1",
      name: "John Martinez",
      total_active_time_hours: 0.17,
      total_idle_time_hours: 0,
      utilization_percentage: 100,
      total_units_produced: 3,
      units_per_hour: 18,
    });
  });

  it("5. Refresh Data: clears, regenerates, and says so in the documented body", async () => {
    const { status, json } = await run(EXAMPLE_5);
    expect(status).toBe(200);
    compareWithDocument(json, JSON.parse(RESPONSE_5), ["message", "workers", "workstations"]);
    expect(json.events_generated).toBeGreaterThan(100);
    // Everything posted before is gone; what is there now is exactly what was generated.
    const factory = await run(WORKFLOW.factory);
    expect(factory.json.total_events).toBe(json.events_generated);
    const w1 = await run(EXAMPLE_4);
    expect(w1.json.total_units_produced).toBe(0);
  });
});

describe("Example Workflow, steps 4-8", () => {
  it("refreshes, adds a working and a production event, reads W1 and the factory", async () => {
    const refreshed = await run(WORKFLOW.refresh);
    expect(refreshed.status).toBe(200);
    compareWithDocument(refreshed.json, JSON.parse(RESPONSE_5), ["message", "workers", "workstations"]);
    const before = (await run(WORKFLOW.worker)).json;

    const working = await run(WORKFLOW.working);
    expect(working.status).toBe(201);
    compareWithDocument(working.json, JSON.parse(RESPONSE_1), ["worker_id", "event_type", "count"]);
    expect(working.json).toMatchObject({ timestamp: "2026-01-22T10:00:00Z", workstation_id: "S1", confidence: 0.95 });
    const production = await run(WORKFLOW.production);
    expect(production.status).toBe(201);
    expect(production.json).toMatchObject({ event_type: "product_count", count: 5, confidence: 0.98 });
    expect(production.json.id).not.toBe(working.json.id);

    const worker = await run(WORKFLOW.worker);
    expect(worker.status).toBe(200);
    compareWithDocument(worker.json, JSON.parse(RESPONSE_3).workers[0], ["worker_id", "name"]);
    // One more 5-minute working state (1/12 h) and 5 more units than before the two events.
    expect(worker.json.total_units_produced).toBe(before.total_units_produced + 5);
    expect(worker.json.worker.active_seconds).toBe(before.worker.active_seconds + 300);

    const factory = await run(WORKFLOW.factory);
    expect(factory.status).toBe(200);
    compareWithDocument(factory.json, JSON.parse(RESPONSE_3).factory);
    expect(factory.json.total_events).toBe(refreshed.json.events_generated + 2);
    compareWithDocument(factory.json.factory, JSON.parse(RESPONSE_3).factory);
  });
});

describe("Refresh Data section", () => {
  it("initialize, refresh, and generate-events with the documented body", async () => {
    const initialized = await run(REFRESH_DATA.initialize);
    expect(initialized.status).toBe(201);
    expect(initialized.json.events_generated).toBeGreaterThan(100);

    const refreshed = await run(REFRESH_DATA.refresh);
    expect(refreshed.status).toBe(200);
    expect(refreshed.json).toMatchObject({ message: "Data refreshed successfully", workers: 6, workstations: 6 });

    const generated = await run(REFRESH_DATA.generate);
    expect(generated.status).toBe(201);
    expect(generated.json.events_deleted ?? generated.json.deleted).toBe(refreshed.json.events_generated);
    // clear_existing: only the generated events remain. events_per_day: about 200 state events per
    // day over the six workers (rounded to whole report intervals), plus product_count events.
    const factory = (await run(WORKFLOW.factory)).json;
    expect(factory.total_events).toBe(generated.json.events_generated);
    const states = factory.factory.total_productive_seconds / 300 + factory.factory.total_idle_seconds / 300;
    expect(states).toBeGreaterThan(13 * 200 * 0.5); // today's shift may be under way
    expect(states).toBeLessThan(14 * 200 * 1.1);
  });

  it("treats an empty body as {} even with a JSON content type", async () => {
    const res = await run(REFRESH_DATA.refresh, { "content-type": "application/json" });
    expect(res.status).toBe(200);
    expect(res.json.message).toBe("Data refreshed successfully");
  });
});

describe("Model Versioning", () => {
  it("accepts the versioned event exactly as written (it names no workstation)", async () => {
    const res = await run(String.raw`curl -X POST http://localhost:8000/api/v1/events \
  -H "Content-Type: application/json" \
  -d '${MODEL_VERSIONING_EVENT}'`);
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    expect(res.json).toMatchObject({
      timestamp: "2026-01-15T10:15:00Z",
      worker_id: "W1",
      workstation_id: null,
      event_type: "working",
      confidence: 0.93,
      count: 0,
      model_id: "activity-detector",
      model_version: "2.1.0",
    });
    const day = await run(
      `curl "http://localhost:8000/api/v1/metrics/workers/W1?start_time=2026-01-15T00:00:00Z&end_time=2026-01-16T00:00:00Z"`,
    );
    expect(day.json).toMatchObject({ total_active_time_hours: 0.08, utilization_percentage: 100 });
    const models = await run(`curl http://localhost:8000/api/v1/models`);
    expect(models.json.models.map((m: Json) => `${m.model_id}@${m.model_version}`)).toContain(
      "activity-detector@2.1.0",
    );
  });
});

describe("Production Event Aggregation example", () => {
  it("W1 produced 5 units in 10 minutes of active time = 30 units/hour", async () => {
    // The document's timeline (10:00 working, 10:02 3 units, 10:05 working, 10:08 2 units, 10:10 idle),
    // on a day of its own so nothing else is in range.
    const at = (hhmm: string) => `2026-01-10T${hhmm}:00Z`;
    const e = (hhmm: string, event_type: string, count = 0) =>
      `{"timestamp": "${at(hhmm)}", "worker_id": "W1", "workstation_id": "S1", "event_type": "${event_type}", "confidence": 0.9, "count": ${count}}`;
    const batch = await run(`curl -X POST http://localhost:8000/api/v1/events/batch \\
  -H "Content-Type: application/json" \\
  -d '{"events": [${[e("10:00", "working"), e("10:02", "product_count", 3), e("10:05", "working"), e("10:08", "product_count", 2), e("10:10", "idle")].join(", ")}]}'`);
    expect(batch.json).toEqual({ total_received: 5, successfully_stored: 5, duplicates_skipped: 0, errors: [] });
    const range = `start_time=${at("00:00")}&end_time=2026-01-11T00:00:00Z`;
    const w1 = await run(`curl "http://localhost:8000/api/v1/metrics/workers/W1?${range}"`);
    expect(w1.json).toMatchObject({
      total_units_produced: 5,
      total_active_time_hours: 0.17,
      total_idle_time_hours: 0.08,
      utilization_percentage: 66.67,
      units_per_hour: 30,
    });
    const s1 = await run(`curl "http://localhost:8000/api/v1/metrics/workstations/S1?${range}"`);
    expect(s1.json).toMatchObject({
      station_id: "S1",
      occupancy_time_hours: 0.25,
      utilization_percentage: 66.67,
      throughput_rate: 20,
    });
  });
});

describe("API keys on the data endpoints, and /docs", () => {
  it("DELETE /data/events with the key of a tenant admin", async () => {
    const res = await run(`curl -X DELETE http://localhost:8000/api/v1/data/events`);
    expect(res.status).toBe(200);
    expect(res.json.deleted).toBeGreaterThan(0);
    expect((await run(WORKFLOW.factory)).json.total_events).toBe(0);
  });

  it("serves the browsable docs at /docs (public: the reference holds no data; issue 12 §3)", async () => {
    const anonymous = await fetch(`${server.url}/docs`, { redirect: "manual", headers: { accept: "text/html" } });
    expect(anonymous.status).toBe(200);
    expect(await anonymous.text()).toContain("/api/v1/metrics/workers/{worker_id}");
    const cookie = await login(server.url);
    const browser = await fetch(`${server.url}/docs`, { redirect: "manual", headers: { cookie, accept: "text/html" } });
    expect(browser.status).toBe(302);
    expect(browser.headers.get("location")).toBe("/api-docs");
    const page = await fetch(`${server.url}/api-docs`, { redirect: "manual", headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("factory productivity API");
    const asJson = await fetch(`${server.url}/docs`, {
      redirect: "manual",
      headers: { cookie, accept: "application/json" },
    });
    expect(asJson.headers.get("location")).toBe("/api/v1/openapi.json");
    // The OpenAPI document takes the API key and describes the documented fields.
    const doc = await run(`curl http://localhost:8000/api/v1/openapi.json`);
    expect(doc.status).toBe(200);
    const worker =
      doc.json.paths["/api/v1/metrics/workers/{worker_id}"].get.responses["200"].content["application/json"].schema;
    for (const field of Object.keys(JSON.parse(RESPONSE_3).workers[0])) expect(worker.properties).toHaveProperty(field);
    const refresh = doc.json.paths["/api/v1/data/refresh"].post;
    expect(refresh.requestBody.required).toBe(false);
    expect(Object.keys(refresh.responses["200"].content["application/json"].schema.properties)).toEqual(
      expect.arrayContaining(Object.keys(JSON.parse(RESPONSE_5))),
    );
  });
});
