// The postgres.js path (DATABASE_URL), against real sockets: Argus talks the PostgreSQL wire
// protocol to PGlite+TimescaleDB served by pglite-socket (the closest thing to a TimescaleDB
// server these machines can run), and to Debian's PostgreSQL 15 without TimescaleDB, where it must
// refuse to start with a clear message (O2, T3).
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import {
  freePort,
  login,
  makeDataDir,
  startServerProcess,
  startWireServer,
  type WireServer,
} from "./support/server-process";

const dirs: Array<ReturnType<typeof makeDataDir>> = [];
function tempDir(prefix: string) {
  const dir = makeDataDir(prefix);
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => d.remove()));

/** One short-lived wire connection from the test itself (only while Argus is stopped: one at a time). */
async function overTheWire<T>(url: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function logMessages(output: string): Array<{ level: number; msg: string; database?: string }> {
  return output
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l));
}

describe("O2 postgres.js against a wire-protocol TimescaleDB (pglite-socket)", () => {
  let wire: WireServer;
  const pgDir = tempDir("argus-wire-");
  const siteName = "Wire site";
  let cookie = "";

  afterAll(async () => {
    await wire?.stop();
  });

  it("O2/T3: Argus migrates, bootstraps, signs in, reports database 'server' and runs its jobs over the wire", async () => {
    wire = await startWireServer(path.join(pgDir.dir, "pg"));
    const appDir = tempDir("argus-wire-app-");
    const server = await startServerProcess({
      dataDir: appDir.dir,
      env: { DATABASE_URL: wire.url, DATABASE_POOL_MAX: "1", LOG_LEVEL: "debug", DB_JOBS_INTERVAL_SECONDS: "1" },
    });
    try {
      const ready = await fetch(`${server.url}/readyz`);
      expect(await ready.json()).toEqual({ status: "ready", database: "server" });
      cookie = await login(server.url);
      const page = await fetch(`${server.url}/`, { headers: { cookie }, redirect: "manual" });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("login.success");
      const created = await fetch(`${server.url}/api/v1/sites`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json" },
        body: JSON.stringify({ name: siteName }),
      });
      if (created.status !== 404) expect(created.status).toBe(201);
      await new Promise((r) => setTimeout(r, 2500)); // a few scheduled job runs
    } finally {
      expect(await server.stop()).toBe(0);
    }
    const messages = logMessages(server.output());
    expect(messages.find((m) => m.msg === "database ready")?.database).toBe("server");
    expect(messages.find((m) => m.msg === "timescale jobs started")).toMatchObject({ mode: "app" });
    expect(messages.filter((m) => m.msg === "continuous aggregate refreshed").length).toBeGreaterThanOrEqual(4);
    expect(messages.filter((m) => m.level >= 40)).toEqual([]); // no warnings: refresh and retention worked
    expect(messages.map((m) => m.msg)).toContain("stopped");

    // The TimescaleDB objects exist on the server, seen through a separate wire connection.
    const objects = await overTheWire(wire.url, async (sql) => ({
      hypertables: (
        await sql`SELECT hypertable_name FROM timescaledb_information.hypertables WHERE hypertable_schema = 'public' ORDER BY 1`
      ).map((r) => r.hypertable_name),
      caggs: (await sql`SELECT view_name FROM timescaledb_information.continuous_aggregates ORDER BY 1`).map(
        (r) => r.view_name,
      ),
      migrations: (await sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`)[0].n as number,
      logins: (await sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'login.success'`)[0].n as number,
    }));
    expect(objects.hypertables).toContain("audit_events");
    expect(objects.caggs).toEqual(expect.arrayContaining(["audit_activity_1h", "audit_activity_1m"]));
    expect(objects.migrations).toBeGreaterThanOrEqual(2);
    expect(objects.logins).toBe(1);
  });

  it("O2: a restarted Argus on the same server keeps users, sessions and data; migrations are not re-run", async () => {
    const before = await overTheWire(
      wire.url,
      async (sql) => (await sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`)[0].n as number,
    );
    const server = await startServerProcess({
      dataDir: tempDir("argus-wire-app2-").dir,
      env: { DATABASE_URL: wire.url, DATABASE_POOL_MAX: "1" },
    });
    try {
      expect(server.output()).not.toContain("bootstrap admin created");
      expect((await fetch(`${server.url}/`, { headers: { cookie }, redirect: "manual" })).status).toBe(200);
      const sites = await fetch(`${server.url}/api/v1/sites`, { headers: { cookie } });
      if (sites.status === 200) expect(JSON.stringify(await sites.json())).toContain(siteName);
      await login(server.url);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    const after = await overTheWire(wire.url, async (sql) => ({
      migrations: (await sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`)[0].n as number,
      users: (await sql`SELECT count(*)::int AS n FROM users`)[0].n as number,
      logins: (await sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'login.success'`)[0].n as number,
    }));
    expect(after).toEqual({ migrations: before, users: 1, logins: 2 });
  });

  it("O2/T3: after the database server itself restarts on its data dir, Argus reconnects and writes into the hypertable", async () => {
    expect(await wire.stop()).toBe(0);
    wire = await startWireServer(path.join(pgDir.dir, "pg"));
    const server = await startServerProcess({
      dataDir: tempDir("argus-wire-app3-").dir,
      env: { DATABASE_URL: wire.url, DATABASE_POOL_MAX: "1" },
    });
    try {
      expect((await fetch(`${server.url}/`, { headers: { cookie }, redirect: "manual" })).status).toBe(200);
      await login(server.url); // inserts into audit_events (a hypertable) on the reopened server
    } finally {
      expect(await server.stop()).toBe(0);
    }
    const logins = await overTheWire(
      wire.url,
      async (sql) =>
        (await sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'login.success'`)[0].n as number,
    );
    expect(logins).toBe(3);
  });
});

const PG_BIN = "/usr/lib/postgresql/15/bin";
const hasPostgres15 = existsSync(path.join(PG_BIN, "initdb"));

describe.skipIf(!hasPostgres15)("O2 a PostgreSQL server without TimescaleDB (Debian PostgreSQL 15)", () => {
  const base = tempDir("argus-pg15-");
  const dataDir = path.join(base.dir, "cluster");
  const socketDir = path.join(base.dir, "socket");
  let port = 0;
  // initdb and postgres refuse to run as root: run them as the postgres system user then.
  const asUser: { uid?: number; gid?: number } =
    process.getuid?.() === 0
      ? {
          uid: Number(execFileSync("id", ["-u", "postgres"]).toString()),
          gid: Number(execFileSync("id", ["-g", "postgres"]).toString()),
        }
      : {};

  function pg(bin: string, args: string[]): void {
    execFileSync(path.join(PG_BIN, bin), args, { ...asUser, stdio: "pipe", cwd: base.dir, timeout: 60_000 });
  }

  afterAll(() => {
    if (port) pg("pg_ctl", ["stop", "-D", dataDir, "-m", "immediate", "-w"]);
  });

  it("O2: Argus exits 1 within seconds with an error naming timescaledb, and leaves no half-migrated schema", async () => {
    chmodSync(base.dir, 0o755);
    mkdirSync(socketDir);
    if (asUser.uid !== undefined && asUser.gid !== undefined) {
      chownSync(base.dir, asUser.uid, asUser.gid);
      chownSync(socketDir, asUser.uid, asUser.gid);
    }
    pg("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "--no-sync"]);
    port = await freePort();
    pg("pg_ctl", [
      "start",
      "-D",
      dataDir,
      "-w",
      "-l",
      path.join(base.dir, "pg.log"),
      "-o",
      `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    ]);
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;

    const appDir = tempDir("argus-pg15-app-");
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      env: {
        ...process.env,
        DATABASE_URL: url,
        DATA_DIR: appDir.dir,
        PORT: String(await freePort()),
        HOST: "127.0.0.1",
        ADMIN_PASSWORD: "correct-horse-battery-staple",
        LOG_FORMAT: "json",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c) => (output += c));
    child.stderr.on("data", (c) => (output += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    clearTimeout(timer);
    const ms = performance.now() - started;

    expect(code, output).toBe(1); // not a hang (SIGKILL gives null), not a crash loop
    expect(ms).toBeLessThan(20_000);
    const fatal = logMessages(output).find((m) => m.level === 60) as
      { msg: string; err?: { message?: string; cause?: { message?: string } } } | undefined;
    if (process.env.ARGUS_TEST_VERBOSE) console.log(JSON.stringify(fatal, null, 1));
    expect(fatal?.msg).toBe("Argus could not start"); // server.ts: anything but a StartupError keeps its stack
    expect(fatal?.err?.message).toMatch(/does not have the timescaledb extension/);
    expect(output).not.toContain("argus server listening");

    // The migration ran in one transaction: nothing of Argus's schema is left behind.
    const tables = await overTheWire(url, async (sql) =>
      (await sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`).map(
        (r) => r.table_name,
      ),
    );
    expect(tables).toEqual([]);
  });
});
