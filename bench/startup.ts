// Start-up cost of the server on the embedded database (SPEC O1; PLATFORM.md says 4-7 s with the
// TimescaleDB extension). Measures, 3 runs each:
//   - cold: first start on an empty DATA_DIR (PGlite init + migrations + bootstrap admin),
//   - warm: restart on the existing DATA_DIR,
// as wall time from spawn until /readyz answers 200, plus the server's own "startupMs" log field
// (database open to listening, without Node/tsx boot), and the Remix build time.
// Run: node --import tsx bench/startup.ts   (after nothing else: it builds first)
import { spawnSync } from "node:child_process";
import path from "node:path";
import { makeDataDir, repoRoot, startServerProcess } from "../tests/integration/support/server-process";

const RUNS = 3;

function stats(values: number[]): { median: number; min: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: Math.round(sorted[Math.floor(sorted.length / 2)]), min: Math.round(sorted[0]) };
}

function serverStartupMs(output: string): number {
  for (const line of output.split("\n")) {
    if (!line.startsWith("{")) continue;
    const entry = JSON.parse(line) as { msg?: string; startupMs?: number };
    if (entry.msg === "argus server listening" && typeof entry.startupMs === "number") return entry.startupMs;
  }
  return Number.NaN;
}

async function timedStart(dataDir: string): Promise<{ wall: number; server: number }> {
  const started = performance.now();
  const server = await startServerProcess({ dataDir, timeoutMs: 120_000 });
  const wall = performance.now() - started;
  const result = { wall, server: serverStartupMs(server.output()) };
  const code = await server.stop();
  if (code !== 0) throw new Error(`server exited with ${code}:\n${server.output()}`);
  return result;
}

function report(label: string, runs: Array<{ wall: number; server: number }>): void {
  const wall = stats(runs.map((r) => r.wall));
  const server = stats(runs.map((r) => r.server));
  console.log(
    `${label.padEnd(34)} wall median ${String(wall.median).padStart(5)} ms, min ${String(wall.min).padStart(5)} ms` +
      ` | in-process median ${String(server.median).padStart(5)} ms, min ${String(server.min).padStart(5)} ms`,
  );
}

const buildRuns: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const started = performance.now();
  const build = spawnSync(path.join(repoRoot, "node_modules/.bin/remix"), ["build"], { cwd: repoRoot, stdio: "pipe" });
  if (build.status !== 0) throw new Error(`remix build failed:\n${build.stderr}`);
  buildRuns.push(performance.now() - started);
}

const dirs = Array.from({ length: RUNS }, () => makeDataDir("argus-bench-"));
try {
  const cold = [];
  for (const dir of dirs) cold.push(await timedStart(dir.dir));
  const warm = [];
  for (let i = 0; i < RUNS; i++) warm.push(await timedStart(dirs[0].dir));

  console.log(`Argus start-up, embedded PGlite + TimescaleDB, ${RUNS} runs each (node ${process.version})`);
  const build = stats(buildRuns);
  console.log(`${"remix build".padEnd(34)} median ${build.median} ms, min ${build.min} ms`);
  report("cold start (migrate + bootstrap)", cold);
  report("warm restart (same DATA_DIR)", warm);
} finally {
  for (const dir of dirs) dir.remove();
}
