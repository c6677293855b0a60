// Who may call a productivity API: a signed-in member (session cookie, tenant from X-Argus-Tenant or
// the session) or a machine holding a tenant API key (`Authorization: Bearer argus_pk_...`).
// API keys act for their own tenant only, and only where a route allows them. A live key may always
// ingest and read (operator level); on admin endpoints (data management) it acts as the admin who
// issued it, and only while that person is still an admin of the key's tenant.
import type { AppLoadContext } from "@remix-run/node";
import type { Role } from "../../../db/schema";
import { requireTenant, TENANT_HEADER, toResponse } from "../../auth/guards.server";
import { forbidden, HttpError } from "../../utils/errors.server";
import { hasRole, scopeFor, type TenantScope } from "../scope.server";
import { verifyApiKey } from "./api-keys.server";
import { DEVICE_KEY_PREFIX, verifyDeviceKey, type DeviceKeyClaims } from "./device-keys.server";
import type { ProductivityScope } from "./scope";

export interface ProductivityAccess {
  scope: ProductivityScope;
  /**
   * Set for session callers, and for API keys on admin endpoints (then the scope of the key's issuer),
   * for writes that check a role and audit a user.
   */
  tenantScope: TenantScope | null;
  apiKeyId: string | null;
  /** Set for on-device keys (device-keys.server.ts): the caller may post only for this worker and workstation. */
  device?: DeviceKeyClaims;
}

export async function requireProductivityAccess(
  request: Request,
  context: AppLoadContext,
  options: { minimum: Role; allowApiKey: boolean; allowDeviceKey?: boolean },
): Promise<ProductivityAccess> {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  if (bearer?.startsWith(DEVICE_KEY_PREFIX)) {
    // Scoped on-device keys only ingest; the route checks each event against device.ws/device.wk.
    if (!options.allowDeviceKey) throw toResponse(forbidden("On-device keys can only post events"), request);
    const device = await verifyDeviceKey(context.services.db, bearer);
    if (!device) throw toResponse(new HttpError(401, "Invalid, expired or revoked on-device key"), request);
    return { scope: { db: context.services.db, tenantId: device.tid }, tenantScope: null, apiKeyId: null, device };
  }
  if (bearer) {
    try {
      if (!options.allowApiKey) throw forbidden("API keys cannot call this endpoint; sign in instead");
      const key = await verifyApiKey(context.services.db, bearer);
      if (!key) throw new HttpError(401, "Invalid or revoked API key");
      const wanted = request.headers.get(TENANT_HEADER);
      if (wanted && wanted !== key.tenantId) throw forbidden("This API key belongs to another tenant");
      const scope = { db: context.services.db, tenantId: key.tenantId };
      if (hasRole("operator", options.minimum)) return { scope, tenantScope: null, apiKeyId: key.id };
      // Above operator: the key acts as its issuer, who must still hold the role in the key's tenant.
      const issuer = key.createdBy
        ? await scopeFor(context.services.db, key.createdBy, key.tenantId).catch(() => null)
        : null;
      if (!issuer || !hasRole(issuer.role, options.minimum)) {
        throw forbidden(
          `This needs the ${options.minimum} role: use an API key issued by a current ${options.minimum} of the tenant`,
        );
      }
      return { scope, tenantScope: issuer, apiKeyId: key.id };
    } catch (error) {
      throw toResponse(error, request);
    }
  }
  const { scope } = await requireTenant(request, context, options.minimum);
  return { scope, tenantScope: scope, apiKeyId: null };
}

/** Data management (P4): a tenant admin's session, or an API key issued by a current tenant admin. */
export async function requireDataAdmin(request: Request, context: AppLoadContext): Promise<TenantScope> {
  const { tenantScope } = await requireProductivityAccess(request, context, { minimum: "admin", allowApiKey: true });
  return tenantScope!;
}
