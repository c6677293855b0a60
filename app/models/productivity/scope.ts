// What productivity data access needs: a database and the tenant. A session's TenantScope and an
// API key's scope (access.server.ts) both fit, so ingestion and metrics work for either caller.
import type { Db } from "../../../db/client";

export interface ProductivityScope {
  readonly db: Db;
  readonly tenantId: string;
}
