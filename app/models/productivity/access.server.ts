// Who may call a productivity API: a signed-in member (session cookie, tenant from X-Argus-Tenant or
// the session) or a machine holding a tenant API key (`Authorization: Bearer argus_pk_...`).
// API keys act for their own tenant only, and only where a route allows them (ingest, reads).
import type { AppLoadContext } from "@remix-run/node";
import type { Role } from "../../../db/schema";
import { requireTenant, TENANT_HEADER, toResponse } from "../../auth/guards.server";
import { forbidden, HttpError } from "../../utils/errors.server";
import { hasRole, type TenantScope } from "../scope.server";
import { verifyApiKey } from "./api-keys.server";
import type { ProductivityScope } from "./scope";

export interface ProductivityAccess {
  scope: ProductivityScope;
  /** Set for session callers (needed by writes that audit a user). */
  tenantScope: TenantScope | null;
  apiKeyId: string | null;
}

export async function requireProductivityAccess(
  request: Request,
  context: AppLoadContext,
  options: { minimum: Role; allowApiKey: boolean },
): Promise<ProductivityAccess> {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  if (bearer) {
    try {
      if (!options.allowApiKey) throw forbidden("API keys cannot call this endpoint; sign in instead");
      if (!hasRole("operator", options.minimum)) throw forbidden("API keys cannot call this endpoint; sign in instead");
      const key = await verifyApiKey(context.services.db, bearer);
      if (!key) throw new HttpError(401, "Invalid or revoked API key");
      const wanted = request.headers.get(TENANT_HEADER);
      if (wanted && wanted !== key.tenantId) throw forbidden("This API key belongs to another tenant");
      return { scope: { db: context.services.db, tenantId: key.tenantId }, tenantScope: null, apiKeyId: key.id };
    } catch (error) {
      throw toResponse(error, request);
    }
  }
  const { scope } = await requireTenant(request, context, options.minimum);
  return { scope, tenantScope: scope, apiKeyId: null };
}
