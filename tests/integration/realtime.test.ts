// Browser realtime hub: socket.io authenticates with the session cookie and pushes tenant audit
// events live (U1 guards, U2 rooms per tenant, V4 groundwork).
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, makeDataDir, startServerProcess, type ServerProcess } from "./support/server-process";

let server: ServerProcess;
const dataDir = makeDataDir("argus-rt-");
const sockets: Socket[] = [];

function connect(cookie?: string): Socket {
  const socket = io(server.url, {
    transports: ["websocket"],
    extraHeaders: cookie ? { cookie } : {},
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
  server = await startServerProcess({ dataDir: dataDir.dir });
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server?.stop();
  dataDir.remove();
});

describe("U1 realtime socket authentication", () => {
  it("U1: a socket without a session cookie is refused with connect_error 'unauthorized'", async () => {
    expect(await outcome(connect())).toBe("unauthorized");
  });

  it("U1: a socket with a forged cookie is refused", async () => {
    expect(await outcome(connect("argus_session=abcdefghijklmnopqrstuvwxyz234567"))).toBe("unauthorized");
  });

  it("U1/U2: with the admin's cookie it connects and receives the tenant's live audit events", async () => {
    const cookie = await login(server.url);
    const socket = connect(cookie);
    expect(await outcome(socket)).toBe("connected");
    const received: Array<{ action: string; time: string; userId: string | null }> = [];
    socket.on("audit", (event) => received.push(event));

    const loginEvent = new Promise<{ action: string; time: string }>((resolve) => {
      socket.on("audit", (event: { action: string; time: string }) => {
        if (event.action === "login.success") resolve(event);
      });
    });
    await login(server.url); // another sign-in in the same tenant
    const event = await Promise.race([
      loginEvent,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no audit event within 5 s")), 5000)),
    ]);
    expect(event.action).toBe("login.success");
    expect(Number.isNaN(Date.parse(event.time))).toBe(false);
    expect(Math.abs(Date.now() - Date.parse(event.time))).toBeLessThan(60_000);
    // Failed logins carry no tenant, so they are not broadcast into the tenant room.
    await fetch(`${server.url}/login`, {
      method: "POST",
      body: new URLSearchParams({ email: "x@argus.test", password: "wrong-password-x" }),
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(received.map((e) => e.action)).not.toContain("login.failure");
  });

  it("U1: after logout the same cookie can no longer open a socket", async () => {
    const cookie = await login(server.url);
    expect(await outcome(connect(cookie))).toBe("connected");
    await fetch(`${server.url}/logout`, { method: "POST", headers: { cookie }, redirect: "manual" });
    expect(await outcome(connect(cookie))).toBe("unauthorized");
  });
});
