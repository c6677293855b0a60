// U1 bootstrap: the first start creates one platform admin and prints a generated password once,
// in the console box and never through the structured logger; later starts create nobody.
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { ADMIN_EMAIL, login, makeDataDir, startServerProcess } from "./support/server-process";

const dataDir = makeDataDir("argus-bootstrap-");
afterAll(() => dataDir.remove());

describe("U1 bootstrap admin", () => {
  let generated = "";

  it("U1: without ADMIN_PASSWORD the first start prints a generated password once, and it signs in", async () => {
    const server = await startServerProcess({ dataDir: dataDir.dir, env: { ADMIN_PASSWORD: "" } });
    try {
      const output = server.output();
      const match = /\|\s+Password: ([A-Za-z0-9]{20})\s+\|/.exec(output);
      expect(match, `no password box in:\n${output}`).not.toBeNull();
      generated = match![1];
      expect(output).toContain(`Email:    ${ADMIN_EMAIL}`);
      expect(output.split(generated)).toHaveLength(2); // exactly once
      // Structured log lines mention the bootstrap but never the password.
      const logLines = output.split("\n").filter((l) => l.startsWith("{"));
      expect(logLines.some((l) => l.includes("bootstrap admin created"))).toBe(true);
      for (const line of logLines) expect(line).not.toContain(generated);

      const cookie = await login(server.url, ADMIN_EMAIL, generated);
      const me = await fetch(`${server.url}/api/v1/me`, { headers: { cookie } });
      if (me.status !== 404)
        expect(await me.json()).toMatchObject({ user: { email: ADMIN_EMAIL, isPlatformAdmin: true } });
      await expect(login(server.url, ADMIN_EMAIL, "correct-horse-battery-staple")).rejects.toThrow(/401/);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it("U1: a second start on the same DATA_DIR prints no password and creates no second admin, even with a new ADMIN_PASSWORD", async () => {
    expect(generated).not.toBe("");
    const server = await startServerProcess({
      dataDir: dataDir.dir,
      env: { ADMIN_PASSWORD: "a-different-password-now" },
    });
    try {
      const output = server.output();
      expect(output).not.toMatch(/Password:/);
      expect(output).not.toContain("bootstrap admin created");
      expect(output).not.toContain(generated);
      // The existing admin keeps their password; the env var is a first-start setting only.
      await login(server.url, ADMIN_EMAIL, generated);
      await expect(login(server.url, ADMIN_EMAIL, "a-different-password-now")).rejects.toThrow(/401/);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    const handle = await openDatabase({ dataDir: dataDir.dir });
    try {
      const [row] = await handle.query<{ users: number; admins: number; tenants: number }>(sql`SELECT
        (SELECT count(*)::int FROM users) AS users,
        (SELECT count(*)::int FROM users WHERE is_platform_admin) AS admins,
        (SELECT count(*)::int FROM tenants) AS tenants`);
      expect(row).toEqual({ users: 1, admins: 1, tenants: 1 });
    } finally {
      await handle.close();
    }
  });
});
