// One error boundary for every loader and action (U4, issue 10 §1), whatever the route is (an /api/v1
// defineApiRoute, a page's loader, a bare action): the server build's route modules are wrapped once at start-up.
// - Path parameters and query values are checked before any handler runs: NUL or a lone surrogate is a 400.
// - A thrown HttpError (of this bundle or of server.ts's modules), a ZodError, or a database error of a
//   client-caused class (unique violation 409, bad text/number representation 400) becomes a 4xx: JSON for
//   /api/*, a Response the page's ErrorBoundary renders for pages and form actions.
// - Anything else is a real bug: logged with the request id; /api/* answers a JSON 500 carrying that id,
//   never a stack and never Remix's plain-text "Unexpected Server Error".
import type { ServerBuild } from "@remix-run/node";
import { isStorableText } from "../../protocol/strings";
import type { Logger } from "../logger.server";
import { statusForPgError } from "../utils/db-errors.server";

type Handler = (args: {
  request: Request;
  params: Record<string, string | undefined>;
  context: { requestId?: string };
}) => unknown;

const CODES: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "too_many_requests",
};

interface Mapped {
  status: number;
  message: string;
  details?: unknown;
}

const isApiPath = (pathname: string) => pathname.startsWith("/api/");

/** A reason phrase must be Latin-1 without control characters, else the Response constructor throws. */
const reasonPhrase = (message: string) => message.replace(/[^\t\x20-\x7e\xa0-\xff]/g, "?").slice(0, 200);

export function errorResponse(mapped: Mapped, api: boolean): Response {
  if (api) {
    const body = { error: CODES[mapped.status] ?? "error", message: mapped.message, details: mapped.details };
    return Response.json(body, { status: mapped.status });
  }
  return new Response(mapped.message, { status: mapped.status, statusText: reasonPhrase(mapped.message) });
}

/** Errors with a known client-side meaning; undefined for real faults. */
export function mapKnownError(error: unknown): (Mapped & { fromDatabase?: boolean }) | undefined {
  if (!(error instanceof Error)) return undefined;
  const status = (error as { status?: unknown }).status;
  if (error.name === "HttpError" && typeof status === "number" && status >= 400 && status < 500)
    return { status, message: error.message, details: (error as { details?: unknown }).details };
  if (error.name === "ZodError" && Array.isArray((error as { issues?: unknown }).issues)) {
    const issues = (error as unknown as { issues: Array<{ path: PropertyKey[]; message: string }> }).issues;
    return {
      status: 400,
      message: "Invalid input",
      details: issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })),
    };
  }
  const database = statusForPgError(error);
  return database && { ...database, fromDatabase: true };
}

/** The first path parameter or query value that cannot be stored as text, as "name". */
export function unstorableInput(url: URL, params: Record<string, string | undefined>): string | undefined {
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && !isStorableText(value)) return `path parameter ${name}`;
  }
  for (const [name, value] of url.searchParams) {
    if (!isStorableText(name) || !isStorableText(value)) return `query parameter ${JSON.stringify(name)}`;
  }
  return undefined;
}

function guard(handler: Handler, routeId: string, kind: "loader" | "action", logger: Logger): Handler {
  return async (args) => {
    const url = new URL(args.request.url);
    const api = isApiPath(url.pathname);
    const bad = unstorableInput(url, args.params);
    if (bad) throw errorResponse({ status: 400, message: `The ${bad} must not contain NUL characters` }, api);
    try {
      return await handler(args);
    } catch (error) {
      if (error instanceof Response || !(error instanceof Error)) throw error; // redirects, data(), responses
      const requestId = args.context.requestId;
      const known = mapKnownError(error);
      if (known) {
        if (known.fromDatabase)
          logger.warn({ err: error, requestId, route: routeId, kind }, "database refused input a schema let through");
        throw errorResponse(known, api);
      }
      logger.error({ err: error, requestId, route: routeId, kind, path: url.pathname }, "unhandled route error");
      if (api) {
        throw Response.json(
          { error: "internal", message: "Something went wrong; the error was logged", request_id: requestId },
          { status: 500 },
        );
      }
      throw error; // pages: the ErrorBoundary says the error was logged (no stack in production)
    }
  };
}

/** The server build with every route's loader and action behind guard(). */
export function withRouteBoundary(build: ServerBuild, logger: Logger): ServerBuild {
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    const module = { ...route.module } as Record<string, unknown>;
    for (const kind of ["loader", "action"] as const) {
      const handler = module[kind];
      if (typeof handler === "function") module[kind] = guard(handler as Handler, id, kind, logger);
    }
    routes[id] = { ...route, module: module as unknown as (typeof route)["module"] };
  }
  return { ...build, routes };
}
