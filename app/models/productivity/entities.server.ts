// Workers (people) and workstations of a tenant, addressed by the external ids CV systems send.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { factoryWorkers, factoryWorkstations } from "../../../db/schema";
import { conflict, notFound } from "../../utils/errors.server";
import { recordAudit } from "../audit.server";
import { assertRole, type TenantScope } from "../scope.server";
import { workerInputSchema, workerUpdateSchema, workstationInputSchema, workstationUpdateSchema } from "./schemas";
import type { ProductivityScope } from "./scope";

export interface WorkerView {
  worker_id: string;
  name: string;
  created_at: string;
}
export interface WorkstationView {
  workstation_id: string;
  name: string;
  station_type: string;
  created_at: string;
}

const workerView = (r: typeof factoryWorkers.$inferSelect): WorkerView => ({
  worker_id: r.externalId,
  name: r.name,
  created_at: r.createdAt.toISOString(),
});
const stationView = (r: typeof factoryWorkstations.$inferSelect): WorkstationView => ({
  workstation_id: r.externalId,
  name: r.name,
  station_type: r.stationType,
  created_at: r.createdAt.toISOString(),
});

export async function listWorkers(scope: ProductivityScope): Promise<WorkerView[]> {
  const rows = await scope.db
    .select()
    .from(factoryWorkers)
    .where(eq(factoryWorkers.tenantId, scope.tenantId))
    .orderBy(asc(sql`length(${factoryWorkers.externalId})`), asc(factoryWorkers.externalId));
  return rows.map(workerView);
}

export async function getWorker(scope: ProductivityScope, externalId: string): Promise<WorkerView> {
  const [row] = await scope.db
    .select()
    .from(factoryWorkers)
    .where(and(eq(factoryWorkers.tenantId, scope.tenantId), eq(factoryWorkers.externalId, externalId)));
  if (!row) throw notFound(`Worker "${externalId}" not found`);
  return workerView(row);
}

export async function createWorker(scope: TenantScope, input: unknown): Promise<WorkerView> {
  assertRole(scope, "operator");
  const values = workerInputSchema.parse(input);
  const [row] = await scope.db
    .insert(factoryWorkers)
    .values({ tenantId: scope.tenantId, externalId: values.worker_id, name: values.name })
    .onConflictDoNothing()
    .returning();
  if (!row) throw conflict(`A worker with id "${values.worker_id}" already exists`);
  await recordAudit(scope.db, {
    tenantId: scope.tenantId,
    userId: scope.userId,
    action: "factory.worker.create",
    details: { workerId: values.worker_id },
  });
  return workerView(row);
}

export async function updateWorker(scope: TenantScope, externalId: string, input: unknown): Promise<WorkerView> {
  assertRole(scope, "operator");
  const values = workerUpdateSchema.parse(input);
  const [row] = await scope.db
    .update(factoryWorkers)
    .set({ name: values.name })
    .where(and(eq(factoryWorkers.tenantId, scope.tenantId), eq(factoryWorkers.externalId, externalId)))
    .returning();
  if (!row) throw notFound(`Worker "${externalId}" not found`);
  return workerView(row);
}

/** Removes the worker; their past events stay (metrics list them by id without a name). */
export async function deleteWorker(scope: TenantScope, externalId: string): Promise<void> {
  assertRole(scope, "admin");
  const rows = await scope.db
    .delete(factoryWorkers)
    .where(and(eq(factoryWorkers.tenantId, scope.tenantId), eq(factoryWorkers.externalId, externalId)))
    .returning({ id: factoryWorkers.id });
  if (!rows.length) throw notFound(`Worker "${externalId}" not found`);
  await recordAudit(scope.db, {
    tenantId: scope.tenantId,
    userId: scope.userId,
    action: "factory.worker.delete",
    details: { workerId: externalId },
  });
}

export async function listWorkstations(scope: ProductivityScope): Promise<WorkstationView[]> {
  const rows = await scope.db
    .select()
    .from(factoryWorkstations)
    .where(eq(factoryWorkstations.tenantId, scope.tenantId))
    .orderBy(asc(sql`length(${factoryWorkstations.externalId})`), asc(factoryWorkstations.externalId));
  return rows.map(stationView);
}

export async function getWorkstation(scope: ProductivityScope, externalId: string): Promise<WorkstationView> {
  const [row] = await scope.db
    .select()
    .from(factoryWorkstations)
    .where(and(eq(factoryWorkstations.tenantId, scope.tenantId), eq(factoryWorkstations.externalId, externalId)));
  if (!row) throw notFound(`Workstation "${externalId}" not found`);
  return stationView(row);
}

export async function createWorkstation(scope: TenantScope, input: unknown): Promise<WorkstationView> {
  assertRole(scope, "operator");
  const values = workstationInputSchema.parse(input);
  const [row] = await scope.db
    .insert(factoryWorkstations)
    .values({
      tenantId: scope.tenantId,
      externalId: values.workstation_id,
      name: values.name,
      stationType: values.station_type,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw conflict(`A workstation with id "${values.workstation_id}" already exists`);
  await recordAudit(scope.db, {
    tenantId: scope.tenantId,
    userId: scope.userId,
    action: "factory.workstation.create",
    details: { workstationId: values.workstation_id },
  });
  return stationView(row);
}

export async function updateWorkstation(
  scope: TenantScope,
  externalId: string,
  input: unknown,
): Promise<WorkstationView> {
  assertRole(scope, "operator");
  const values = workstationUpdateSchema.parse(input);
  const set = {
    ...(values.name ? { name: values.name } : {}),
    ...(values.station_type ? { stationType: values.station_type } : {}),
  };
  if (!Object.keys(set).length) return getWorkstation(scope, externalId);
  const [row] = await scope.db
    .update(factoryWorkstations)
    .set(set)
    .where(and(eq(factoryWorkstations.tenantId, scope.tenantId), eq(factoryWorkstations.externalId, externalId)))
    .returning();
  if (!row) throw notFound(`Workstation "${externalId}" not found`);
  return stationView(row);
}

export async function deleteWorkstation(scope: TenantScope, externalId: string): Promise<void> {
  assertRole(scope, "admin");
  const rows = await scope.db
    .delete(factoryWorkstations)
    .where(and(eq(factoryWorkstations.tenantId, scope.tenantId), eq(factoryWorkstations.externalId, externalId)))
    .returning({ id: factoryWorkstations.id });
  if (!rows.length) throw notFound(`Workstation "${externalId}" not found`);
  await recordAudit(scope.db, {
    tenantId: scope.tenantId,
    userId: scope.userId,
    action: "factory.workstation.delete",
    details: { workstationId: externalId },
  });
}

/** The subset of `ids` that exist, as sets (one query per kind). */
export async function findKnownIds(
  scope: ProductivityScope,
  workerIds: string[],
  stationIds: string[],
): Promise<{ workers: Set<string>; stations: Set<string> }> {
  const [workers, stations] = await Promise.all([
    workerIds.length
      ? scope.db
          .select({ id: factoryWorkers.externalId })
          .from(factoryWorkers)
          .where(and(eq(factoryWorkers.tenantId, scope.tenantId), inArray(factoryWorkers.externalId, workerIds)))
      : [],
    stationIds.length
      ? scope.db
          .select({ id: factoryWorkstations.externalId })
          .from(factoryWorkstations)
          .where(
            and(eq(factoryWorkstations.tenantId, scope.tenantId), inArray(factoryWorkstations.externalId, stationIds)),
          )
      : [],
  ]);
  return { workers: new Set(workers.map((r) => r.id)), stations: new Set(stations.map((r) => r.id)) };
}

/** Creates any of `ids` that do not exist yet (auto-create on ingest), named after their id. */
export async function ensureEntities(
  scope: ProductivityScope,
  workerIds: string[],
  stationIds: string[],
): Promise<void> {
  if (workerIds.length) {
    await scope.db
      .insert(factoryWorkers)
      .values(workerIds.map((id) => ({ tenantId: scope.tenantId, externalId: id, name: id })))
      .onConflictDoNothing();
  }
  if (stationIds.length) {
    await scope.db
      .insert(factoryWorkstations)
      .values(stationIds.map((id) => ({ tenantId: scope.tenantId, externalId: id, name: id, stationType: "unknown" })))
      .onConflictDoNothing();
  }
}
