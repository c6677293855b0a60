// O1: bad configuration fails fast, non-zero, naming every bad field (and nothing else starts).
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { makeDataDir, repoRoot } from "./support/server-process";

async function runServer(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const dataDir = makeDataDir("argus-config-");
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: repoRoot,
    env: {
      NODE_ENV: "production",
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      DATA_DIR: dataDir.dir,
      HOST: "127.0.0.1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => (stdout += c));
  child.stderr.on("data", (c) => (stderr += c));
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearTimeout(timer);
  dataDir.remove();
  return { code, stdout, stderr, ms: performance.now() - started };
}

describe("O1 configuration fails fast", () => {
  it("O1: PORT=abc and DATABASE_URL=mysql://x exit 1 quickly, naming both fields", async () => {
    const result = await runServer({ PORT: "abc", DATABASE_URL: "mysql://x" });
    expect(result.code).toBe(1);
    expect(result.ms).toBeLessThan(15_000);
    expect(result.stderr).toContain("Invalid configuration");
    expect(result.stderr).toMatch(/PORT:/);
    expect(result.stderr).toMatch(/DATABASE_URL:.*postgres/);
    expect(result.stderr).toContain(".env.example");
    expect(result.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(result.stdout).not.toContain("listening");
  });

  it("O1: a short ADMIN_PASSWORD, an unknown METRICS mode and METRICS=token without a token are named", async () => {
    const bad = await runServer({ ADMIN_PASSWORD: "short", METRICS: "public", LOG_LEVEL: "loud" });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/ADMIN_PASSWORD: must be at least 12 characters/);
    expect(bad.stderr).toMatch(/METRICS:/);
    expect(bad.stderr).toMatch(/LOG_LEVEL:/);
    expect(bad.stderr).not.toContain("short"); // the rejected secret itself is not echoed

    const token = await runServer({ METRICS: "token" });
    expect(token.code).toBe(1);
    expect(token.stderr).toContain("METRICS_TOKEN: required when METRICS=token");
  });
});
