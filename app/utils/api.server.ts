// Helpers for /api/v1 resource routes: parse bodies with zod, turn every failure into a clear 4xx JSON.
import type { z } from "zod";
import { ZodError } from "zod";
import { toResponse } from "../auth/guards.server";
import { badRequest, HttpError } from "./errors.server";

export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.includes("application/json")) throw new HttpError(415, "Send the body as application/json");
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw badRequest("Body is not valid JSON");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw badRequest("Invalid request body", formatIssues(parsed.error));
  return parsed.data;
}

export function formatIssues(error: ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

/** Wraps an API loader/action so HttpError and ZodError become JSON 4xx, never a 500 page. */
export function api<Args extends { request: Request }>(handler: (args: Args) => Promise<Response>) {
  return async (args: Args): Promise<Response> => {
    try {
      return await handler(args);
    } catch (error) {
      if (error instanceof ZodError)
        return Response.json(
          { error: "bad_request", message: "Invalid input", details: formatIssues(error) },
          { status: 400 },
        );
      const mapped = toResponse(error, args.request);
      if (mapped instanceof Response) return mapped;
      throw error;
    }
  };
}

export function methodNotAllowed(allowed: string[]): Response {
  return Response.json(
    { error: "method_not_allowed", message: `Use ${allowed.join(", ")}` },
    { status: 405, headers: { Allow: allowed.join(", ") } },
  );
}
