// The one idiom for /api/v1 routes (issue 12 §3): guard -> parse (path, query, body) with zod -> call a model ->
// JSON. A route module declares its operations once:
//
//   const route = defineApiRoute({ path: "/api/v1/sites/{siteId}", tag: "Sites", params }, (op) => ({
//     get: op({ summary, auth: tenantMember(), responses: { 200: "The site" }, handler: ({ auth, params }) => ... }),
//   }));
//   export const loader = route.loader;
//   export const action = route.action;
//
// and the same declaration feeds the OpenAPI document (app/http/openapi.server.ts), so every route is documented
// from the schemas it validates with. Errors keep the shapes clients know: HttpError/ZodError -> {error, message,
// details} 4xx (fleet errors thrown from outside the bundle included), an unsupported method -> 405 with Allow.
import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { asLocalError } from "../fleet/http.server";
import { api, methodNotAllowed } from "../utils/api.server";
import { badRequest } from "../utils/errors.server";
import type { Guard, Guarded } from "./api-route-guards.server";
import { jsonBody, queryOf, type BodyReader, type QueryReader } from "./api-route-input.server";

export type Method = "get" | "post" | "put" | "patch" | "delete";
export const METHOD_ORDER: Method[] = ["get", "post", "put", "patch", "delete"];

export interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
  /** Defaults to application/json when there is a schema. */
  contentType?: string;
}

export interface HandlerInput<A, P, Q, B> {
  auth: A;
  params: P;
  query: Q;
  body: B;
  request: Request;
  context: AppLoadContext;
}

export interface Operation<G extends Guard<unknown> = Guard<unknown>, P = unknown, Q = unknown, B = unknown> {
  summary: string;
  description?: string;
  auth: G;
  query?: QueryReader<Q>;
  body?: BodyReader<B>;
  /** Status -> what it means; the lowest 2xx is the status of a handler's plain (non-Response) result. */
  responses: Record<number, string | ResponseDoc>;
  /** Methods served by this operation too but left out of Allow and the document (PUT for PATCH). */
  aliases?: Method[];
  /** Runs when anything fails, before the error is answered (an upload drains its unread body). */
  onError?: (request: Request, context: AppLoadContext) => Promise<void>;
  handler(input: HandlerInput<Guarded<G>, P, Q, B>): Promise<unknown>;
}

export interface ApiRouteSpec<P = unknown> {
  /** The URL template as documented; `{name}` is Remix's `$name` (or its camelCase, for documented snake_case). */
  path: string;
  tag: string;
  /** Path parameters; a refusal is a 400 with the schema's message. Defaults to each `{name}` as a string. */
  params?: z.ZodType<P>;
  /** Run before answering 405 to a method the route does not serve (routes that always checked first). */
  unsupportedGuard?: Guard<unknown>;
}

export interface ApiRoute<P = unknown> {
  spec: ApiRouteSpec<P>;
  operations: Partial<Record<Method, Operation>>;
  loader: (args: LoaderFunctionArgs) => Promise<Response>;
  action: (args: ActionFunctionArgs) => Promise<Response>;
}

type OperationFactory<P> = <G extends Guard<unknown>, Q = undefined, B = undefined>(
  operation: Operation<G, P, Q, B>,
) => Operation<G, P, Q, B>;

const registry = new Map<string, ApiRoute>();

/** Every route defined so far (the server build evaluates all route modules at start-up), by path. */
export function listApiRoutes(): ApiRoute[] {
  return [...registry.values()].sort((a, b) => a.spec.path.localeCompare(b.spec.path));
}

export function defineApiRoute<P = Record<string, string>>(
  spec: ApiRouteSpec<P>,
  build: (op: OperationFactory<P>) => Partial<Record<Method, Operation<Guard<any>, P, any, any>>>, // eslint-disable-line @typescript-eslint/no-explicit-any
): ApiRoute<P> {
  const operations = build((operation) => operation) as Partial<Record<Method, Operation>>;
  const allowed = METHOD_ORDER.filter((m) => operations[m]).map((m) => m.toUpperCase());
  const byMethod = new Map<string, Operation>();
  for (const method of METHOD_ORDER) {
    const operation = operations[method];
    if (!operation) continue;
    byMethod.set(method.toUpperCase(), operation);
    for (const alias of operation.aliases ?? []) byMethod.set(alias.toUpperCase(), operation);
  }
  const paramsSchema = spec.params ?? defaultParams(spec.path);

  const unsupported = async (request: Request, context: AppLoadContext) => {
    if (spec.unsupportedGuard) await spec.unsupportedGuard.resolve(request, context);
    return methodNotAllowed(allowed);
  };

  const run = (operation: Operation, args: LoaderFunctionArgs | ActionFunctionArgs) =>
    runOperation(operation, args, paramsSchema, spec.path);

  const route: ApiRoute<P> = {
    spec,
    operations,
    loader: api(async (args: LoaderFunctionArgs) => {
      const operation = operations.get;
      return operation ? run(operation, args) : unsupported(args.request, args.context);
    }),
    action: api(async (args: ActionFunctionArgs) => {
      const operation = args.request.method === "GET" ? undefined : byMethod.get(args.request.method);
      return operation ? run(operation, args) : unsupported(args.request, args.context);
    }),
  };
  registry.set(spec.path, route as ApiRoute);
  return route;
}

async function runOperation(
  operation: Operation,
  { request, context, params: raw }: LoaderFunctionArgs | ActionFunctionArgs,
  paramsSchema: z.ZodType,
  path: string,
): Promise<Response> {
  try {
    const auth = await operation.auth.resolve(request, context);
    const params = parseParams(paramsSchema, path, raw);
    const query = operation.query ? operation.query.read(new URL(request.url).searchParams) : undefined;
    const body = operation.body ? await operation.body.read(request) : undefined;
    const result = await operation.handler({ auth, params, query, body, request, context });
    return result instanceof Response ? result : Response.json(result, { status: successStatus(operation) });
  } catch (error) {
    if (operation.onError) await operation.onError(request, context);
    // The fleet manager is built outside the Remix bundle: its HttpError becomes this bundle's (clear 4xx).
    throw asLocalError(error);
  }
}

/** `{worker_id}` reads Remix's `workerId` when there is no `worker_id`: the documented names stay in the URL docs. */
function parseParams(schema: z.ZodType, path: string, raw: Record<string, string | undefined>): unknown {
  const values: Record<string, string | undefined> = {};
  for (const name of pathParameterNames(path)) values[name] = raw[name] ?? raw[camelCase(name)];
  const parsed = schema.safeParse(values);
  if (!parsed.success) throw badRequest(parsed.error.issues[0]?.message ?? "Invalid path parameter");
  return parsed.data;
}

export const pathParameterNames = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
const camelCase = (name: string) => name.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase());

function defaultParams(path: string): z.ZodType {
  return z.object(Object.fromEntries(pathParameterNames(path).map((name) => [name, z.string().catch("")])));
}

function successStatus(operation: Operation): number {
  return (
    Object.keys(operation.responses)
      .map(Number)
      .filter((s) => s >= 200 && s < 300)
      .sort((a, b) => a - b)[0] ?? 200
  );
}

/** A JSON answer with a status other than the operation's usual one (200 vs 201 vs 202 by outcome). */
export const jsonWith = (body: unknown, status: number, headers?: HeadersInit) =>
  Response.json(body, { status, headers });

/** A path parameter that must be a UUID, refused with `${name} must be a UUID` (before it reaches a uuid column). */
export const uuidParam = (name: string) => z.uuid({ error: `${name} must be a UUID` });

/** A file in a body or response (OpenAPI: a binary string). */
export const binary = z.string().meta({ format: "binary" });

export { jsonBody, queryOf };
