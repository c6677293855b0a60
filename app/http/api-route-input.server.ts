// How an /api/v1 operation reads its query and body (issue 12 §3). Each reader pairs the zod schema the OpenAPI
// document shows with the parse the route has always done, so a client sees the same 400/415 bodies as before:
// - jsonBody: 415 without application/json, "Body is not valid JSON", "Invalid request body" + details;
// - jsonBodyExplained: the same, with the field problems spelled out in `message` (productivity clients log it);
// - optionalJsonBody: an empty body means {} (the data endpoints' documented `curl -X POST` without a body);
// - queryOf: the URL's parameters (empty values dropped, as HTML forms send them) through a schema.
import { z } from "zod";
import { searchParamsObject } from "../models/productivity/schemas";
import { formatIssues, readJson } from "../utils/api.server";
import { badRequest, HttpError } from "../utils/errors.server";

export interface BodyReader<T> {
  /** What the document shows; for non-JSON bodies the content types it lists. */
  schema: z.ZodType;
  contentTypes?: string[];
  /** The body may be left out (it then means the defaults). */
  optional?: boolean;
  read(request: Request): Promise<T>;
}

export interface QueryReader<T> {
  schema: z.ZodType;
  read(params: URLSearchParams): T;
}

export function jsonBody<S extends z.ZodType>(schema: S): BodyReader<z.output<S>> {
  return { schema, read: (request) => readJson(request, schema) };
}

export function jsonBodyExplained<S extends z.ZodType>(schema: S): BodyReader<z.output<S>> {
  return { schema, read: (request) => readJsonBody(request, schema) };
}

export function optionalJsonBody<S extends z.ZodType>(schema: S): BodyReader<z.output<S>> {
  return { schema, optional: true, read: (request) => readOptionalJsonBody(request, schema) };
}

/**
 * A body the handler reads itself (a streamed upload, or JSON checked further by the model); `schema` documents it
 * and `read` does only what must happen before the handler.
 */
export function customBody<T>(
  schema: z.ZodType,
  read: (request: Request) => Promise<T>,
  contentTypes?: string[],
): BodyReader<T> {
  return { schema, read, contentTypes };
}

/**
 * Query parameters through `schema`: a refusal is a 400 with `message` and the field problems. `keepEmpty` passes
 * `a=` on as "" (so a schema can refuse it) instead of dropping it.
 */
export function queryOf<S extends z.ZodType>(
  schema: S,
  options: { message?: string; keepEmpty?: boolean } = {},
): QueryReader<z.output<S>> {
  const message = options.message ?? "Invalid input";
  return {
    schema,
    read: (params) => {
      const parsed = schema.safeParse(options.keepEmpty ? Object.fromEntries(params) : searchParamsObject(params));
      if (!parsed.success) throw badRequest(message, formatIssues(parsed.error));
      return parsed.data;
    },
  };
}

/** Query parameters read by a model's own parser (cross-field rules, defaults that need the clock). */
export function customQuery<T>(schema: z.ZodType, read: (params: URLSearchParams) => T): QueryReader<T> {
  return { schema, read };
}

/** readJson, with the field problems spelled out in the message itself (API clients log `message`). */
export async function readJsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  try {
    return await readJson(request, schema);
  } catch (error) {
    if (error instanceof HttpError && error.status === 400 && Array.isArray(error.details) && error.details.length) {
      const problems = (error.details as Array<{ path: string; message: string }>).map((d) =>
        d.path ? `${d.path}: ${d.message}` : d.message,
      );
      throw badRequest(`Invalid request body: ${problems.join("; ")}`, error.details);
    }
    throw error;
  }
}

/**
 * Optional JSON body: an empty body means `{}`, whatever the content type says, so the documented
 * `curl -X POST .../data/refresh` works with or without `-H "Content-Type: application/json"`.
 */
export async function readOptionalJsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  const text = await request.text();
  if (!text.trim()) {
    const parsed = schema.safeParse({});
    if (!parsed.success) throw badRequest(`Invalid request body: ${describeIssues(parsed.error)}`);
    return parsed.data;
  }
  const type = request.headers.get("content-type") ?? "";
  if (!type.includes("application/json")) throw new HttpError(415, "Send the body as application/json");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badRequest("Body is not valid JSON");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const details = formatIssues(parsed.error);
    throw badRequest(`Invalid request body: ${describeIssues(parsed.error)}`, details);
  }
  return parsed.data;
}

const describeIssues = (error: z.ZodError) =>
  error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
