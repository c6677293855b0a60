// The fleet manager is built by server.ts outside the Remix bundle, so the HttpError it throws is a
// different class object than the bundle's. Routes call the fleet through these wrappers, which
// re-create such errors as the bundle's HttpError so api()/toResponse() map them to clear 4xx JSON.
import type { AppLoadContext } from "@remix-run/node";
import { api } from "../utils/api.server";
import { HttpError } from "../utils/errors.server";
import type { FleetManager } from "./fleet-manager.server";

export function asLocalError(error: unknown): unknown {
  if (error instanceof HttpError || !(error instanceof Error) || error.name !== "HttpError") return error;
  const foreign = error as Error & { status?: unknown; details?: unknown };
  return typeof foreign.status === "number" ? new HttpError(foreign.status, foreign.message, foreign.details) : error;
}

/** api() for fleet routes. */
export function fleetApi<Args extends { request: Request }>(handler: (args: Args) => Promise<Response>) {
  return api<Args>(async (args) => {
    try {
      return await handler(args);
    } catch (error) {
      throw asLocalError(error);
    }
  });
}

export function fleetOf(context: AppLoadContext): FleetManager {
  return context.services.fleet;
}
