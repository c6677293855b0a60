// Analytics page load to first chart (issue 11, V1-V3): the real server on an embedded database seeded with sample
// crossings through POST /api/v1/data/generate-vcc (the ingest path), Debian Chromium through Playwright. For each
// dashboard view it times navigation start -> the counts chart's canvas drawn with the totals shown, p50/p95 over
// --runs page loads, and the same for an empty tenant in the same run (the page's own floor: HTML, scripts, hydration),
// so the cost of the data is the difference.
//   npm run bench:analytics-page                         20 cameras x 30 days x 30 crossings/h (~430k)
//   npm run bench:analytics-page -- --cameras=50 --days=30 --rate=56 --runs=10
import { performance } from "node:perf_hooks";
import { chromium, type Browser } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from "../playwright.config";
import { login, makeDataDir, startServerProcess } from "../tests/integration/support/server-process";

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const CAMERAS = arg("cameras", 20);
const DAYS = arg("days", 30);
const RATE = arg("rate", 30);
const RUNS = arg("runs", 8);

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];

async function seed(url: string, cookie: string): Promise<number> {
  const endMs = Math.floor(Date.now() / 60_000) * 60_000;
  let events = 0;
  for (let day = 0; day < DAYS; day++) {
    const res = await fetch(`${url}/api/v1/data/generate-vcc`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({
        cameras: CAMERAS,
        days: 1,
        rate: RATE,
        seed: day + 1,
        end_time: new Date(endMs - day * 86_400_000).toISOString(),
      }),
    });
    const body = (await res.json()) as { events?: number; message?: string };
    if (res.status !== 201) throw new Error(`generate-vcc: HTTP ${res.status} ${body.message}`);
    events += body.events ?? 0;
    process.stderr.write(`seed: day ${day + 1}/${DAYS}, ${events.toLocaleString("en")} crossings\n`);
  }
  return events;
}

/** ms from navigation start until the counts chart has a canvas and the total is on screen. */
async function timeLoad(browser: Browser, baseUrl: string, cookie: string, path: string): Promise<number[]> {
  const [name, value] = cookie.split(";")[0].split("=");
  const context = await browser.newContext({ baseURL: baseUrl, timezoneId: "UTC" });
  await context.addCookies([{ name, value, url: baseUrl }]);
  const page = await context.newPage();
  page.on("request", (request) => {
    if (!request.url().startsWith(baseUrl) && !request.url().startsWith("data:"))
      throw new Error(`outside request: ${request.url()}`);
  });
  const times: number[] = [];
  // One warm-up load (the browser's first compile of the scripts), then the timed ones.
  for (let run = -1; run < RUNS; run++) {
    const started = performance.now();
    await page.goto(path, { waitUntil: "commit" });
    await page.waitForSelector("[data-testid=vcc-counts-chart] canvas, [data-testid=vcc-empty]", { timeout: 60_000 });
    await page.waitForSelector("[data-testid=vcc-total]", { timeout: 60_000 });
    if (run >= 0) times.push(performance.now() - started);
  }
  await context.close();
  return times;
}

async function main() {
  const data = makeDataDir("argus-bench-page-");
  const server = await startServerProcess({ dataDir: data.dir, env: { LOG_LEVEL: "warn" }, timeoutMs: 180_000 });
  const browser = await chromium.launch({ executablePath: CHROMIUM_EXECUTABLE, args: CHROMIUM_ARGS });
  try {
    const cookie = await login(server.url);
    // The empty baseline: a second tenant with no cameras, same user (admins may create tenants).
    const tenant = await fetch(`${server.url}/api/v1/tenants`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ name: "Empty bench tenant" }),
    }).then((r) => r.json() as Promise<{ tenant: { id: string } }>);
    const started = performance.now();
    const events = await seed(server.url, cookie);
    console.log(
      `seeded ${events.toLocaleString("en")} crossings (${CAMERAS} cameras x ${DAYS} days x ${RATE}/h) in ${((performance.now() - started) / 1000).toFixed(0)} s through POST /api/v1/data/generate-vcc`,
    );
    const views = [
      { label: "last 24 h at 15m (default)", path: "/analytics?range=24h&tz=UTC" },
      { label: "last 7 days at 1h", path: "/analytics?range=7d&bucket=1h&tz=UTC" },
      { label: "last 30 days at 1h", path: "/analytics?range=30d&bucket=1h&tz=UTC" },
      { label: "last 30 days at 1d", path: "/analytics?range=30d&bucket=1d&tz=UTC" },
    ];
    // A second session whose active tenant is the empty one.
    const emptyCookie = await login(server.url);
    const switched = await fetch(`${server.url}/tenant/switch`, {
      method: "POST",
      headers: { cookie: emptyCookie },
      body: new URLSearchParams({ tenantId: tenant.tenant.id }),
      redirect: "manual",
    });
    if (switched.status !== 302) throw new Error(`tenant switch: HTTP ${switched.status}`);
    console.log("| view | p50 ms | p95 ms | empty tenant p50 ms | data cost p50 ms |");
    console.log("|---|---|---|---|---|");
    for (const view of views) {
      const seeded = await timeLoad(browser, server.url, cookie, view.path);
      const empty = await timeLoad(browser, server.url, emptyCookie, view.path);
      const p50 = percentile(seeded, 50);
      const e50 = percentile(empty, 50);
      console.log(
        `| ${view.label} | ${Math.round(p50)} | ${Math.round(percentile(seeded, 95))} | ${Math.round(e50)} | ${Math.round(p50 - e50)} |`,
      );
    }
  } finally {
    await browser.close();
    await server.stop();
    data.remove();
  }
}

await main();
