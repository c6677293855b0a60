// Who may call an /api/v1 operation (issue 12 §3): each guard authenticates one way, answers the 401/403 its
// existing route answered, and hands the handler what it resolved (a tenant scope, the user, a worker's claims).
// Its `doc` is what the OpenAPI document says about access, so the docs cannot drift from the check.
import type { AppLoadContext } from "@remix-run/node";
import type { Role } from "../../db/schema";
import { requirePlatformAdmin, requireTenant, requireUser, type TenantContext } from "../auth/guards.server";
import {
  requireDataAdmin,
  requireProductivityAccess,
  type ProductivityAccess,
} from "../models/productivity/access.server";
import type { TenantScope } from "../models/scope.server";
import type { RequestAuth } from "../services.server";
import { HttpError } from "../utils/errors.server";

export type SecurityScheme = "session" | "apiKey" | "deviceKey" | "workerCredential" | "workerToken";

export interface Guard<T> {
  doc: {
    /** OpenAPI security schemes, any one of which is enough; empty for public operations. */
    security: SecurityScheme[];
    /** One sentence for the reader: "Access: operator+ session or tenant API key." */
    access: string;
    /** The role a 403 is about, if any. */
    role?: Role;
  };
  resolve(request: Request, context: AppLoadContext): Promise<T>;
}

export type Guarded<G> = G extends Guard<infer T> ? T : never;

/** No check: documents that hold no data (the OpenAPI document itself). */
export const publicAccess: Guard<null> = {
  doc: { security: [], access: "Access: anyone; no sign-in needed." },
  resolve: () => Promise.resolve(null),
};

/** Any signed-in user, tenant or not. */
export const signedIn: Guard<RequestAuth> = {
  doc: { security: ["session"], access: "Access: any signed-in user." },
  resolve: (request, context) => Promise.resolve(requireUser(request, context)),
};

export const platformAdmin: Guard<RequestAuth> = {
  doc: { security: ["session"], access: "Access: platform admins." },
  resolve: (request, context) => Promise.resolve(requirePlatformAdmin(request, context)),
};

/** A member of the request's tenant (X-Argus-Tenant header, else the session's) with at least `role`. */
export function tenantMember(role: Role = "viewer"): Guard<TenantContext> {
  return {
    doc: { security: ["session"], access: `Access: ${role}+ session; API keys are not accepted.`, role },
    resolve: (request, context) => requireTenant(request, context, role),
  };
}

/** A member's session or a tenant API key (productivity API, P6); above operator the key acts as its issuer. */
export function memberOrApiKey(role: Role = "viewer"): Guard<ProductivityAccess> {
  const key = role === "admin" ? "an API key issued by a current tenant admin" : "tenant API key";
  return {
    doc: { security: ["session", "apiKey"], access: `Access: ${role}+ session or ${key}.`, role },
    resolve: (request, context) => requireProductivityAccess(request, context, { minimum: role, allowApiKey: true }),
  };
}

/** Event ingestion (P1): a member's session, a tenant API key, or a scoped on-device key (its events are checked). */
export function ingestAccess(role: Role = "operator"): Guard<ProductivityAccess> {
  return {
    doc: {
      security: ["session", "apiKey", "deviceKey"],
      access: `Access: ${role}+ session, tenant API key, or an on-device key (only for its own worker and workstation).`,
      role,
    },
    resolve: (request, context) =>
      requireProductivityAccess(request, context, { minimum: role, allowApiKey: true, allowDeviceKey: true }),
  };
}

/** Data management (P4): a tenant admin's session or an API key issued by a current tenant admin. */
export const dataAdmin: Guard<TenantScope> = {
  doc: {
    security: ["session", "apiKey"],
    access: "Access: admin+ session or an API key issued by a current tenant admin.",
    role: "admin",
  },
  resolve: requireDataAdmin,
};

function bearer(request: Request, pattern: RegExp, message: string): string {
  const match = pattern.exec(request.headers.get("authorization") ?? "");
  if (!match) throw new HttpError(401, message);
  return match[1];
}

/** A worker's long-lived credential (`Authorization: Bearer <credential>`), exchanged for a socket token (W8). */
export const workerCredential: Guard<string> = {
  doc: { security: ["workerCredential"], access: "Access: a worker credential as the bearer token; no session." },
  resolve: (request) =>
    Promise.resolve(
      bearer(request, /^Bearer\s+(\S{10,200})$/i, "Send the worker credential as Authorization: Bearer <credential>"),
    ),
};

/** A worker's short-lived signed token (as on the /workers socket), revocation checked. */
export const workerToken = {
  doc: { security: ["workerToken"], access: "Access: a worker's signed token as the bearer token; no session." },
  resolve: (request: Request, context: AppLoadContext) => {
    const token = bearer(
      request,
      /^Bearer\s+(\S{10,4096})$/i,
      "Send the worker token as Authorization: Bearer <token>",
    );
    const verified = context.services.fleet.credentials.verify(token);
    if (!verified.ok) throw new HttpError(401, verified.message);
    return Promise.resolve(verified.claims);
  },
} satisfies Guard<unknown>;
