// Measures the cost of an append under each fsync policy (ADR 0011): npx tsx worker/publish/spool-bench.ts [events]
// Prints µs per append for fsyncIntervalMs = 0 (fdatasync every append) and the default 1000 (write(2) only; a
// timer syncs once a second).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { EventSpool } from "./spool";
import { makeEvents } from "./test-support";

const n = Number(process.argv[2] ?? 2_000);
const events = makeEvents(n);
for (const fsyncIntervalMs of [0, 1_000]) {
  const dir = mkdtempSync(path.join(process.env.SPOOL_BENCH_DIR ?? tmpdir(), "argus-spool-bench-"));
  const spool = new EventSpool({ dir, fsyncIntervalMs });
  const t0 = process.hrtime.bigint();
  for (const e of events) spool.append(e);
  const us = Number(process.hrtime.bigint() - t0) / 1_000 / n;
  const peek0 = process.hrtime.bigint();
  let read = 0;
  for (;;) {
    const batch = spool.peek(500);
    if (batch.length === 0) break;
    read += batch.length;
    spool.ack(batch);
  }
  const peekUs = Number(process.hrtime.bigint() - peek0) / 1_000 / read;
  spool.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      fsyncIntervalMs,
      events: n,
      appendUsPerEvent: +us.toFixed(1),
      readAckUsPerEvent: +peekUs.toFixed(1),
    }),
  );
}
