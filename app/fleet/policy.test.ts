import { describe, expect, it } from "vitest";
import {
  acceptsWork,
  afterAckTimeout,
  isOverdue,
  negotiateHeartbeat,
  offlineVerdict,
  pickLeastLoaded,
  planPlacements,
  registerRefusal,
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

  it("fills the tenant's own workers before the shared pool (issue 12)", () => {
    const shared = { ...w("pool", 8, 0), shared: true };
    expect(pickLeastLoaded([shared, w("own", 2, 1)])?.id).toBe("own");
    expect(pickLeastLoaded([shared, w("own", 2, 2)])?.id).toBe("pool");
    expect([...planPlacements(["c1", "c2", "c3"], [shared, w("own", 2, 0)]).values()]).toEqual(["own", "own", "pool"]);
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

  it("fails a closed socket over after the grace, a silent one after the missed heartbeats (W11)", () => {
    const rules = { misses: 3, disconnectGraceMs: 5_000 };
    const connected = { lastSeenMs: 0, heartbeatMs: 30_000 };
    expect(offlineVerdict(connected, rules, 89_999)).toBeNull();
    expect(offlineVerdict(connected, rules, 90_001)).toBe("missed-heartbeats");
    const closed = { ...connected, disconnectedAtMs: 10_000 };
    expect(offlineVerdict(closed, rules, 14_999)).toBeNull();
    expect(offlineVerdict(closed, rules, 15_000)).toBe("disconnected");
    // A server restart's reconnect grace holds the heartbeat rule back, not a socket seen closing since.
    const loaded = { ...connected, graceUntilMs: 200_000 };
    expect(offlineVerdict(loaded, rules, 150_000)).toBeNull();
    expect(offlineVerdict({ ...loaded, disconnectedAtMs: 150_000 }, rules, 155_000)).toBe("disconnected");
    // A grace of 0 fails over at the next sweep.
    expect(offlineVerdict(closed, { ...rules, disconnectGraceMs: 0 }, 10_000)).toBe("disconnected");
    expect(sweepIntervalMs(30_000, 5_000)).toBe(1_000);
    expect(sweepIntervalMs(30_000, 1_000)).toBe(250);
    expect(sweepIntervalMs(30_000, 0)).toBe(50);
  });

  it("registers one worker per connection and says only 'not available' for another tenant's id (W1)", () => {
    const base = { requestedId: "w1", tenantId: "t1", socketId: "s1" };
    expect(registerRefusal(base)).toBeNull();
    // The same id again on the same connection: idempotent.
    expect(
      registerRefusal({ ...base, connectionWorkerId: "w1", existing: { tenantId: "t1", linkSocketId: "s1" } }),
    ).toBeNull();
    // A returning id whose old connection is gone.
    expect(registerRefusal({ ...base, existing: { tenantId: "t1", linkSocketId: null } })).toBeNull();
    const second = registerRefusal({ ...base, requestedId: "w2", connectionWorkerId: "w1" });
    expect(second?.code).toBe("conflict");
    expect(second?.message).toMatch(/one connection is one worker/);
    const foreign = registerRefusal({ ...base, existing: { tenantId: "t2", linkSocketId: "s9" } });
    expect(foreign).toEqual({ code: "conflict", message: 'Worker id "w1" is not available: use another --id' });
    expect(foreign?.message).not.toMatch(/tenant|connected|belongs/i);
    // Offline in the other tenant: the same answer.
    expect(registerRefusal({ ...base, existing: { tenantId: "t2", linkSocketId: null } })).toEqual(foreign);
    const live = registerRefusal({ ...base, existing: { tenantId: "t1", linkSocketId: "s2", connectedAt: 0 } });
    expect(live?.code).toBe("already_registered");
    expect(live?.message).toMatch(/already connected \(since 1970-01-01T00:00:00.000Z\)/);
  });
});
