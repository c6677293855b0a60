// Lifecycle (issue 12 follow-up): a FleetManager whose start fails half way undoes what it started - the global
// gallery listener and the command dispatcher - instead of leaving them behind. Real embedded database; the fleet's
// state table is renamed away so loading fails after the credentials and commands have started.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../db/client";
import { loadConfig } from "../config.server";
import { galleryChanges } from "../models/staff/gallery.server";
import { FleetManager } from "./fleet-manager.server";

let dataDir: string;
let handle: DatabaseHandle;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "argus-fleet-start-"));
  handle = await openDatabase({ dataDir });
  await handle.migrate();
}, 120_000);

afterAll(async () => {
  await handle?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("FleetManager.create", () => {
  it("closes what it started when loading the fleet fails", async () => {
    const publisher = { emitToTenant() {}, emitToCamera() {} } as never;
    const config = loadConfig({ ...process.env, DATA_DIR: dataDir });
    const started = await FleetManager.create(handle.db, config, publisher, pino({ level: "silent" }));
    const listening = galleryChanges.listenerCount("changed");
    await started.close();
    expect(galleryChanges.listenerCount("changed")).toBe(listening - 1);

    await handle.db.execute(sql`ALTER TABLE workers RENAME TO workers_away`);
    try {
      await expect(FleetManager.create(handle.db, config, publisher, pino({ level: "silent" }))).rejects.toThrow();
      expect(galleryChanges.listenerCount("changed")).toBe(listening - 1);
    } finally {
      await handle.db.execute(sql`ALTER TABLE workers_away RENAME TO workers`);
    }
  }, 60_000);
});
