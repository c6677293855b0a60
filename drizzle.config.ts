import { defineConfig } from "drizzle-kit";

// drizzle-kit only generates SQL here; the server applies migrations itself at start (db/migrate.ts),
// because drizzle-kit's pglite driver does not load the TimescaleDB extension.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
});
