// Starts the real server (server.ts under tsx, against the real Remix build) as a child process on
// a free port and a temporary DATA_DIR. Integration tests talk to it over HTTP and socket.io only.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freeTcpPort } from "../../support/processes";

export const repoRoot = path.resolve(import.meta.dirname, "../../..");
export const ADMIN_EMAIL = "admin@argus.test";
export const ADMIN_PASSWORD = "correct-horse-battery-staple";

export interface ServerProcess {
  url: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (a crash). */
  kill(): Promise<void>;
}

export function makeDataDir(prefix = "argus-it-"): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A free TCP port (kept under this name for the tests that import it from here). */
export { freeTcpPort as freePort } from "../../support/processes";

export async function startServerProcess(options: {
  dataDir: string;
  env?: Record<string, string>;
  port?: number;
  timeoutMs?: number;
}): Promise<ServerProcess> {
  const port = options.port ?? (await freeTcpPort());
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: options.dataDir,
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      LOG_LEVEL: "info",
      LOG_FORMAT: "json",
      DATABASE_URL: "",
      // Only the fleet tests that exercise it start the local worker process (they pass LOCAL_WORKER=true).
      LOCAL_WORKER: "false",
      // Likewise the demo camera (its ffmpeg would run in every test server): tests/integration/demo-camera.test.ts.
      DEMO_CAMERA: "false",
      // And the productivity sample factory: tests/integration/productivity-documented-api.test.ts turns it on.
      PRODUCTIVITY_SAMPLE_DATA: "false",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const proc: ServerProcess = {
    url,
    port,
    dataDir: options.dataDir,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      return exited;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGKILL");
      await exited;
    },
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`server exited with ${child.exitCode} before it was ready:\n${output}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return proc;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await proc.kill();
  throw new Error(`server not ready within ${options.timeoutMs ?? 60_000} ms:\n${output}`);
}

/** Signs in through the real /login form and returns the session cookie ("argus_session=..."). */
export async function login(url: string, email = ADMIN_EMAIL, password = ADMIN_PASSWORD): Promise<string> {
  const res = await fetch(`${url}/login`, {
    method: "POST",
    body: new URLSearchParams({ email, password, redirectTo: "/" }),
    redirect: "manual",
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("argus_session="));
  if (res.status !== 302 || !cookie) throw new Error(`login failed for ${email}: HTTP ${res.status}`);
  return cookie.split(";")[0];
}

export interface WireServer {
  port: number;
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<number | null>;
}

/**
 * Starts tests/integration/support/pglite-wire-server.ts: PGlite + TimescaleDB on `dataDir`, served
 * over the PostgreSQL wire protocol, so the postgres.js path runs against a real socket.
 * It serves one connection at a time: point Argus at it with DATABASE_POOL_MAX=1.
 */
export async function startWireServer(dataDir: string, timeoutMs = 60_000): Promise<WireServer> {
  let output = "";
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(repoRoot, "tests/integration/support/pglite-wire-server.ts"), dataDir, "0"],
    {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /listening (\d+)/.exec(output);
    if (match) {
      const port = Number(match[1]);
      return {
        port,
        url: `postgres://postgres@127.0.0.1:${port}/postgres`,
        child,
        output: () => output,
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
          child.kill("SIGTERM");
          return exited;
        },
      };
    }
    if (child.exitCode !== null) throw new Error(`wire server exited with ${child.exitCode}:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`wire server not listening within ${timeoutMs} ms:\n${output}`);
}
