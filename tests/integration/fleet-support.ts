// Helpers for the fleet integration tests: real worker processes (worker/main.ts) and a small JSON client.
import { spawn, type ChildProcess } from "node:child_process";
import { repoRoot } from "./support/server-process";

/** REST answers are checked field by field in the tests; docs/workers.md has their exact shapes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
  kill(): Promise<void>;
}

export function startWorker(options: {
  server: string;
  credential: string;
  stateDir: string;
  id?: string;
  name?: string;
  capacity?: number;
  heartbeatMs?: number;
  env?: Record<string, string>;
}): WorkerProcess {
  const args = [
    "--import",
    "tsx",
    "worker/main.ts",
    "--server",
    options.server,
    "--state-dir",
    options.stateDir,
    "--dotenv",
    "none",
  ];
  if (options.id) args.push("--id", options.id);
  if (options.name) args.push("--name", options.name);
  args.push("--capacity", String(options.capacity ?? 2), "--heartbeat-ms", String(options.heartbeatMs ?? 300));
  let output = "";
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: {
      ...process.env,
      WORKER_TOKEN: options.credential,
      WORKER_ID: "",
      WORKER_RECONNECT_MAX_MS: "1000",
      LOG_LEVEL: "info",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (c) => (output += c));
  child.stderr!.on("data", (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
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
}

export class Client {
  constructor(
    readonly url: string,
    private readonly cookie: string,
  ) {}

  async call<T = Json>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(this.url + path, {
      method,
      headers: { cookie: this.cookie, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async issueCredential(name: string): Promise<{ id: string; credential: string }> {
    const res = await this.call("POST", "/api/v1/workers/credentials", { name });
    if (res.status !== 201) throw new Error(`issue credential: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async workers(): Promise<Json[]> {
    return (await this.call("GET", "/api/v1/workers")).body.workers;
  }

  async cameras(): Promise<Json[]> {
    return (await this.call("GET", "/api/v1/cameras")).body.cameras;
  }
}

export async function waitUntil<T>(
  label: string,
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 15_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value) return value as T;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out waiting for ${label}${last ? `: ${String(last)}` : ""}`);
}

/** cameraId -> workerId of its active assignment. */
export function activePlacements(cameras: Json[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const c of cameras)
    if (c.placement?.assignment?.state === "active") map.set(c.id, c.placement.assignment.workerId);
  return map;
}
