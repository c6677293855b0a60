// Benchmark runner (npm run bench): lists the benchmarks in bench/ with the first line of each one's
// header comment, or runs the one named, passing the remaining arguments through.
//   npm run bench                          list
//   npm run bench -- sfu-capacity --modes=plain
//   node --import tsx bench/run.ts heartbeat --steps=100,500
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const self = path.basename(fileURLToPath(import.meta.url));

function listBenchmarks(): Array<{ name: string; summary: string }> {
  return readdirSync(benchDir)
    .filter((file) => file.endsWith(".ts") && file !== self && !file.endsWith(".test.ts"))
    .sort()
    .map((file) => {
      const firstComment = readFileSync(path.join(benchDir, file), "utf8")
        .split("\n")
        .find((line) => line.startsWith("//"));
      return { name: file.replace(/\.ts$/, ""), summary: firstComment?.replace(/^\/\/\s*/, "") ?? "" };
    });
}

const [name, ...args] = process.argv.slice(2);
const benchmarks = listBenchmarks();
const chosen = benchmarks.find((b) => b.name === name?.replace(/\.ts$/, ""));
if (!chosen) {
  if (name) console.error(`unknown benchmark: ${name}\n`);
  console.log("usage: npm run bench -- <name> [options]   (options: see the header of bench/<name>.ts)\n");
  const width = Math.max(...benchmarks.map((b) => b.name.length));
  for (const b of benchmarks) console.log(`  ${b.name.padEnd(width)}  ${b.summary}`);
  process.exit(name ? 2 : 0);
}

const child = spawn(process.execPath, ["--import", "tsx", path.join(benchDir, `${chosen.name}.ts`), ...args], {
  stdio: "inherit",
});
// Ctrl-C reaches the child through the terminal's process group; only forward a SIGTERM sent to us.
process.on("SIGINT", () => {});
process.on("SIGTERM", () => child.kill("SIGTERM"));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
