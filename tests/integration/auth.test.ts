// U1, U3, U4 against the real server process: sessions over HTTP, guards, rate limiting, ops
// endpoints, origin and size limits, and that secrets never reach the logs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_PASSWORD,
  ADMIN_EMAIL,
  login,
  makeDataDir,
  startServerProcess,
  type ServerProcess,
} from "./support/server-process";

let server: ServerProcess;
let dataDir: ReturnType<typeof makeDataDir>;
let adminCookie: string;
/** Every session token this file saw; none may appear in the server's output. */
const tokens: string[] = [];

function remember(cookie: string): string {
  tokens.push(cookie.split("=")[1]);
  return cookie;
}

function postLogin(form: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/login`, { method: "POST", body: new URLSearchParams(form), redirect: "manual", headers });
}

beforeAll(async () => {
  dataDir = makeDataDir();
  server = await startServerProcess({ dataDir: dataDir.dir, env: { LOGIN_MAX_ATTEMPTS: "3" } });
  adminCookie = remember(await login(server.url));
});

afterAll(async () => {
  await server?.stop();
  dataDir?.remove();
});

describe("U3 health and readiness", () => {
  it("U3: /healthz answers 200 {status: ok} without a session", async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("U3: /readyz answers 200 with the embedded database", async () => {
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ready", database: "embedded" });
  });
});

describe("U1 every page and API is guarded", () => {
  it.each(["/", "/sites", "/members", "/some/page?x=1&y=2"])(
    "U1: GET %s without a session redirects to /login?redirectTo=...",
    async (path) => {
      const res = await fetch(`${server.url}${path}`, { redirect: "manual" });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
    },
  );

  it.each([
    ["GET", "/api/v1/me"],
    ["GET", "/api/v1/sites"],
    ["POST", "/api/v1/sites"],
    ["DELETE", "/api/v1/sites/123"],
    ["GET", "/api/v1/does-not-exist"],
  ])("U1: %s %s without a session is 401 JSON", async (method, path) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: method === "GET" ? undefined : "{}",
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(await res.json()).toMatchObject({ error: "unauthorized" });
  });

  it("U1: a forged or malformed cookie is treated as no session and cleared", async () => {
    const res = await fetch(`${server.url}/`, {
      headers: { cookie: "argus_session=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" },
      redirect: "manual",
    });
    expect(res.status).toBe(302);
    expect(res.headers.getSetCookie().some((c) => /^argus_session=;.*Max-Age=0/.test(c))).toBe(true);
  });
});

describe("U1 login, cookie and logout", () => {
  it("U1: a wrong password is 401 and the page says so", async () => {
    const res = await postLogin({ email: ADMIN_EMAIL, password: "definitely-not-it", redirectTo: "/" });
    expect(res.status).toBe(401);
    expect(res.headers.getSetCookie().some((c) => c.startsWith("argus_session="))).toBe(false);
    expect(await res.text()).toContain("Wrong email or password");
  });

  it("U1: an unknown email gets the same answer as a wrong password", async () => {
    const res = await postLogin({ email: "nobody@argus.test", password: "whatever-password", redirectTo: "/" });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("Wrong email or password");
  });

  it("U1: a good login sets an HttpOnly, SameSite=Lax, Path=/ cookie, not Secure on plain http, and redirects safely", async () => {
    const res = await postLogin({
      email: ADMIN_EMAIL.toUpperCase(),
      password: ADMIN_PASSWORD,
      redirectTo: "//evil.example/x",
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/"); // open redirect refused
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("argus_session="))!;
    expect(cookie).toBeDefined();
    remember(cookie.split(";")[0]);
    const attributes = cookie.split(";").map((p) => p.trim());
    expect(attributes[0]).toMatch(/^argus_session=[a-z2-7]{32}$/);
    expect(attributes).toContain("HttpOnly");
    expect(attributes).toContain("SameSite=Lax");
    expect(attributes).toContain("Path=/");
    expect(attributes.some((a) => /^secure$/i.test(a))).toBe(false);
    expect(attributes.some((a) => a.startsWith("Expires="))).toBe(true);
  });

  it("U1: the session cookie opens the overview page (200 HTML)", async () => {
    const res = await fetch(`${server.url}/`, { headers: { cookie: adminCookie }, redirect: "manual" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(await res.text()).toContain("Default");
  });

  it("U1: POST /logout revokes the session server-side: the same cookie no longer works", async () => {
    const cookie = remember(await login(server.url));
    expect((await fetch(`${server.url}/`, { headers: { cookie }, redirect: "manual" })).status).toBe(200);
    const out = await fetch(`${server.url}/logout`, { method: "POST", headers: { cookie }, redirect: "manual" });
    expect(out.status).toBe(302);
    expect(out.headers.get("location")).toBe("/login");
    expect(out.headers.getSetCookie().some((c) => /^argus_session=;.*Max-Age=0/.test(c))).toBe(true);
    // Replaying the old cookie (as a thief would) is refused.
    const page = await fetch(`${server.url}/`, { headers: { cookie }, redirect: "manual" });
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toMatch(/^\/login/);
    const api = await fetch(`${server.url}/api/v1/me`, { headers: { cookie } });
    expect(api.status).toBe(401);
    // Other sessions of the same user are untouched.
    expect((await fetch(`${server.url}/`, { headers: { cookie: adminCookie }, redirect: "manual" })).status).toBe(200);
  });

  it("U1: more than LOGIN_MAX_ATTEMPTS (3) failures are 429 with Retry-After, even with the right password", async () => {
    const email = "throttled@argus.test";
    for (let i = 0; i < 3; i++) expect((await postLogin({ email, password: `wrong-${i}-password` })).status).toBe(401);
    const limited = await postLogin({ email, password: "wrong-4-password" });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);
    // Per email+IP: the admin can still sign in.
    remember(await login(server.url));
  });

  it("U1: the browser's single-fetch submission (/login.data) is throttled with Retry-After too", async () => {
    const email = "throttled-js@argus.test";
    const post = () =>
      fetch(`${server.url}/login.data`, {
        method: "POST",
        body: new URLSearchParams({ email, password: "wrong-password-js" }),
        redirect: "manual",
      });
    for (let i = 0; i < 3; i++) expect((await post()).status).toBe(401);
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("U3 metrics", () => {
  it("U3: /metrics is 401 without a session", async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
  });

  it("U3: /metrics with the platform admin's session is Prometheus text with request durations", async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { cookie: adminCookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/plain/);
    const body = await res.text();
    expect(body).toContain("# TYPE argus_http_request_duration_seconds histogram");
    expect(body).toMatch(/argus_http_request_duration_seconds_count\{[^}]*status="200"[^}]*\} \d+/);
  });
});

describe("U4 request hygiene", () => {
  it("U4: a cross-origin POST is refused with 403 before it reaches the route", async () => {
    const res = await postLogin({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, { origin: "http://evil.example" });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: "forbidden" });
    expect(res.headers.getSetCookie()).toHaveLength(0);
    // The same POST from the server's own origin goes through (the check can fail both ways).
    const same = await postLogin(
      { email: ADMIN_EMAIL, password: ADMIN_PASSWORD, redirectTo: "/" },
      { origin: server.url },
    );
    expect(same.status).toBe(302);
    remember(same.headers.getSetCookie()[0].split(";")[0]);
  });

  it("U4: a request body over 2 MiB is 413", async () => {
    const body = "x".repeat(2 * 1024 * 1024 + 1);
    const res = await fetch(`${server.url}/login`, {
      method: "POST",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    }).catch((error: Error) => error);
    expect(res).toBeInstanceOf(Response);
    expect((res as Response).status).toBe(413);
    expect(await (res as Response).json()).toMatchObject({ error: "payload_too_large" });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe("U1/U3 secrets never reach the logs", () => {
  it("U1: the server output contains neither ADMIN_PASSWORD nor any session token", async () => {
    expect(tokens.length).toBeGreaterThanOrEqual(5);
    const output = server.output();
    expect(output).toContain("user signed in"); // the log is there and structured...
    expect(output).not.toContain(ADMIN_PASSWORD); // ...but without secrets
    for (const token of tokens) expect(output).not.toContain(token);
  });
});

describe("U3 metrics can be switched off", () => {
  it("U3: METRICS=off answers 404 even to the platform admin", async () => {
    const dir = makeDataDir();
    const off = await startServerProcess({ dataDir: dir.dir, env: { METRICS: "off" } });
    try {
      const cookie = await login(off.url);
      const res = await fetch(`${off.url}/metrics`, { headers: { cookie } });
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain("argus_http_request_duration_seconds");
    } finally {
      expect(await off.stop()).toBe(0);
      dir.remove();
    }
  });
});
