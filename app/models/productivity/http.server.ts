// Small helpers the productivity API routes share (on top of app/utils/api.server.ts).
import type { z } from "zod";
import { formatIssues, readJson } from "../../utils/api.server";
import { badRequest, HttpError } from "../../utils/errors.server";
import { parseRangeQuery } from "./metrics.server";
import { searchParamsObject } from "./schemas";

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

export function rangeFromRequest(request: Request) {
  return parseRangeQuery(searchParamsObject(new URL(request.url).searchParams));
}

export const json = (body: unknown, status = 200) => Response.json(body, { status });
