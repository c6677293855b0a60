// The fleet manager is built by server.ts outside the Remix bundle, so the HttpError it throws is a
// different class object than the bundle's. defineApiRoute (app/http/api-route.server.ts) passes every
// route error through asLocalError, which re-creates such errors as the bundle's HttpError so they map
// to clear 4xx JSON.
import { HttpError } from "../utils/errors.server";

export function asLocalError(error: unknown): unknown {
  if (error instanceof HttpError || !(error instanceof Error) || error.name !== "HttpError") return error;
  const foreign = error as Error & { status?: unknown; details?: unknown };
  return typeof foreign.status === "number" ? new HttpError(foreign.status, foreign.message, foreign.details) : error;
}
