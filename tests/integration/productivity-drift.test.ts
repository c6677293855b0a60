// P4 + P5 over HTTP: generated data with a simulated model drift raises exactly one low-confidence
// and one distribution alert (not again on later checks), visible and acknowledgeable via the API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, makeDataDir, startServerProcess, type ServerProcess } from "./support/server-process";

let server: ServerProcess;
let data: ReturnType<typeof makeDataDir>;
let cookie: string;

async function call(path: string, method = "GET", body?: unknown) {
  const res = await fetch(server.url + path, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response shapes are asserted by the test
  return { status: res.status, json: (await res.json().catch(() => null)) as any };
}

beforeAll(async () => {
  data = makeDataDir();
  server = await startServerProcess({ dataDir: data.dir, env: { LOCAL_WORKER: "false" } });
  cookie = await login(server.url);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  data?.remove();
});

describe("drift alerts from generated data", () => {
  it("raises each alert exactly once and lets an operator acknowledge it", async () => {
    expect((await call("/api/v1/data/seed", "POST", { workers: 8, workstations: 4 })).status).toBe(201);
    const healthy = await call("/api/v1/data/generate-events", "POST", { days: 2 });
    expect(healthy.status).toBe(201);
    expect(healthy.json.alerts_raised).toBe(0);

    const drifted = await call("/api/v1/data/generate-events", "POST", { days: 1, simulate_drift: true });
    expect(drifted.status).toBe(201);
    expect(drifted.json.alerts_raised).toBe(2);
    for (let i = 0; i < 2; i++)
      expect((await call("/api/v1/alerts/check", "POST")).json).toMatchObject({ raised: [], ongoing: 2 });

    const { json } = await call("/api/v1/alerts?status=open");
    const kinds = json.alerts
      .map(
        (a: { kind: string; model_id: string; model_version: string }) => `${a.kind} ${a.model_id}@${a.model_version}`,
      )
      .sort();
    expect(kinds).toEqual(["distribution_drift yolo-factory@v2", "low_confidence yolo-factory@v2"]);

    const ack = await call(`/api/v1/alerts/${json.alerts[0].id}/acknowledge`, "POST");
    expect(ack.status).toBe(200);
    expect(ack.json.acknowledged_at).not.toBeNull();
    expect((await call("/api/v1/alerts?status=open")).json.alerts).toHaveLength(1);
    expect((await call("/api/v1/alerts/check", "POST")).json.raised).toEqual([]);
    expect((await call("/api/v1/alerts")).json.alerts).toHaveLength(2);
    expect((await call("/api/v1/alerts/not-a-uuid/acknowledge", "POST")).status).toBe(404);

    const models = await call("/api/v1/models");
    const v2 = models.json.models.find((m: { model_version: string }) => m.model_version === "v2");
    expect(v2.average_confidence).toBeLessThan(0.6);
  });
});
