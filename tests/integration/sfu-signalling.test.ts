// SFU signalling on the real server (SPEC C2, C3, U1, U2, U4): the /sfu namespace admits a socket only with a
// session of a member of the camera's tenant (viewer+ to watch, operator+ to publish, browser cameras only), and
// answers malformed requests with error acks without crashing or dropping the socket.
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, makeDataDir, startServerProcess, type ServerProcess } from "./support/server-process";

let server: ServerProcess;
const dataDir = makeDataDir("argus-sfu-");
const sockets: Socket[] = [];
let admin: string;
let browserCamera: string;
let rtspCamera: string;
let otherTenantCamera: string;
let viewerCookie: string;
let outsiderCookie: string;

async function api<T>(method: string, path: string, body: unknown, cookie: string, tenantId?: string): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      cookie,
      "content-type": "application/json",
      origin: server.url,
      ...(tenantId ? { "x-argus-tenant": tenantId } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

function connect(auth: unknown, cookie?: string): Socket {
  const socket = io(`${server.url}/sfu`, {
    transports: ["websocket"],
    extraHeaders: cookie ? { cookie } : {},
    auth: auth as Record<string, unknown>,
    reconnection: false,
    timeout: 5000,
  });
  sockets.push(socket);
  return socket;
}

function outcome(socket: Socket): Promise<"connected" | string> {
  return new Promise((resolve) => {
    socket.once("connect", () => resolve("connected"));
    socket.once("connect_error", (error) => resolve(error.message));
  });
}

beforeAll(async () => {
  server = await startServerProcess({ dataDir: dataDir.dir, env: { SFU_WORKERS: "1", AUTO_ASSIGN_CAMERAS: "false" } });
  admin = await login(server.url);
  browserCamera = (
    await api<{ camera: { id: string } }>("POST", "/api/v1/cameras", { name: "Web", kind: "browser" }, admin)
  ).camera.id;
  rtspCamera = (
    await api<{ camera: { id: string } }>(
      "POST",
      "/api/v1/cameras",
      { name: "Gate", kind: "rtsp", rtspUrl: "rtsp://cam:s3cret-pass@127.0.0.1:9/gate" },
      admin,
    )
  ).camera.id;
  const { tenant } = await api<{ tenant: { id: string } }>("POST", "/api/v1/tenants", { name: "Other plant" }, admin);
  otherTenantCamera = (
    await api<{ camera: { id: string } }>(
      "POST",
      "/api/v1/cameras",
      { name: "Other", kind: "browser" },
      admin,
      tenant.id,
    )
  ).camera.id;
  await api(
    "POST",
    "/api/v1/members",
    { email: "viewer@argus.test", name: "Viewer", password: "viewer-password-123", role: "viewer" },
    admin,
  );
  await api(
    "POST",
    "/api/v1/members",
    { email: "outsider@argus.test", name: "Outsider", password: "outsider-password-123", role: "operator" },
    admin,
    tenant.id,
  );
  viewerCookie = await login(server.url, "viewer@argus.test", "viewer-password-123");
  outsiderCookie = await login(server.url, "outsider@argus.test", "outsider-password-123");
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server?.stop();
  dataDir.remove();
});

describe("/sfu admission (U1, U2)", () => {
  it("refuses sockets without a session, with a bad handshake, or for another tenant's camera", async () => {
    expect(await outcome(connect({ cameraId: browserCamera, mode: "watch" }))).not.toBe("connected");
    expect(await outcome(connect({ cameraId: "nope", mode: "watch" }, admin))).toBe("bad handshake");
    expect(await outcome(connect({ cameraId: browserCamera, mode: "dance" }, admin))).toBe("bad handshake");
    expect(await outcome(connect(null, admin))).toBe("bad handshake");
    expect(await outcome(connect({ cameraId: browserCamera, mode: "watch" }, outsiderCookie))).toBe("unknown camera");
    expect(await outcome(connect({ cameraId: browserCamera, mode: "publish" }, outsiderCookie))).toBe("unknown camera");
    // The outsider may use its own tenant's camera.
    expect(await outcome(connect({ cameraId: otherTenantCamera, mode: "publish" }, outsiderCookie))).toBe("connected");
    expect(
      await outcome(connect({ cameraId: browserCamera, mode: "publish", publishToken: "apt_not-a-real-token-at-all" })),
    ).toBe("invalid publish token");
  });

  it("shows an RTSP camera's credentials to operators only (C1, U1)", async () => {
    const get = async (cookie: string) => {
      const res = await fetch(`${server.url}/api/v1/cameras/${rtspCamera}`, { headers: { cookie } });
      expect(res.status).toBe(200);
      return (await res.json()) as { camera: { rtspUrl: string } };
    };
    expect((await get(admin)).camera.rtspUrl).toBe("rtsp://cam:s3cret-pass@127.0.0.1:9/gate");
    const seen = await get(viewerCookie);
    expect(seen.camera.rtspUrl).toContain("127.0.0.1:9/gate");
    expect(JSON.stringify(seen)).not.toContain("s3cret-pass");
    const list = await fetch(`${server.url}/api/v1/cameras`, { headers: { cookie: viewerCookie } });
    expect(await list.text()).not.toContain("s3cret-pass");
  });

  it("viewers watch but do not publish; RTSP cameras are not published from a browser", async () => {
    expect(await outcome(connect({ cameraId: browserCamera, mode: "watch" }, viewerCookie))).toBe("connected");
    expect(await outcome(connect({ cameraId: browserCamera, mode: "publish" }, viewerCookie))).toMatch(/operator/);
    expect(await outcome(connect({ cameraId: rtspCamera, mode: "publish" }, admin))).toMatch(/browser cameras/);
    expect(await outcome(connect({ cameraId: rtspCamera, mode: "watch" }, admin))).toBe("connected");
  });
});

describe("/sfu and camera state (C1)", () => {
  it("a disabled camera cannot be published; disabling it drops its publisher", async () => {
    const { camera } = await api<{ camera: { id: string } }>(
      "POST",
      "/api/v1/cameras",
      { name: "Switchable", kind: "browser" },
      admin,
    );
    const publisher = connect({ cameraId: camera.id, mode: "publish" }, admin);
    expect(await outcome(publisher)).toBe("connected");
    const dropped = new Promise<void>((resolve) => publisher.once("disconnect", () => resolve()));
    await api("PATCH", `/api/v1/cameras/${camera.id}`, { enabled: false }, admin);
    await dropped;
    expect(await outcome(connect({ cameraId: camera.id, mode: "publish" }, admin))).toBe("this camera is disabled");
  });
});

describe("/sfu requests (U4)", () => {
  it("answers thousands of malformed requests with error acks and keeps working", async () => {
    const socket = connect({ cameraId: browserCamera, mode: "watch" }, admin);
    expect(await outcome(socket)).toBe("connected");
    const garbage: unknown[] = [
      null,
      0,
      "x".repeat(10_000),
      [],
      { method: "getRouterRtpCapabilities", extra: { deep: [1, 2, 3] } },
      { method: "createTransport" },
      { method: "createTransport", direction: "send" }, // a watcher cannot send
      { method: "connectTransport", transportId: "x", dtlsParameters: {} },
      { method: "connectTransport", transportId: "", dtlsParameters: 5 },
      { method: "produce", transportId: "x", kind: "audio", rtpParameters: {} },
      { method: "consume", transportId: "x".repeat(1000), rtpCapabilities: {} },
      { method: "resumeConsumer", consumerId: 42 },
      { method: "closeTransport", transportId: "unknown" },
      { method: "__proto__" },
    ];
    const requests = Array.from({ length: 2000 }, (_, i) => garbage[i % garbage.length]);
    const acks = await Promise.all(
      requests.map(
        (payload) =>
          socket.timeout(20_000).emitWithAck("request", payload) as Promise<{ ok: boolean; error?: unknown }>,
      ),
    );
    // Only getRouterRtpCapabilities with an unknown extra key is fine (zod strips it); everything else is refused.
    const okCount = acks.filter((a) => a.ok).length;
    expect(okCount).toBe(requests.filter((_, i) => i % garbage.length === 4).length);
    expect(acks.filter((a) => !a.ok).every((a) => typeof a.error === "object")).toBe(true);
    // Events without an ack callback and unknown events are ignored.
    socket.emit("request", { method: "getRouterRtpCapabilities" });
    socket.emit("whatever", 1, 2, 3);
    expect(socket.connected).toBe(true);
    const caps = (await socket.timeout(5000).emitWithAck("request", { method: "getRouterRtpCapabilities" })) as {
      ok: boolean;
      data: { status: string };
    };
    expect(caps).toMatchObject({ ok: true, data: { status: "offline" } });
    const transport = (await socket.timeout(5000).emitWithAck("request", {
      method: "createTransport",
      direction: "recv",
    })) as { ok: boolean; data: { id: string; iceCandidates: Array<{ address: string; port: number }> } };
    expect(transport.ok).toBe(true);
    expect(transport.data.iceCandidates[0]!.address).toBe("127.0.0.1");
    expect(transport.data.iceCandidates[0]!.port).toBeGreaterThanOrEqual(40000);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
