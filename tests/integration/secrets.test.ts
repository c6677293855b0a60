// Issue 12 §3: the three issued secrets (worker credentials, API keys, publish links) through the real server:
// issue -> use (last used recorded) -> revoke -> refused, each audited on issue and revoke by the admin who did
// it, and no secret ever in the process output (logs) or the audit details.
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { auditEvents, users } from "../../db/schema";
import { ADMIN_EMAIL, login, makeDataDir, startServerProcess, type ServerProcess } from "./support/server-process";

const data = makeDataDir("argus-secrets-");
let server: ServerProcess | undefined;
let cookie = "";
const issued: Array<{ action: string; id: string; secret: string }> = [];

async function call(path: string, init: { method?: string; body?: unknown; form?: string; bearer?: string } = {}) {
  const headers: Record<string, string> = init.bearer ? { authorization: `Bearer ${init.bearer}` } : { cookie };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  if (init.form !== undefined) headers["content-type"] = "application/x-www-form-urlencoded";
  const res = await fetch(`${server!.url}${path}`, {
    method: init.method ?? "GET",
    headers,
    body: init.form ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
    redirect: "manual",
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // an HTML page
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response shapes are asserted by the test
  return { status: res.status, text, json: json as any };
}

beforeAll(async () => {
  server = await startServerProcess({ dataDir: data.dir });
  cookie = await login(server.url);
}, 120_000);

afterAll(async () => {
  await server?.kill();
  data.remove();
});

describe("issued secrets through the real server (issue 12 §3)", () => {
  it("API key: issue -> use -> revoke -> 401", async () => {
    const created = await call("/api/v1/api-keys", { method: "POST", body: { name: "line camera" } });
    expect(created.status).toBe(201);
    const { id, key } = created.json as { id: string; key: string };
    expect(key).toMatch(/^argus_pk_/);
    issued.push({ action: "api_key", id, secret: key });
    expect((await call("/api/v1/metrics/factory", { bearer: key })).status).toBe(200);
    const listed = await call("/api/v1/api-keys");
    expect(JSON.stringify(listed.json)).not.toContain(key);
    expect(listed.json.api_keys.find((k: { id: string }) => k.id === id).last_used_at).not.toBeNull();
    expect((await call(`/api/v1/api-keys/${id}`, { method: "DELETE" })).status).toBe(200);
    expect((await call("/api/v1/metrics/factory", { bearer: key })).status).toBe(401);
  });

  it("worker credential: issue -> token exchange -> revoke -> 401 that says revoked", async () => {
    const created = await call("/api/v1/workers/credentials", { method: "POST", body: { name: "edge-7" } });
    expect(created.status).toBe(201);
    const { id, credential } = created.json as { id: string; credential: string };
    expect(credential).toMatch(/^argw_/);
    issued.push({ action: "worker.credential", id, secret: credential });
    const token = await call("/api/v1/workers/token", { method: "POST", bearer: credential });
    expect(token.status).toBe(200);
    expect(token.json).toMatchObject({ credentialId: id, credentialName: "edge-7" });
    const listed = (await call("/api/v1/workers/credentials")).json.credentials as Array<Record<string, unknown>>;
    expect(listed.find((c) => c.id === id)).toMatchObject({ name: "edge-7", revokedAt: null });
    expect(listed.find((c) => c.id === id)!.lastUsedAt).not.toBeNull();
    expect((await call(`/api/v1/workers/credentials/${id}`, { method: "DELETE" })).status).toBe(200);
    const refused = await call("/api/v1/workers/token", { method: "POST", bearer: credential });
    expect(refused.status).toBe(401);
    expect(refused.text).toMatch(/revoked/);
  });

  it("publish link: issue on the camera page -> kiosk page opens -> revoke -> 404", async () => {
    const camera = await call("/api/v1/cameras", { method: "POST", body: { name: "Kiosk", kind: "browser" } });
    expect(camera.status).toBe(201);
    const cameraId = camera.json.camera.id as string;
    const page = await call(`/cameras/${cameraId}`, { method: "POST", form: "intent=issue-publish-token" });
    expect(page.status).toBe(200);
    const token = /\/publish\/(apt_[A-Za-z0-9_-]+)/.exec(page.text)?.[1];
    expect(token, "the new link is in the action's response").toBeDefined();
    expect((await call(`/publish/${token}`)).status).toBe(200);
    const tokenId = /name="tokenId" value="([0-9a-f-]{36})"/.exec((await call(`/cameras/${cameraId}`)).text)?.[1];
    expect(tokenId).toBeDefined();
    issued.push({ action: "camera.publish_token", id: tokenId!, secret: token! });
    const revoke = await call(`/cameras/${cameraId}`, {
      method: "POST",
      form: `intent=revoke-publish-token&tokenId=${tokenId}`,
    });
    expect(revoke.status).toBe(200);
    expect((await call(`/publish/${token}`)).status).toBe(404);
  });

  it("every issue and revoke is audited with the admin's id; no secret in the logs or the audit trail", async () => {
    expect(issued).toHaveLength(3);
    expect(await server!.stop()).toBe(0);
    const output = server!.output();
    for (const { secret } of issued) expect(output, "a secret reached the process output").not.toContain(secret);

    const database = await openDatabase({ dataDir: data.dir });
    try {
      const [admin] = await database.db.select().from(users).where(eq(users.email, ADMIN_EMAIL));
      for (const { action, id, secret } of issued) {
        const actions = [`${action}.${action === "api_key" ? "create" : "issue"}`, `${action}.revoke`];
        const rows = await database.db
          .select()
          .from(auditEvents)
          .where(and(inArray(auditEvents.action, actions), sql`${auditEvents.details}->>'secretId' = ${id}`));
        expect(rows.map((r) => r.action).sort(), `audit rows of ${action} ${id}`).toEqual([...actions].sort());
        for (const row of rows) {
          expect(row.userId).toBe(admin.id);
          expect(JSON.stringify(row.details)).not.toContain(secret);
          // The display prefix people see in lists: the start of the secret, never more than 15 characters.
          const prefix = String(row.details?.prefix);
          expect(secret.startsWith(prefix) && prefix.length >= 10 && prefix.length <= 15).toBe(true);
        }
      }
    } finally {
      await database.close();
    }
  });
});
