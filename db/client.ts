// One factory for both database modes (SPEC O1/O2, docs/decisions/0001-embedded-timescaledb-pglite.md):
// embedded PGlite + TimescaleDB under DATA_DIR by default, a TimescaleDB server through DATABASE_URL.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { timescaledb } from "@electric-sql/pglite/timescaledb";
import { type SQL, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type DatabaseKind = "embedded" | "server";

export interface DatabaseHandle {
  kind: DatabaseKind;
  db: Db;
  /** Runs raw SQL and returns rows, whichever driver is underneath. */
  query<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  migrate(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  poolMax?: number;
  onNotice?: (message: string) => void;
}

export const migrationsFolder = path.resolve(import.meta.dirname, "migrations");

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  return options.databaseUrl ? openServerDatabase(options) : openEmbeddedDatabase(options);
}

async function openEmbeddedDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const dir = path.resolve(options.dataDir, "pglite");
  mkdirSync(dir, { recursive: true });
  const client = await PGlite.create({ dataDir: dir, extensions: { timescaledb } });
  // A reopened data dir must load the extension before the first insert into a hypertable,
  // or Postgres reports "invalid INSERT on the root table of hypertable".
  await client.exec("LOAD 'timescaledb'");
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  let closed = false;
  return {
    kind: "embedded",
    db,
    async query<T>(query: SQL) {
      const result = await (db as unknown as ReturnType<typeof drizzlePglite>).execute(query);
      return result.rows as T[];
    },
    async migrate() {
      await migratePglite(db as unknown as ReturnType<typeof drizzlePglite>, { migrationsFolder });
    },
    async ping() {
      await client.query("SELECT 1");
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}

async function openServerDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const client = postgres(options.databaseUrl!, {
    max: options.poolMax ?? 10,
    onnotice: (notice) => options.onNotice?.(String(notice.message)),
    connection: { application_name: "argus" },
  });
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  let closed = false;
  return {
    kind: "server",
    db,
    async query<T>(query: SQL) {
      const rows = await (db as unknown as ReturnType<typeof drizzlePostgres>).execute(query);
      return rows as unknown as T[];
    },
    async migrate() {
      // Without this check a plain PostgreSQL server fails inside the TimescaleDB migration with the
      // reason buried after the migration's SQL text; say what is wrong and what to do instead.
      const [row] = await client<
        { n: number }[]
      >`SELECT count(*)::int AS n FROM pg_available_extensions WHERE name = 'timescaledb'`;
      if (!row?.n) {
        throw new Error(
          "The PostgreSQL server at DATABASE_URL does not have the timescaledb extension: use a TimescaleDB server " +
            "(e.g. the timescale/timescaledb image) or unset DATABASE_URL to use the embedded database",
        );
      }
      await migratePostgres(db as unknown as ReturnType<typeof drizzlePostgres>, { migrationsFolder });
    },
    async ping() {
      await client`SELECT 1`;
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.end({ timeout: 5 });
    },
  };
}

/** True when `name` is a relation the current database knows (used by tests and ops checks). */
export async function relationExists(handle: DatabaseHandle, name: string): Promise<boolean> {
  const rows = await handle.query<{ exists: boolean }>(sql`SELECT to_regclass(${name}) IS NOT NULL AS exists`);
  return rows[0]?.exists === true;
}
