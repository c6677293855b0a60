import { describe, expect, it } from "vitest";
import {
  acceptsWork,
  afterAckTimeout,
  isOverdue,
  negotiateHeartbeat,
  pickLeastLoaded,
  planPlacements,
  shouldRenewToken,
  sweepIntervalMs,
  tokenTtlSeconds,
} from "./policy";

const w = (id: string, capacity: number, assigned: number, healthy = true) => ({ id, capacity, assigned, healthy });

describe("fleet policy (A3, W5, W8, W11)", () => {
  it("picks the least-loaded healthy worker with free capacity, ties by count then id", () => {
    expect(pickLeastLoaded([w("a", 4, 2), w("b", 4, 1), w("c", 2, 1)])?.id).toBe("b");
    expect(pickLeastLoaded([w("b", 2, 0), w("a", 2, 0)])?.id).toBe("a");
    expect(pickLeastLoaded([w("a", 2, 2), w("b", 1, 0, false)])).toBeNull();
    expect(pickLeastLoaded([w("a", 0, 0)])).toBeNull();
    expect(pickLeastLoaded([w("a", 4, 0), w("b", 4, 1)], new Set(["a"]))?.id).toBe("b");
  });

  it("spreads a lost worker's cameras and leaves the overflow unassigned", () => {
    const plan = planPlacements(["c1", "c2", "c3", "c4", "c5"], [w("a", 2, 0), w("b", 2, 1), w("dead", 9, 0, false)]);
    expect([...plan.values()]).toEqual(["a", "a", "b", null, null]);
  });

  it("decides OFFLINE after the configured misses", () => {
    expect(isOverdue(0, 1000, 3, 3000)).toBe(false);
    expect(isOverdue(0, 1000, 3, 3001)).toBe(true);
  });

  it("accepts work only when connected and healthy", () => {
    expect(acceptsWork("IDLE", false, true)).toBe(true);
    expect(acceptsWork("PROCESSING", false, true)).toBe(true);
    for (const s of ["OFFLINE", "ERROR", "MAINTENANCE"] as const) expect(acceptsWork(s, false, true)).toBe(false);
    expect(acceptsWork("IDLE", true, true)).toBe(false);
    expect(acceptsWork("IDLE", false, false)).toBe(false);
  });

  it("negotiates heartbeats, token lifetimes and renewals", () => {
    expect(negotiateHeartbeat(undefined, { defaultMs: 30_000, minMs: 250 })).toBe(30_000);
    expect(negotiateHeartbeat(100, { defaultMs: 30_000, minMs: 250 })).toBe(250);
    expect(negotiateHeartbeat(1000, { defaultMs: 30_000, minMs: 250 })).toBe(1000);
    expect(tokenTtlSeconds(60, 30_000)).toBe(120);
    expect(tokenTtlSeconds(900, 30_000)).toBe(900);
    expect(shouldRenewToken(0, 1000, 499)).toBe(false);
    expect(shouldRenewToken(0, 1000, 500)).toBe(true);
    expect(afterAckTimeout(1, 3)).toBe("resend");
    expect(afterAckTimeout(3, 3)).toBe("timeout");
    expect(sweepIntervalMs(300)).toBe(75);
    expect(sweepIntervalMs(60_000)).toBe(1_000);
  });
});
