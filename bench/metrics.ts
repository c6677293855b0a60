// Dashboard metrics latency (SPEC P2/P3) over 30 days x 50 workers of generated events, against a
// real server process on the embedded database. Prints the generation time (set-based SQL + the
// aggregate refresh), then median/p95 of GET /api/v1/metrics/dashboard over several ranges.
//   node --import tsx bench/metrics.ts [--days=30] [--workers=50] [--runs=15]
import { login, makeDataDir, startServerProcess } from "../tests/integration/support/server-process";

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const DAYS = arg("days", 30);
const WORKERS = arg("workers", 50);
const RUNS = arg("runs", 15);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const data = makeDataDir("argus-bench-metrics-");
  const server = await startServerProcess({
    dataDir: data.dir,
    timeoutMs: 120_000,
    env: { LOG_LEVEL: "warn", LOCAL_WORKER: "false" },
  });
  try {
    const cookie = await login(server.url);
    const call = async (path: string, body?: unknown) => {
      const res = await fetch(server.url + path, {
        method: body === undefined ? "GET" : "POST",
        headers: { cookie, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
      return res.json() as Promise<Record<string, unknown>>;
    };
    await call("/api/v1/data/seed", { workers: WORKERS, workstations: Math.max(1, Math.round(WORKERS / 5)) });
    let t0 = performance.now();
    const generated = await call("/api/v1/data/generate-events", { days: DAYS });
    const generateMs = performance.now() - t0;
    console.log(`metrics bench (embedded PGlite + TimescaleDB), ${WORKERS} workers, ${DAYS} days`);
    console.log(
      `  generated ${Number(generated.events).toLocaleString("en-US")} events in ${(generateMs / 1000).toFixed(1)} s (server-side ${(Number(generated.ms) / 1000).toFixed(1)} s incl. aggregate refresh)`,
    );
    t0 = performance.now();
    await call("/api/v1/data/refresh-aggregates", {});
    console.log(`  full aggregate refresh (nothing invalidated): ${Math.round(performance.now() - t0)} ms`);

    const now = Date.now();
    const ranges: Array<[string, string]> = [
      ["8 hours", `start_time=${new Date(now - 8 * 3600_000).toISOString()}&end_time=${new Date(now).toISOString()}`],
      ["24 hours", `start_time=${new Date(now - 24 * 3600_000).toISOString()}&end_time=${new Date(now).toISOString()}`],
      ["7 days", `start_time=${new Date(now - 7 * 86400_000).toISOString()}&end_time=${new Date(now).toISOString()}`],
      ["30 days", `start_time=${new Date(now - 30 * 86400_000).toISOString()}&end_time=${new Date(now).toISOString()}`],
      ["all time", ""],
      [
        "30 days, one worker",
        `start_time=${new Date(now - 30 * 86400_000).toISOString()}&end_time=${new Date(now).toISOString()}&worker_id=W7`,
      ],
    ];
    for (const [label, query] of ranges) {
      const path = `/api/v1/metrics/dashboard?${query.replace(/\+/g, "%2B")}`;
      await call(path); // warm-up
      const times: number[] = [];
      let events = 0;
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        const body = await call(path);
        times.push(performance.now() - started);
        events = Number((body.factory as { event_count: number }).event_count);
      }
      console.log(
        `  dashboard ${label.padEnd(20)} median ${Math.round(percentile(times, 50)).toString().padStart(5)} ms   p95 ${Math.round(percentile(times, 95)).toString().padStart(5)} ms   (${events.toLocaleString("en-US")} events in range)`,
      );
    }
  } finally {
    await server.stop();
    data.remove();
  }
}

await main();
