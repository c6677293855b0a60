// Restart safety (issue "Foundation"): what the server wrote survives a graceful stop and a crash,
// and sessions stay valid across restarts because they live in the database, not in memory.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { login, makeDataDir, startServerProcess, type ServerProcess } from "./support/server-process";

const dataDir = makeDataDir("argus-persist-");
afterAll(() => dataDir.remove());

const siteName = `Persisted site ${randomUUID().slice(0, 8)}`;
let cookie = "";
let createdThroughApi = false;

async function auditCounts(server: ServerProcess): Promise<string> {
  const res = await fetch(`${server.url}/`, { headers: { cookie }, redirect: "manual" });
  expect(res.status).toBe(200);
  return res.text();
}

async function withDatabase<T>(fn: (handle: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const handle = await openDatabase({ dataDir: dataDir.dir });
  try {
    return await fn(handle);
  } finally {
    await handle.close();
  }
}

describe("U1/T3 persistence across restarts", () => {
  it("U1/T3: data and sessions written before a SIGTERM are there after a restart; the stop is graceful", async () => {
    const first = await startServerProcess({ dataDir: dataDir.dir });
    cookie = await login(first.url);
    const created = await fetch(`${first.url}/api/v1/sites`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ name: siteName, timezone: "Europe/Berlin" }),
    });
    createdThroughApi = created.status === 201;
    if (created.status !== 404) expect(created.status).toBe(201);
    expect(await auditCounts(first)).toContain("login.success");

    const code = await first.stop();
    expect(code).toBe(0);
    const lines = first
      .output()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { msg: string; level: number });
    const messages = lines.map((l) => l.msg);
    const shutdownAt = messages.indexOf("shutting down");
    expect(shutdownAt).toBeGreaterThan(0);
    expect(messages.indexOf("stopped")).toBeGreaterThan(shutdownAt);
    expect(lines.slice(shutdownAt).filter((l) => l.level >= 50)).toEqual([]); // no errors while closing

    if (!createdThroughApi) {
      // POST /api/v1/sites not built yet: write the site straight into the stopped server's database.
      await withDatabase((h) =>
        h.query(
          sql`INSERT INTO sites (tenant_id, name, timezone) SELECT id, ${siteName}, 'Europe/Berlin' FROM tenants WHERE slug = 'default'`,
        ),
      );
    }

    const second = await startServerProcess({ dataDir: dataDir.dir });
    try {
      expect(second.output()).not.toContain("bootstrap admin created");
      // The cookie issued by the first process still opens pages and the API.
      const page = await auditCounts(second);
      expect(page).toContain("login.success");
      const me = await fetch(`${second.url}/api/v1/me`, { headers: { cookie } });
      expect(me.status === 200 || me.status === 404).toBe(true);
      if (me.status === 200) expect(await me.json()).toMatchObject({ user: { isPlatformAdmin: true } });
      const sites = await fetch(`${second.url}/api/v1/sites`, { headers: { cookie } });
      if (sites.status === 200) {
        const body = (await sites.json()) as { sites: Array<{ name: string; timezone: string }> };
        expect(body.sites).toContainEqual(expect.objectContaining({ name: siteName, timezone: "Europe/Berlin" }));
      }
      expect(await second.stop()).toBe(0);
    } finally {
      await second.kill();
    }
    const [row] = await withDatabase((h) =>
      h.query<{ sites: number; logins: number; sessions: number }>(sql`SELECT
        (SELECT count(*)::int FROM sites WHERE name = ${siteName}) AS sites,
        (SELECT count(*)::int FROM audit_events WHERE action = 'login.success') AS logins,
        (SELECT count(*)::int FROM sessions) AS sessions`),
    );
    expect(row).toEqual({ sites: 1, logins: 1, sessions: 1 });
  });

  it("U4/T3: after a SIGKILL crash mid-use the data dir still opens, with everything committed before the crash", async () => {
    const server = await startServerProcess({ dataDir: dataDir.dir });
    const crashCookie = await login(server.url);
    // Traffic in flight while the process dies.
    const inflight = Array.from({ length: 5 }, () =>
      fetch(`${server.url}/`, { headers: { cookie: crashCookie } }).catch(() => null),
    );
    await server.kill();
    await Promise.all(inflight);
    expect(server.child.signalCode).toBe("SIGKILL");

    const again = await startServerProcess({ dataDir: dataDir.dir });
    try {
      expect((await fetch(`${again.url}/readyz`)).status).toBe(200);
      expect((await fetch(`${again.url}/`, { headers: { cookie }, redirect: "manual" })).status).toBe(200);
      expect((await fetch(`${again.url}/`, { headers: { cookie: crashCookie }, redirect: "manual" })).status).toBe(200);
      const fresh = await login(again.url);
      expect(fresh).not.toBe(crashCookie);
    } finally {
      expect(await again.stop()).toBe(0);
    }
    const [row] = await withDatabase((h) =>
      h.query<{ sites: number; logins: number }>(sql`SELECT
        (SELECT count(*)::int FROM sites WHERE name = ${siteName}) AS sites,
        (SELECT count(*)::int FROM audit_events WHERE action = 'login.success') AS logins`),
    );
    expect(row).toEqual({ sites: 1, logins: 3 });
  });
});
