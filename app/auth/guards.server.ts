// Guards every loader and action starts with (Epic Stack style). Pages get redirects to /login;
// /api/* gets 401/403 JSON. Tenant access always goes through a membership (scope.server.ts).
import { redirect, type AppLoadContext } from "@remix-run/node";
import type { Role } from "../../db/schema";
import {
  assertRole,
  listMemberships,
  scopeFor,
  type MembershipSummary,
  type TenantScope,
} from "../models/scope.server";
import type { RequestAuth } from "../services.server";
import { forbidden, HttpError } from "../utils/errors.server";

export const TENANT_HEADER = "x-argus-tenant";

function isApiRequest(request: Request): boolean {
  return new URL(request.url).pathname.startsWith("/api/");
}

export function requireUser(request: Request, context: AppLoadContext): RequestAuth {
  if (context.auth) return context.auth;
  if (isApiRequest(request)) {
    throw Response.json({ error: "unauthorized", message: "Sign in or send valid credentials" }, { status: 401 });
  }
  const url = new URL(request.url);
  const redirectTo = url.pathname.replace(/\.data$/, "") + url.search;
  throw redirect(`/login?redirectTo=${encodeURIComponent(redirectTo)}`);
}

export function requirePlatformAdmin(request: Request, context: AppLoadContext): RequestAuth {
  const auth = requireUser(request, context);
  if (!auth.user.isPlatformAdmin) throw toResponse(forbidden("Only platform admins can do this"), request);
  return auth;
}

export interface TenantContext {
  auth: RequestAuth;
  scope: TenantScope;
  memberships: MembershipSummary[];
  tenant: MembershipSummary;
}

/**
 * The tenant to act in: the `X-Argus-Tenant` header (API clients), else the session's active
 * tenant, else the user's first membership. Null when the user belongs to no tenant (yet), or
 * when the header names a tenant the user is not a member of.
 */
export async function resolveTenant(request: Request, context: AppLoadContext) {
  const auth = requireUser(request, context);
  const memberships = await listMemberships(context.services.db, auth.user.id);
  const header = request.headers.get(TENANT_HEADER);
  const wanted = header ?? auth.session.activeTenantId;
  const tenant = memberships.find((m) => m.tenantId === wanted) ?? (header ? undefined : memberships[0]);
  return { auth, memberships, tenant: tenant ?? null };
}

/** Like resolveTenant, but throws 403 without a tenant or below the minimum role. */
export async function requireTenant(
  request: Request,
  context: AppLoadContext,
  minimum: Role = "viewer",
): Promise<TenantContext> {
  const { auth, memberships, tenant } = await resolveTenant(request, context);
  try {
    if (!tenant)
      throw forbidden(
        memberships.length ? "You are not a member of this tenant" : "You are not a member of any tenant yet",
      );
    const scope = await scopeFor(context.services.db, auth.user.id, tenant.tenantId);
    assertRole(scope, minimum);
    return { auth, scope, memberships, tenant };
  } catch (error) {
    throw toResponse(error, request);
  }
}

/** Maps thrown errors to responses: JSON for the API, a Response Remix's error boundary renders for pages. */
export function toResponse(error: unknown, request: Request): unknown {
  if (error instanceof Response) return error;
  if (error instanceof HttpError) {
    const body = { error: codeFor(error.status), message: error.message, details: error.details };
    return isApiRequest(request)
      ? Response.json(body, { status: error.status })
      : new Response(error.message, { status: error.status, statusText: error.message });
  }
  return error;
}

function codeFor(status: number): string {
  return (
    (
      {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        409: "conflict",
        413: "payload_too_large",
        415: "unsupported_media_type",
        429: "too_many_requests",
      } as Record<number, string>
    )[status] ?? "error"
  );
}
