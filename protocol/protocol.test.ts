import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DriftEstimator, LamportClock } from "./clock";
import { parseMessage, PROTOCOL_VERSION } from "./common";
import { commandSchema, heartbeatSchema, registerSchema, workerMessageSchemas } from "./worker";

const validRegister = {
  id: "worker-1",
  name: "Line 1",
  host: "edge-01",
  version: "0.1.0",
  capacity: 4,
  capabilities: { models: ["centernet-coco"], codecs: ["VP8"] },
};

const validHeartbeat = {
  status: "PROCESSING",
  load: { assigned: 1, capacity: 4 },
  cameras: [{ cameraId: randomUUID(), state: "streaming", fps: 5, latencyMs: 80 }],
  cpuPercent: 35.5,
  memoryMb: 210,
  sentAt: new Date().toISOString(),
  lamport: 12,
};

/** Deterministic generator of hostile values: wrong types, huge strings, nesting, prototype keys. */
function* hostileValues(seed = 1): Generator<unknown> {
  let state = seed;
  const rand = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const atoms: unknown[] = [
    null,
    undefined,
    0,
    -1,
    1e308,
    Number.NaN,
    "",
    "x".repeat(100_000),
    true,
    [],
    {},
    "__proto__",
    { __proto__: { admin: true } },
  ];
  for (let i = 0; i < 2000; i++) {
    const base: Record<string, unknown> = rand() < 0.5 ? { ...validRegister } : { ...validHeartbeat };
    const keys = Object.keys(base);
    const key = keys[Math.floor(rand() * keys.length)];
    base[key] = atoms[Math.floor(rand() * atoms.length)];
    if (rand() < 0.2) base[`extra${i}`] = "unexpected";
    yield rand() < 0.1 ? atoms[Math.floor(rand() * atoms.length)] : base;
  }
}

describe("worker protocol schemas (U4, W1, W4, W6)", () => {
  it("has a positive protocol version", () => {
    expect(PROTOCOL_VERSION).toBeGreaterThan(0);
  });

  it("accepts well-formed register and heartbeat messages", () => {
    expect(registerSchema.safeParse(validRegister).success).toBe(true);
    expect(heartbeatSchema.safeParse(validHeartbeat).success).toBe(true);
  });

  it("rejects unknown keys, bad ids and out-of-range numbers with readable messages", () => {
    const extra = parseMessage(registerSchema, { ...validRegister, isAdmin: true });
    expect(extra.success).toBe(false);
    const badId = parseMessage(registerSchema, { ...validRegister, id: "../etc/passwd" });
    expect(badId).toMatchObject({ success: false, message: expect.stringContaining("id") });
    const hugeCapacity = parseMessage(registerSchema, { ...validRegister, capacity: 10_000 });
    expect(hugeCapacity.success).toBe(false);
    const offline = parseMessage(heartbeatSchema, { ...validHeartbeat, status: "OFFLINE" });
    expect(offline.success).toBe(false);
  });

  it("never throws on thousands of hostile payloads, and rejects every mutated one", () => {
    let accepted = 0;
    for (const payload of hostileValues()) {
      for (const schema of Object.values(workerMessageSchemas)) {
        const result = parseMessage(schema, payload);
        if (result.success) accepted++;
        else expect(result.message.length).toBeLessThan(1000);
      }
    }
    // A mutation can occasionally land on a still-valid value (e.g. an optional field), but rarely.
    expect(accepted).toBeLessThan(100);
  });

  it("validates command payloads by type", () => {
    const commandId = randomUUID();
    expect(commandSchema.safeParse({ commandId, type: "SET_MAINTENANCE", payload: { on: true } }).success).toBe(true);
    expect(
      commandSchema.safeParse({ commandId, type: "SET_MAINTENANCE", payload: { cameraId: randomUUID() } }).success,
    ).toBe(false);
    expect(commandSchema.safeParse({ commandId, type: "FORMAT_DISK", payload: {} }).success).toBe(false);
  });
});

describe("time sync (T1)", () => {
  it("estimates a constant offset from symmetric round trips", () => {
    const drift = new DriftEstimator();
    for (let i = 0; i < 20; i++) {
      const sentAt = 1_000_000 + i * 1000;
      drift.add({ sentAt, receivedAt: sentAt + 40, serverTime: sentAt + 20 + 1500 });
    }
    expect(drift.offsetMs).toBe(1500);
    expect(drift.correct(2_000_000)).toBe(2_001_500);
  });

  it("smooths a single outlier instead of jumping to it", () => {
    const drift = new DriftEstimator(0.2);
    drift.add({ sentAt: 0, receivedAt: 10, serverTime: 5 + 100 });
    drift.add({ sentAt: 1000, receivedAt: 1010, serverTime: 1005 + 5100 });
    expect(drift.offsetMs).toBeGreaterThan(100);
    expect(drift.offsetMs).toBeLessThan(2000);
  });

  it("keeps Lamport order across local events and received messages", () => {
    const clock = new LamportClock();
    expect(clock.tick()).toBe(1);
    expect(clock.receive(10)).toBe(11);
    expect(clock.receive(3)).toBe(12);
    expect(clock.tick()).toBe(13);
  });
});
