// A stand-in PostgreSQL server for tests of the postgres.js path: PGlite + TimescaleDB on a data
// dir, served over the wire protocol by @electric-sql/pglite-socket (one connection at a time;
// others queue). Usage: node --import tsx pglite-wire-server.ts <dataDir> [port]
// Prints "listening <port>" once ready; SIGTERM/SIGINT stop it cleanly.
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { timescaledb } from "@electric-sql/pglite/timescaledb";

const [dataDir, portArg] = process.argv.slice(2);
if (!dataDir) {
  process.stderr.write("usage: pglite-wire-server.ts <dataDir> [port]\n");
  process.exit(2);
}
mkdirSync(dataDir, { recursive: true });
const db = await PGlite.create({ dataDir, extensions: { timescaledb } });
// What shared_preload_libraries does on a real server: the library is loaded before any client
// touches a hypertable (a reopened dir otherwise rejects inserts into hypertables).
await db.exec("LOAD 'timescaledb'");
const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: Number(portArg ?? 0) });
server.addEventListener("error", (event) =>
  process.stderr.write(`pglite-socket error: ${String((event as CustomEvent).detail)}\n`),
);
server.addEventListener("connection", () => process.stdout.write("connection\n"));
await server.start();
const address = server.getServerConn();
process.stdout.write(`listening ${address.split(":").pop()}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await server.stop();
  await db.close();
  process.stdout.write("stopped\n");
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
