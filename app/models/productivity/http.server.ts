// Small helpers the productivity API routes share (on top of app/utils/api.server.ts).
import type { z } from "zod";
import { readJson } from "../../utils/api.server";
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

/** Optional JSON body: empty bodies mean `{}` (so `curl -X POST` works for actions with defaults). */
export async function readOptionalJsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  const length = request.headers.get("content-length");
  if (length === "0" || (!length && !request.headers.get("content-type"))) return schema.parse({});
  return readJsonBody(request, schema);
}

export function rangeFromRequest(request: Request) {
  return parseRangeQuery(searchParamsObject(new URL(request.url).searchParams));
}

export const json = (body: unknown, status = 200) => Response.json(body, { status });
