// The OpenAPI 3.1 document of every /api/v1 route (issue 12 §3, P6), generated from the declarations the routes
// run on (app/http/api-route.server.ts): their guards, path/query/body schemas and documented responses. zod 4's
// z.toJSONSchema emits JSON Schema 2020-12, OpenAPI 3.1's schema dialect. Served at /api/v1/openapi.json and
// rendered at /docs and /api-docs. It holds no data, so it is readable without a session.
import { z } from "zod";
import { errorSchema } from "../models/productivity/schemas";
import type { SecurityScheme } from "./api-route-guards.server";
import { listApiRoutes, METHOD_ORDER, pathParameterNames, type ApiRoute, type ResponseDoc } from "./api-route.server";

export interface OpenApiParameter {
  name: string;
  in: "path" | "query";
  required: boolean;
  description?: string;
  schema: Record<string, unknown>;
}
export interface OpenApiOperation {
  tags: string[];
  summary: string;
  description: string;
  operationId: string;
  parameters: OpenApiParameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Record<string, unknown> }> }>;
  security: Array<Record<string, string[]>>;
}
export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string }>;
  tags: Array<{ name: string }>;
  components: { securitySchemes: Record<string, Record<string, string>> };
  paths: Record<string, Record<string, OpenApiOperation>>;
}

const SECURITY_SCHEMES: Record<SecurityScheme, Record<string, string>> = {
  session: { type: "apiKey", in: "cookie", name: "argus_session", description: "Signed-in browser session" },
  apiKey: { type: "http", scheme: "bearer", description: "Tenant API key (issued under Productivity → Settings)" },
  deviceKey: { type: "http", scheme: "bearer", description: "On-device key (8 h, one worker at one workstation)" },
  workerCredential: { type: "http", scheme: "bearer", description: "Worker credential (issued under Workers)" },
  workerToken: { type: "http", scheme: "bearer", description: "Worker token from POST /api/v1/workers/token" },
};

const DESCRIPTION = [
  "Everything the Argus web app does, as JSON: sites, cameras and their analysis, the worker fleet, detection models and events, line-crossing analytics, members and tenants, and the factory productivity API (P1-P6).",
  "Sign in for a session cookie, or send a tenant API key as `Authorization: Bearer argus_pk_...` where an operation says so. Members of several tenants choose one with the `X-Argus-Tenant` header. Errors are JSON: `{error, message, details}`.",
  "The productivity endpoints are compatible with the documented productivity API: its requests work unchanged (plus the API key) and its response fields come in their documented names and units (hours, percentages, units per hour, rounded to 2 decimals) beside Argus's own (seconds, 0-1 ratios, null when undefined).",
].join("\n\n");

/** The reference reads top-down in this order; a tag not listed comes after these. */
const TAG_ORDER = [
  "Account and tenants",
  "Members",
  "Sites",
  "Cameras",
  "Workers",
  "Detection models",
  "Detection events",
  "Analytics",
  "Ingestion",
  "Metrics",
  "Workers and workstations",
  "Model operations",
  "Settings",
  "Data management",
  "Reference",
];
const tagRank = (tag: string) => (TAG_ORDER.includes(tag) ? TAG_ORDER.indexOf(tag) : TAG_ORDER.length);

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return rest;
}

function objectProperties(schema: z.ZodType | undefined) {
  if (!schema) return { properties: {} as Record<string, Record<string, unknown>>, required: [] as string[] };
  const json = jsonSchema(schema, "input") as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return { properties: json.properties ?? {}, required: json.required ?? [] };
}

function parameters(route: ApiRoute, query: z.ZodType | undefined): OpenApiParameter[] {
  const path = objectProperties(route.spec.params);
  const fromPath = pathParameterNames(route.spec.path).map((name) => {
    const schema = path.properties[name] ?? { type: "string" };
    return { name, in: "path" as const, required: true, description: schema.description as string, schema };
  });
  const q = objectProperties(query);
  const fromQuery = Object.entries(q.properties).map(([name, schema]) => ({
    name,
    in: "query" as const,
    required: q.required.includes(name),
    description: schema.description as string | undefined,
    schema,
  }));
  return [...fromPath, ...fromQuery];
}

const operationId = (method: string, path: string) =>
  `${method}${path
    .replace(/^\/api\/v1/, "")
    .replace(/\{(\w+)\}/g, "By_$1")
    .replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""))}`;

function responseEntry(doc: string | ResponseDoc) {
  const r = typeof doc === "string" ? { description: doc } : doc;
  if (!r.schema) return { description: r.description };
  return {
    description: r.description,
    content: { [r.contentType ?? "application/json"]: { schema: jsonSchema(r.schema, "output") } },
  };
}

export function buildOpenApiDocument(routes: ApiRoute[] = listApiRoutes()): OpenApiDocument {
  const paths: OpenApiDocument["paths"] = {};
  const tags: string[] = [];
  for (const route of routes) {
    if (!tags.includes(route.spec.tag)) tags.push(route.spec.tag);
    for (const method of METHOD_ORDER) {
      const op = route.operations[method];
      if (!op) continue;
      const responses: OpenApiOperation["responses"] = {};
      for (const [status, doc] of Object.entries(op.responses)) responses[status] = responseEntry(doc);
      const guard = op.auth.doc;
      if (guard.security.length) {
        responses["401"] ??= {
          description: "Not signed in, or invalid credentials",
          content: { "application/json": { schema: jsonSchema(errorSchema, "output") } },
        };
        if (guard.role) responses["403"] ??= { description: `Needs the ${guard.role} role in the tenant` };
      }
      const body = op.body;
      (paths[route.spec.path] ??= {})[method] = {
        tags: [route.spec.tag],
        summary: op.summary,
        description: [op.description, guard.access].filter(Boolean).join("\n\n"),
        operationId: operationId(method, route.spec.path),
        parameters: parameters(route, op.query?.schema),
        ...(body
          ? {
              requestBody: {
                required: !body.optional,
                content: Object.fromEntries(
                  (body.contentTypes ?? ["application/json"]).map((type) => [
                    type,
                    { schema: jsonSchema(body.schema, "input") },
                  ]),
                ),
              },
            }
          : {}),
        responses,
        security: guard.security.map((name) => ({ [name]: [] })),
      };
    }
  }
  return {
    openapi: "3.1.0",
    info: { title: "Argus API", version: "1.0.0", description: DESCRIPTION },
    servers: [{ url: "/" }],
    tags: tags.sort((a, b) => tagRank(a) - tagRank(b)).map((name) => ({ name })),
    components: { securitySchemes: SECURITY_SCHEMES },
    paths,
  };
}
