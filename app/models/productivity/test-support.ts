// Shared fixture for productivity unit tests: a real embedded TimescaleDB in a temp dir.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openDatabase, type DatabaseHandle } from "../../../db/client";
import { factoryWorkers, factoryWorkstations, tenants } from "../../../db/schema";
import type { ProductivityScope } from "./scope";

export interface TestDb {
  handle: DatabaseHandle;
  close(): Promise<void>;
  createTenant(name: string, workers: string[], stations: string[]): Promise<ProductivityScope>;
}

export async function openTestDb(): Promise<TestDb> {
  const dir = mkdtempSync(path.join(tmpdir(), "argus-productivity-"));
  const handle = await openDatabase({ dataDir: dir });
  await handle.migrate();
  return {
    handle,
    async close() {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
    async createTenant(name, workers, stations) {
      const [tenant] = await handle.db
        .insert(tenants)
        .values({ name, slug: name.toLowerCase().replace(/\W+/g, "-") })
        .returning();
      if (workers.length)
        await handle.db
          .insert(factoryWorkers)
          .values(workers.map((w) => ({ tenantId: tenant.id, externalId: w, name: `Worker ${w}` })));
      if (stations.length)
        await handle.db
          .insert(factoryWorkstations)
          .values(stations.map((s) => ({ tenantId: tenant.id, externalId: s, name: `Station ${s}` })));
      return { db: handle.db, tenantId: tenant.id };
    },
  };
}
