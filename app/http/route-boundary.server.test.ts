// U4 (issue 10 §1): the route boundary maps every thrown error of every loader/action.
import type { ServerBuild } from "@remix-run/node";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { Logger } from "../logger.server";
import { HttpError } from "../utils/errors.server";
import { withRouteBoundary } from "./route-boundary.server";

function logger() {
  return { warn: vi.fn(), error: vi.fn() } as unknown as Logger & {
    warn: ReturnType<typeof vi.fn>;
    error: ReturnType<typeof vi.fn>;
  };
}

type Loader = (args: { request: Request; params: Record<string, string>; context: object }) => unknown;
function buildWith(loader: Loader): ServerBuild {
  return {
    routes: { "routes/x": { id: "routes/x", path: "x", module: { loader, default: () => null } } },
  } as unknown as ServerBuild;
}

async function run(loader: Loader, url: string, params: Record<string, string> = {}, log = logger()) {
  const build = withRouteBoundary(buildWith(loader), log);
  const wrapped = build.routes["routes/x"].module.loader as unknown as Loader;
  try {
    return { value: await wrapped({ request: new Request(url), params, context: { requestId: "req-1" } }), log };
  } catch (thrown) {
    return { thrown, log };
  }
}

const api = "http://x/api/v1/things";
const page = "http://x/things";

describe("withRouteBoundary", () => {
  it("a bug on /api is a JSON 500 carrying the request id, logged once, no stack", async () => {
    const { thrown, log } = await run(() => {
      throw new TypeError("boom at /srv/app.ts:1:1");
    }, api);
    const res = thrown as Response;
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body).toEqual({ error: "internal", message: expect.any(String), request_id: "req-1" });
    expect(JSON.stringify(body)).not.toContain("app.ts");
    expect(log.error).toHaveBeenCalledTimes(1);
    expect(log.error.mock.calls[0][0]).toMatchObject({ requestId: "req-1", route: "routes/x" });
  });

  it("a bug on a page is rethrown for the ErrorBoundary (and logged)", async () => {
    const error = new Error("page bug");
    const { thrown, log } = await run(() => {
      throw error;
    }, page);
    expect(thrown).toBe(error);
    expect(log.error).toHaveBeenCalledTimes(1);
  });

  it("HttpError (any copy of the class), ZodError and client-caused database errors become 4xx", async () => {
    const foreign = Object.assign(new Error("Camera not found"), { name: "HttpError", status: 404 });
    for (const [error, status] of [
      [new HttpError(409, "taken"), 409],
      [foreign, 404],
      [z.object({ a: z.string() }).safeParse({}).error!, 400],
      [Object.assign(new Error("Failed query"), { cause: { code: "23505" } }), 409],
      [Object.assign(new Error("Failed query"), { cause: { code: "22P02" } }), 400],
      [Object.assign(new Error("Failed query"), { cause: { code: "22003" } }), 400],
    ] as const) {
      const onApi = (await run(() => Promise.reject(error), api)).thrown as Response;
      expect(onApi.status).toBe(status);
      expect(onApi.headers.get("content-type")).toMatch(/json/);
      const onPage = (await run(() => Promise.reject(error), page)).thrown as Response;
      expect(onPage.status).toBe(status);
    }
  });

  it("Responses, redirects and results pass through untouched", async () => {
    const redirect = new Response(null, { status: 302, headers: { location: "/" } });
    expect((await run(() => Promise.reject(redirect), page)).thrown).toBe(redirect);
    expect((await run(() => ({ ok: 1 }), api)).value).toEqual({ ok: 1 });
  });

  it("NUL in a path or query parameter is a 400 before the handler runs", async () => {
    const handler = vi.fn(() => ({ ok: 1 }));
    const byParam = (await run(handler, api, { id: "a\u0000" })).thrown as Response;
    expect(byParam.status).toBe(400);
    expect((await byParam.json()).message).toMatch(/path parameter id/);
    const byQuery = (await run(handler, `${api}?q=%00`)).thrown as Response;
    expect(byQuery.status).toBe(400);
    expect(handler).not.toHaveBeenCalled();
  });
});
