// Sample line-crossing traffic for the VCC dashboard (issue 11 §7), with a progress bar on stderr:
//   npm run seed:vcc -- --cameras 10 --days 30 --rate 60                       the embedded database under DATA_DIR
//   npm run seed:vcc -- --cameras 10 --days 30 --rate 60 --url http://localhost:3000   a running server (HTTP)
// Options: --cameras N (5; the tenant's first N cameras by name, "Sample camera N" created when there are fewer),
// --days D (7), --rate R (mean crossings per camera per hour, 60), --tz ZONE (daily rhythm, UTC), --seed S,
// --tenant SLUG (first tenant), --data-dir DIR (DATA_DIR or ./data).
// Two modes, one ingestion path (ingestEventBatch, app/models/vcc/generate.server.ts):
// - --url: a running server generates it, one day per POST /api/v1/data/generate-vcc; sign in with --email and
//   --password (ADMIN_EMAIL / ADMIN_PASSWORD) or send an admin's API key (--api-key or ARGUS_API_KEY).
// - no --url: opens the database directly. The embedded PGlite data dir belongs to ONE process: stop the server
//   first (this script refuses when a server answers on PORT, but cannot see one on another port). With
//   DATABASE_URL (a TimescaleDB server) direct mode is safe beside a running Argus.
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { openDatabase } from "../db/client";
import { ensureSampleCameras, generateVccTraffic } from "../app/models/vcc/generate.server";

const { values } = parseArgs({
  options: {
    cameras: { type: "string", default: "5" },
    days: { type: "string", default: "7" },
    rate: { type: "string", default: "60" },
    tz: { type: "string", default: "UTC" },
    seed: { type: "string" },
    tenant: { type: "string" },
    url: { type: "string" },
    email: { type: "string", default: process.env.ADMIN_EMAIL },
    password: { type: "string", default: process.env.ADMIN_PASSWORD },
    "api-key": { type: "string", default: process.env.ARGUS_API_KEY },
    "data-dir": { type: "string", default: process.env.DATA_DIR ?? "./data" },
  },
});
const cameras = Number(values.cameras);
const days = Number(values.days);
const rate = Number(values.rate);
const seed = values.seed ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
if (!(cameras >= 1 && days > 0 && rate > 0)) {
  console.error("Usage: npm run seed:vcc -- --cameras N --days D --rate R [--url URL] (see scripts/seed-vcc.ts)");
  process.exit(2);
}

function bar(done: number, total: number, events: number, startedMs: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const seconds = (Date.now() - startedMs) / 1000;
  process.stderr.write(
    `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${Math.round((done / total) * 100)}% ` +
      `${events.toLocaleString("en")} crossings, ${Math.round(events / Math.max(seconds, 0.001)).toLocaleString("en")}/s   `,
  );
}

async function viaServer(url: string): Promise<void> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (values["api-key"]) headers.authorization = `Bearer ${values["api-key"]}`;
  else {
    if (!values.email || !values.password) throw new Error("Give --email and --password, or --api-key");
    const res = await fetch(`${url}/login`, {
      method: "POST",
      body: new URLSearchParams({ email: values.email, password: values.password, redirectTo: "/" }),
      redirect: "manual",
    });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("argus_session="));
    if (!cookie) throw new Error(`Sign-in failed (HTTP ${res.status})`);
    headers.cookie = cookie.split(";")[0];
  }
  const endMs = Math.floor(Date.now() / 1000) * 1000;
  const chunks = Math.ceil(days);
  const started = Date.now();
  let events = 0;
  for (let i = 0; i < chunks; i++) {
    const chunkDays = Math.min(1, days - i);
    const res = await fetch(`${url}/api/v1/data/generate-vcc`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        cameras,
        days: Math.max(chunkDays, 0.05),
        rate,
        tz: values.tz,
        seed: seed + i,
        end_time: new Date(endMs - i * 86_400_000).toISOString(),
      }),
    });
    const body = (await res.json()) as { events?: number; message?: string };
    if (res.status !== 201) throw new Error(`HTTP ${res.status}: ${body.message ?? JSON.stringify(body)}`);
    events += body.events ?? 0;
    bar(i + 1, chunks, events, started);
  }
  process.stderr.write("\n");
  console.log(`Generated ${events.toLocaleString("en")} crossings for ${cameras} cameras over ${days} days`);
}

async function direct(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  if (!databaseUrl) {
    const port = process.env.PORT ?? "3000";
    const alive = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(1_000) })
      .then((r) => r.ok)
      .catch(() => false);
    if (alive)
      throw new Error(
        `A server answers on port ${port}: the embedded database belongs to it. Use --url http://127.0.0.1:${port}`,
      );
  }
  const handle = await openDatabase({ dataDir: values["data-dir"]!, databaseUrl });
  try {
    await handle.migrate();
    const [tenant] = await handle.query<{ id: string; name: string }>(
      values.tenant
        ? sql`SELECT id, name FROM tenants WHERE slug = ${values.tenant}`
        : sql`SELECT id, name FROM tenants ORDER BY created_at LIMIT 1`,
    );
    if (!tenant) throw new Error("No tenant: start the server once (it creates the first one) or give --tenant");
    const cameraIds = await ensureSampleCameras(handle.db, tenant.id, cameras);
    const started = Date.now();
    const result = await generateVccTraffic(handle.db, tenant.id, {
      cameraIds,
      days,
      ratePerHour: rate,
      tz: values.tz,
      seed,
      batchSize: 10_000,
      onProgress: ({ hoursDone, hours, events }) => bar(hoursDone, hours, events, started),
    });
    process.stderr.write("\n");
    console.log(
      `Generated ${result.events.toLocaleString("en")} crossings for ${result.cameras} cameras of "${tenant.name}" (${result.from} to ${result.to}) in ${(result.ms / 1000).toFixed(1)} s, aggregates refreshed`,
    );
  } finally {
    await handle.close();
  }
}

(values.url ? viaServer(values.url.replace(/\/$/, "")) : direct()).catch((error: unknown) => {
  process.stderr.write("\n");
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
