// IP cameras on the real server (SPEC C1, U4): an RTSP camera (a real RTSP server with basic auth,
// tests/support/rtsp-source.ts) is ingested by the server into the SFU: its REST status turns live and a viewer
// on /sfu sees it live. A wrong password turns it "error" with ffmpeg's reason, never the password; disabling
// and deleting stop the ffmpeg child; bad RTSP URLs are refused with 400.
import { execFileSync } from "node:child_process";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRtspSource, type RtspSource } from "../support/rtsp-source";
import type { Json } from "./fleet-support";
import { login, makeDataDir, startServerProcess, type ServerProcess } from "./support/server-process";

const PASSWORD = "rtsp-secret-pw";
let server: ServerProcess;
let source: RtspSource;
let admin: string;
const dataDir = makeDataDir("argus-rtsp-");
const sockets: Socket[] = [];

interface LiveState {
  status: "live" | "offline" | "error";
  error: string | null;
}

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { cookie: admin, "content-type": "application/json", origin: server.url },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

/** The camera's live status and error (its `at` timestamp is checked once, then left out of comparisons). */
async function liveState(cameraId: string): Promise<LiveState> {
  const res = await api("GET", `/api/v1/cameras/${cameraId}`);
  expect(res.status).toBe(200);
  const { status, error, at } = res.json.camera.live as LiveState & { at: number };
  expect(Math.abs(Date.now() - at)).toBeLessThan(60_000);
  return { status, error };
}

async function waitForLive(cameraId: string, status: LiveState["status"], timeoutMs: number): Promise<LiveState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await liveState(cameraId);
    if (state.status === status) return state;
    if (Date.now() > deadline) throw new Error(`camera ${cameraId} is ${JSON.stringify(state)}, not ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** ffmpeg processes whose parent is the server. */
function serverFfmpegPids(): number[] {
  let out = "";
  try {
    out = execFileSync("ps", ["--ppid", String(server.child.pid), "-o", "pid=,comm="], { encoding: "utf8" });
  } catch {
    return []; // ps exits 1 when there are none
  }
  return out
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter(([, comm]) => comm === "ffmpeg")
    .map(([pid]) => Number(pid));
}

function watch(cameraId: string): Promise<Socket> {
  const socket = io(`${server.url}/sfu`, {
    transports: ["websocket"],
    extraHeaders: { cookie: admin },
    auth: { cameraId, mode: "watch" },
    reconnection: false,
    timeout: 5000,
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

beforeAll(async () => {
  source = await startRtspSource({ seconds: 4, auth: { user: "cam", password: PASSWORD } });
  server = await startServerProcess({ dataDir: dataDir.dir, env: { SFU_WORKERS: "1", AUTO_ASSIGN_CAMERAS: "false" } });
  admin = await login(server.url);
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server?.stop();
  await source?.stop();
  dataDir.remove();
});

describe("RTSP cameras (C1)", () => {
  let cameraId: string;

  it("ingests an RTSP camera: live over REST and for a viewer on /sfu", async () => {
    const created = await api("POST", "/api/v1/cameras", { name: "Gate", kind: "rtsp", rtspUrl: source.url });
    expect(created.status).toBe(201);
    cameraId = created.json.camera.id;
    const started = Date.now();
    await waitForLive(cameraId, "live", 60_000);
    console.info(`rtsp camera live ${Date.now() - started} ms after it was created`);
    expect(serverFfmpegPids()).toHaveLength(1);

    const socket = await watch(cameraId);
    const caps = (await socket.timeout(5000).emitWithAck("request", { method: "getRouterRtpCapabilities" })) as {
      ok: boolean;
      data: { status: string };
    };
    expect(caps).toMatchObject({ ok: true, data: { status: "live" } });
    const list = await api("GET", "/api/v1/cameras");
    expect(list.json.cameras.find((c: { id: string }) => c.id === cameraId).live.status).toBe("live");
  });

  it("a wrong password turns the camera error with ffmpeg's reason, redacted; the right one brings it back", async () => {
    const wrong = source.url.replace(PASSWORD, "wrong-password-42");
    expect((await api("PATCH", `/api/v1/cameras/${cameraId}`, { rtspUrl: wrong })).status).toBe(200);
    const failing = await waitForLive(cameraId, "error", 30_000);
    expect(failing.error).toMatch(/401|unauthori[sz]ed/i);
    expect(failing.error).not.toContain("wrong-password-42");
    expect((await api("PATCH", `/api/v1/cameras/${cameraId}`, { rtspUrl: source.url })).status).toBe(200);
    await waitForLive(cameraId, "live", 60_000);
    expect(server.output()).not.toContain("wrong-password-42");
    expect(server.output()).not.toContain(PASSWORD);
  });

  it("disabling and deleting stop the ingest and its ffmpeg", async () => {
    const pids = serverFfmpegPids();
    expect(pids).toHaveLength(1);
    expect((await api("PATCH", `/api/v1/cameras/${cameraId}`, { enabled: false })).status).toBe(200);
    expect(await liveState(cameraId)).toEqual({ status: "offline", error: null });
    expect(serverFfmpegPids()).toEqual([]);
    expect((await api("PATCH", `/api/v1/cameras/${cameraId}`, { enabled: true })).status).toBe(200);
    await waitForLive(cameraId, "live", 60_000);
    expect((await api("DELETE", `/api/v1/cameras/${cameraId}`)).status).toBe(204);
    expect(serverFfmpegPids()).toEqual([]);
  });

  it("refuses bad RTSP URLs with 400 (U4)", async () => {
    const bad = [
      { name: "No URL", kind: "rtsp" },
      { name: "HTTP", kind: "rtsp", rtspUrl: "http://127.0.0.1/stream" },
      { name: "Spaces", kind: "rtsp", rtspUrl: "rtsp://camera local/stream" },
      { name: "Long", kind: "rtsp", rtspUrl: `rtsp://127.0.0.1/${"a".repeat(2100)}` },
      { name: "Number", kind: "rtsp", rtspUrl: 554 },
    ];
    for (const body of bad) expect((await api("POST", "/api/v1/cameras", body)).status, body.name).toBe(400);
    const camera = await api("POST", "/api/v1/cameras", {
      name: "Yard",
      kind: "rtsp",
      rtspUrl: "rtsp://127.0.0.1:9/y",
    });
    expect(camera.status).toBe(201);
    const patched = await api("PATCH", `/api/v1/cameras/${camera.json.camera.id}`, { rtspUrl: "ftp://x/y" });
    expect(patched.status).toBe(400);
    expect(server.child.exitCode).toBeNull();
  });
});
