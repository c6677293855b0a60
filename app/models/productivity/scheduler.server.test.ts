import { afterEach, describe, expect, it, vi } from "vitest";
import type { Db } from "../../../db/client";
import type { Logger } from "../../logger.server";
import { notifyEventsStored } from "./ingest.server";
import { ProductivityScheduler } from "./scheduler.server";

// The scheduler forwards ingest notifications to tenant rooms, at most one per tenant per second,
// with the counts that arrived in between summed into the trailing one.
describe("ProductivityScheduler live events", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("throttles productivity:events per tenant and sums what it held back", async () => {
    vi.useFakeTimers();
    const emitted: Array<[string, string, unknown]> = [];
    const realtime = {
      emitToTenant: (tenant: string, event: string, payload: unknown) => void emitted.push([tenant, event, payload]),
    };
    const logger = { info() {}, debug() {}, warn() {} } as unknown as Logger;
    const scheduler = ProductivityScheduler.create({} as Db, realtime as never, logger, { driftIntervalMs: 3_600_000 });
    const notify = (tenantId: string, stored: number, latest: string) =>
      notifyEventsStored({ tenantId, stored, latest });
    notify("a", 10, "t1");
    notify("a", 5, "t2");
    notify("a", 7, "t3");
    notify("b", 1, "t1");
    expect(emitted).toEqual([
      ["a", "productivity:events", { stored: 10, latest: "t1" }],
      ["b", "productivity:events", { stored: 1, latest: "t1" }],
    ]);
    vi.advanceTimersByTime(1000);
    expect(emitted.slice(2)).toEqual([["a", "productivity:events", { stored: 12, latest: "t3" }]]);
    vi.advanceTimersByTime(5000);
    expect(emitted).toHaveLength(3); // nothing more was held back
    notify("a", 2, "t4");
    expect(emitted[3]).toEqual(["a", "productivity:events", { stored: 2, latest: "t4" }]);
    await scheduler.close();
  });
});
