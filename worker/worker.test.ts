import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff";
import { CameraRunner, type CameraUnitFactory } from "./cameras";
import { CommandExecutor } from "./commands";
import { loadWorkerConfig } from "./config";
import { resolveIdentity } from "./identity";

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), "argus-worker-"));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("worker identity (W2)", () => {
  it("prefers an explicit id, then persists one per slot; concurrent workers never share an id", () => {
    const dir = tempDir();
    expect(resolveIdentity({ explicitId: "w-1", stateDir: dir }).id).toBe("w-1");
    expect(() => resolveIdentity({ explicitId: "bad id!", stateDir: dir })).toThrow(/Invalid worker id/);
    const first = resolveIdentity({ stateDir: dir, pid: process.pid });
    // A second live process (our parent's pid is alive) gets another slot and id.
    const second = resolveIdentity({ stateDir: dir, pid: process.ppid });
    expect(first.id).not.toBe(second.id);
    expect([first.slot, second.slot]).toEqual([0, 1]);
    first.release();
    const again = resolveIdentity({ stateDir: dir, pid: process.pid });
    expect(again).toMatchObject({ id: first.id, source: "persisted", slot: 0 });
  });

  it("takes over a lock left by a dead process (restart after SIGKILL keeps the id)", () => {
    const dir = tempDir();
    const first = resolveIdentity({ stateDir: dir, pid: process.pid });
    writeFileSync(path.join(dir, "slot-0", "lock"), "999999");
    expect(resolveIdentity({ stateDir: dir, pid: process.pid }).id).toBe(first.id);
  });

  it("orders flags > env > .env", () => {
    const dir = tempDir();
    const envFile = path.join(dir, ".env");
    writeFileSync(envFile, "WORKER_ID=from-dotenv\nWORKER_TOKEN=dotenv-token-123\n");
    const base = ["--dotenv", envFile, "--server", "http://x:1"];
    expect(loadWorkerConfig(base, {})).toMatchObject({
      idSource: "dotenv",
      config: { id: "from-dotenv", token: "dotenv-token-123" },
    });
    expect(loadWorkerConfig(base, { WORKER_ID: "from-env" })).toMatchObject({
      idSource: "env",
      config: { id: "from-env" },
    });
    expect(loadWorkerConfig([...base, "--id", "from-flag"], { WORKER_ID: "from-env" })).toMatchObject({
      idSource: "flag",
      config: { id: "from-flag" },
    });
    expect(() => loadWorkerConfig(["--dotenv", "none"], {})).toThrow(/token/);
    expect(() => loadWorkerConfig(["--bogus"], {})).toThrow(/Usage/);
  });
});

describe("reconnect backoff (W3)", () => {
  it("grows exponentially with jitter up to the cap", () => {
    const o = { baseMs: 250, maxMs: 15_000 };
    expect(backoffDelay(0, o, () => 0)).toBe(125);
    expect(backoffDelay(0, o, () => 1)).toBe(250);
    expect(backoffDelay(3, o, () => 1)).toBe(2000);
    expect(backoffDelay(50, o, () => 1)).toBe(15_000);
    expect(backoffDelay(50, o, () => 0)).toBe(7_500);
  });
});

/** A fake of one module's collaborator: a camera that accepts the assignment and never produces frames. */
const createIdleCamera: CameraUnitFactory = (assignment) => {
  let stopped = false;
  return {
    cameraId: assignment.cameraId,
    start: async () => undefined,
    close: async () => void (stopped = true),
    health: () => ({ state: stopped ? "stopped" : "starting", fps: 0, latencyMs: null }),
    update: () => undefined,
    setAnalysis: () => undefined,
    setProcessing: () => undefined,
    restart: () => undefined,
  };
};

describe("commands (W6, W9)", () => {
  it("applies each command id once, respects capacity, and syncs to the register reply", async () => {
    const cameras = new CameraRunner(1, createIdleCamera);
    let maintenance = false;
    const exec = new CommandExecutor({
      cameras,
      setMaintenance: (on) => (maintenance = on),
      requestShutdown: () => undefined,
    });
    const a = { cameraId: randomUUID(), assignmentId: randomUUID(), analysisFps: 5 };
    const b = { cameraId: randomUUID(), assignmentId: randomUUID(), analysisFps: 5 };
    const cmd = { commandId: randomUUID(), type: "ASSIGN_CAMERA" as const, payload: a };
    expect(await exec.execute(cmd)).toMatchObject({ ok: true, duplicate: false });
    expect(await exec.execute(cmd)).toMatchObject({ ok: true, duplicate: true });
    expect(await exec.execute({ commandId: randomUUID(), type: "ASSIGN_CAMERA", payload: b })).toMatchObject({
      ok: false,
      error: "At capacity (1/1)",
    });
    expect(cameras.health()).toEqual([{ cameraId: a.cameraId, state: "starting", fps: 0, latencyMs: null }]);
    await exec.execute({ commandId: randomUUID(), type: "SET_MAINTENANCE", payload: { on: true } });
    expect(maintenance).toBe(true);
    await cameras.sync([b]);
    expect(cameras.health().map((h) => h.cameraId)).toEqual([b.cameraId]);
    expect(
      await exec.execute({ commandId: randomUUID(), type: "RELEASE_CAMERA", payload: { cameraId: a.cameraId } }),
    ).toMatchObject({ ok: true });
  });
});
