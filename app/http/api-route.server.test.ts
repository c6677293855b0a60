// Issue 12 §3: defineApiRoute dispatches by method, checks in the order guard -> params -> query -> body, answers the
// bodies clients already know, and feeds the OpenAPI document. Guards here are stand-ins: the real ones are the
// existing requireTenant & co., exercised by the integration tests against a real server.
import type { AppLoadContext } from "@remix-run/node";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { HttpError } from "../utils/errors.server";
import type { Guard } from "./api-route-guards.server";
import { jsonBodyExplained, optionalJsonBody, queryOf } from "./api-route-input.server";
import { defineApiRoute, jsonBody, uuidParam } from "./api-route.server";
import { buildOpenApiDocument } from "./openapi.server";

const calls: string[] = [];
/** Lets a request through when it carries `x-role` at or above `role`; records that it ran. */
function role(role: "viewer" | "admin"): Guard<{ role: string }> {
  return {
    doc: { security: ["session"], access: `Access: ${role}+ session.`, role },
    resolve: async (request) => {
      calls.push(`guard:${role}`);
      const have = request.headers.get("x-role");
      if (!have) throw new HttpError(401, "Sign in");
      if (role === "admin" && have !== "admin") throw new HttpError(403, "Needs admin");
      return { role: have };
    },
  };
}

const onError = vi.fn(async () => undefined);
const route = defineApiRoute(
  {
    path: "/api/v1/things/{thingId}",
    tag: "Things",
    params: z.object({ thingId: uuidParam("thingId") }),
    unsupportedGuard: role("viewer"),
  },
  (op) => ({
    get: op({
      summary: "A thing",
      auth: role("viewer"),
      query: queryOf(z.object({ limit: z.coerce.number().int().max(10).optional() })),
      responses: { 200: "The thing" },
      handler: async ({ auth, params, query }) => ({ id: params.thingId, by: auth.role, limit: query.limit ?? null }),
    }),
    patch: op({
      summary: "Change a thing",
      auth: role("admin"),
      aliases: ["put"],
      body: jsonBody(z.object({ name: z.string().min(1) }).strict()),
      responses: { 200: "Changed" },
      onError,
      handler: async ({ params, body }) => ({ id: params.thingId, name: body.name }),
    }),
    post: op({
      summary: "Make a thing",
      auth: role("admin"),
      body: optionalJsonBody(z.object({ n: z.number().default(1) })),
      responses: { 201: "Made" },
      handler: async ({ body }) => ({ made: body.n }),
    }),
  }),
);

const ID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
const context = {} as AppLoadContext;
async function send(method: string, init: { role?: string; id?: string; body?: string; query?: string } = {}) {
  calls.length = 0;
  const headers: Record<string, string> = {};
  if (init.role) headers["x-role"] = init.role;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const request = new Request(`http://x/api/v1/things/${init.id ?? ID}${init.query ?? ""}`, {
    method,
    headers,
    body: init.body,
  });
  const handler = method === "GET" ? route.loader : route.action;
  const res = await handler({ request, params: { thingId: init.id ?? ID }, context });
  return { status: res.status, allow: res.headers.get("allow"), body: res.status === 204 ? null : await res.json() };
}

describe("defineApiRoute", () => {
  it("runs the operation for its method and answers JSON with the lowest documented 2xx", async () => {
    expect(await send("GET", { role: "viewer", query: "?limit=3" })).toMatchObject({
      status: 200,
      body: { id: ID, by: "viewer", limit: 3 },
    });
    expect(await send("POST", { role: "admin" })).toMatchObject({ status: 201, body: { made: 1 } }); // empty body
    expect(await send("PUT", { role: "admin", body: '{"name":"x"}' })).toMatchObject({ status: 200 }); // alias
  });

  it("checks the caller before anything else, then params, then the body", async () => {
    expect(await send("PATCH", { id: "nope", body: "{" })).toMatchObject({ status: 401 });
    expect(await send("PATCH", { role: "viewer", id: "nope", body: "{" })).toMatchObject({ status: 403 });
    expect(await send("PATCH", { role: "admin", id: "nope", body: "{" })).toMatchObject({
      status: 400,
      body: { error: "bad_request", message: "thingId must be a UUID" },
    });
    expect(await send("PATCH", { role: "admin", body: "{" })).toMatchObject({
      status: 400,
      body: { message: "Body is not valid JSON" },
    });
    expect(await send("PATCH", { role: "admin", body: '{"name":""}' })).toMatchObject({
      status: 400,
      body: { message: "Invalid request body", details: [{ path: "name" }] },
    });
    expect(onError).toHaveBeenCalled(); // every refusal of the operation passed through its onError hook
  });

  it("refuses a bad query with the field problems", async () => {
    const res = await send("GET", { role: "viewer", query: "?limit=99" });
    expect(res).toMatchObject({ status: 400, body: { message: "Invalid input", details: [{ path: "limit" }] } });
  });

  it("answers an unsupported method with 405 and Allow, after the route's unsupportedGuard", async () => {
    expect(await send("DELETE")).toMatchObject({ status: 401 });
    expect(calls).toEqual(["guard:viewer"]);
    expect(await send("DELETE", { role: "viewer" })).toMatchObject({
      status: 405,
      allow: "GET, POST, PATCH",
      body: { error: "method_not_allowed", message: "Use GET, POST, PATCH" },
    });
  });

  it("maps an HttpError thrown by a module outside the bundle (same name, other class) to its status", async () => {
    const foreign = Object.assign(new Error("No capacity"), { name: "HttpError", status: 409 });
    const r = defineApiRoute({ path: "/api/v1/foreign", tag: "Things" }, (op) => ({
      post: op({
        summary: "Throws",
        auth: role("viewer"),
        body: jsonBodyExplained(z.object({ a: z.number() })),
        responses: { 200: "Never" },
        handler: async () => {
          throw foreign;
        },
      }),
    }));
    const request = new Request("http://x/api/v1/foreign", {
      method: "POST",
      headers: { "x-role": "viewer", "content-type": "application/json" },
      body: '{"a":1}',
    });
    const res = await r.action({ request, params: {}, context });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: "conflict", message: "No capacity" });
  });
});

describe("the OpenAPI document built from the declarations", () => {
  const doc = buildOpenApiDocument([route]);
  const ops = doc.paths["/api/v1/things/{thingId}"];

  it("has each served method (not the aliases), with access, parameters, body and responses", () => {
    expect(Object.keys(ops)).toEqual(["get", "post", "patch"]);
    expect(ops.get.description).toContain("Access: viewer+ session.");
    expect(ops.get.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(["path:thingId", "query:limit"]);
    expect(ops.get.parameters[0].schema).toMatchObject({ type: "string", format: "uuid" });
    expect(ops.patch.requestBody).toMatchObject({
      required: true,
      content: { "application/json": { schema: { properties: { name: { type: "string", minLength: 1 } } } } },
    });
    expect(ops.post.requestBody?.required).toBe(false);
    expect(Object.keys(ops.patch.responses)).toEqual(["200", "401", "403"]);
    expect(ops.patch.security).toEqual([{ session: [] }]);
    expect(new Set(Object.values(ops).map((o) => o.operationId)).size).toBe(3);
  });
});
