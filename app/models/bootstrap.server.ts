// First start: with no users, create the platform admin, a default tenant and its first site (U1).
import type { Db } from "../../db/client";
import { cameras } from "../../db/schema";
import type { Logger } from "../logger.server";
import { generatePassword } from "../auth/password.server";
import { DEMO_SCENE } from "./demo-scene";
import { generateEvents, seedSampleEntities } from "./productivity/generate.server";
import { createTenant } from "./tenants.server";
import { countUsers, createUser } from "./users.server";

export interface BootstrapResult {
  email: string;
  /** Set only when the password was generated; printed once, never logged. */
  generatedPassword?: string;
  /** The demo camera (O1), when one was created. */
  demoCameraId?: string;
  /** Events generated for the productivity sample factory (P4), when it was created. */
  productivitySampleEvents?: number;
}

export async function bootstrapAdmin(
  db: Db,
  options: {
    email: string;
    password?: string;
    logger: Logger;
    /** O1: add a camera the server plays from a clip, placed on a worker when `assign`. */
    demoCamera?: { assign: boolean };
    /** P4: give the default tenant the documented productivity sample factory (PRODUCTIVITY_SAMPLE_DATA). */
    productivitySample?: boolean;
  },
): Promise<BootstrapResult | null> {
  if ((await countUsers(db)) > 0) return null;
  const generatedPassword = options.password ? undefined : generatePassword();
  const admin = await createUser(db, {
    email: options.email,
    name: "Administrator",
    password: options.password ?? generatedPassword!,
    isPlatformAdmin: true,
  });
  const tenant = await createTenant(db, admin, { name: "Default", slug: "default" });
  options.logger.info({ userId: admin.id, tenantId: tenant.id, email: admin.email }, "bootstrap admin created");
  let demoCameraId: string | undefined;
  // D3, O1: the demo camera counts people on the clip's walkway from the first minute.
  if (options.demoCamera) {
    const [camera] = await db
      .insert(cameras)
      .values({
        tenantId: tenant.id,
        name: "Demo camera",
        kind: "demo",
        wantAssigned: options.demoCamera.assign,
        scene: DEMO_SCENE,
      })
      .returning({ id: cameras.id });
    demoCameraId = camera!.id;
    options.logger.info({ cameraId: demoCameraId, tenantId: tenant.id }, "demo camera created");
  }
  const productivitySampleEvents = options.productivitySample
    ? await createProductivitySample(db, { tenantId: tenant.id, userId: admin.id }, options.logger)
    : undefined;
  return { email: admin.email, generatedPassword, demoCameraId, productivitySampleEvents };
}

/**
 * P4: the documented productivity API assumes sample data on a fresh start (W1-W6, S1-S6, 7 days of
 * events), so its examples answer out of the box. A failure here is logged, never fatal: the admin
 * can seed and generate later (Productivity -> Settings & data, or POST /api/v1/data/initialize).
 */
export async function createProductivitySample(
  db: Db,
  owner: { tenantId: string; userId: string },
  logger: Logger,
): Promise<number | undefined> {
  const scope = { db, tenantId: owner.tenantId, userId: owner.userId, role: "admin" as const };
  try {
    const seeded = await seedSampleEntities(scope, {});
    const generated = await generateEvents(scope, { days: 7 });
    logger.info(
      { tenantId: owner.tenantId, ...seeded, events: generated.events, ms: generated.ms },
      "productivity sample factory created",
    );
    return generated.events;
  } catch (error) {
    logger.warn({ err: error, tenantId: owner.tenantId }, "productivity sample factory not created");
    return undefined;
  }
}
