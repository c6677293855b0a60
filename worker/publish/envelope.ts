// The envelope of every detection event (SPEC T1): a time-ordered unique id (UUIDv7, RFC 9562), the worker's UTC and
// local wall time with the zone offset at that instant, the drift estimate against the server clock, the corrected
// UTC the server orders by, and the worker's Lamport counter. See docs/decisions/0011-event-delivery.md.
import { randomFillSync } from "node:crypto";
import type { DetectionEvent } from "../../protocol/events";
import type { DriftEstimator, LamportClock } from "../../protocol/clock";

type EnvelopeKey =
  | "eventId"
  | "cameraId"
  | "utcTimestamp"
  | "localTime"
  | "timezoneOffset"
  | "driftOffset"
  | "correctedUtc"
  | "lamport"
  | "modelId"
  | "modelVersion";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What a detection stage produces: the event without its envelope (type and type-specific fields). */
export type DetectionEventBody = DistributiveOmit<DetectionEvent, EnvelopeKey>;

export interface EventClock {
  /** The worker's clock, ms since epoch. */
  nowMs(): number;
  /** The current estimate of (server clock - worker clock), ms. */
  driftOffsetMs(): number;
  /** Ticks the worker's Lamport clock and returns the new value. */
  lamport(): number;
}

export interface EventMeta {
  cameraId: string;
  modelId: string;
  modelVersion: string;
}

/** The clock of a connected worker: `WorkerConnection.drift` and `WorkerConnection.lamport`. */
export function connectionClock(
  drift: Pick<DriftEstimator, "offsetMs">,
  lamport: Pick<LamportClock, "tick">,
  now: () => number = Date.now,
): EventClock {
  return { nowMs: now, driftOffsetMs: () => drift.offsetMs, lamport: () => lamport.tick() };
}

// ---- UUIDv7 ----------------------------------------------------------------------------------------------------
// Layout (RFC 9562 §5.7): 48-bit unix ms | ver 0111 | 12-bit rand_a | var 10 | 62-bit rand_b.
// Monotonicity within a millisecond (RFC 9562 §6.2, method 1 "fixed-length dedicated counter"): rand_a and the top
// 30 bits of rand_b form a 42-bit counter, seeded at random (top bit clear, so at least 2^41 increments fit) on
// every new millisecond and incremented for each further id in the same millisecond; the low 32 bits of rand_b stay
// random. If the clock steps backwards, the last timestamp is kept and the counter keeps counting; on the (absurd)
// overflow of the counter the timestamp is advanced by one ms. Ids from one process therefore sort strictly in
// creation order, as strings and as bytes.

const COUNTER_BITS = 42;
const COUNTER_LIMIT = 2 ** COUNTER_BITS;
const RANDOM_POOL_BYTES = 4096;
const randomPool = new Uint8Array(RANDOM_POOL_BYTES);
let randomOffset = RANDOM_POOL_BYTES;
let lastMs = -1;
let counter = 0;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function randomBytes(n: number): Uint8Array {
  if (randomOffset + n > RANDOM_POOL_BYTES) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  const out = randomPool.subarray(randomOffset, randomOffset + n);
  randomOffset += n;
  return out;
}

function seedCounter(): number {
  const r = randomBytes(6);
  // 41 random bits (1 + 8 + 32): the top bit of the 42-bit counter stays clear.
  return (r[0] & 0x01) * 2 ** 40 + r[1] * 2 ** 32 + ((r[2] << 24) >>> 0) + (r[3] << 16) + (r[4] << 8) + r[5];
}

/** A new RFC 9562 version 7 UUID: time-ordered, unique, strictly increasing within this process. */
export function uuidv7(nowMs: number = Date.now()): string {
  let ms = Math.floor(nowMs);
  if (ms > lastMs) {
    lastMs = ms;
    counter = seedCounter();
  } else {
    ms = lastMs;
    counter += 1;
    if (counter >= COUNTER_LIMIT) {
      lastMs = ms = lastMs + 1;
      counter = seedCounter();
    }
  }
  const b = new Uint8Array(16);
  // 48-bit big-endian timestamp.
  const high = Math.floor(ms / 2 ** 16);
  b[0] = (high >>> 24) & 0xff;
  b[1] = (high >>> 16) & 0xff;
  b[2] = (high >>> 8) & 0xff;
  b[3] = high & 0xff;
  b[4] = (ms >>> 8) & 0xff;
  b[5] = ms & 0xff;
  // counter: top 12 bits -> rand_a, low 30 bits -> top of rand_b.
  const counterHigh = Math.floor(counter / 2 ** 30); // 12 bits
  const counterLow = counter % 2 ** 30; // 30 bits
  b[6] = 0x70 | ((counterHigh >>> 8) & 0x0f);
  b[7] = counterHigh & 0xff;
  b[8] = 0x80 | ((counterLow >>> 24) & 0x3f);
  b[9] = (counterLow >>> 16) & 0xff;
  b[10] = (counterLow >>> 8) & 0xff;
  b[11] = counterLow & 0xff;
  b.set(randomBytes(4), 12);
  return (
    HEX[b[0]] +
    HEX[b[1]] +
    HEX[b[2]] +
    HEX[b[3]] +
    "-" +
    HEX[b[4]] +
    HEX[b[5]] +
    "-" +
    HEX[b[6]] +
    HEX[b[7]] +
    "-" +
    HEX[b[8]] +
    HEX[b[9]] +
    "-" +
    HEX[b[10]] +
    HEX[b[11]] +
    HEX[b[12]] +
    HEX[b[13]] +
    HEX[b[14]] +
    HEX[b[15]]
  );
}

/** The millisecond timestamp inside a UUIDv7. */
export function uuidv7Time(id: string): number {
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

// ---- stamping --------------------------------------------------------------------------------------------------

const pad2 = (n: number) => String(n).padStart(2, "0");

/** The local wall-clock time of `t` in this process's zone, without an offset: 2026-12-01T23:10:00.123. */
export function localWallTime(t: number): string {
  const d = new Date(t);
  const year = d.getFullYear();
  const y = year >= 0 && year <= 9999 ? String(year).padStart(4, "0") : String(year);
  return (
    `${y}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}` +
    `T${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, "0")}`
  );
}

/** Minutes east of UTC of this process's zone at the instant `t` (DST-correct: UTC+2 in a Berlin summer = 120). */
export function timezoneOffsetMinutes(t: number): number {
  const offset = -new Date(t).getTimezoneOffset();
  return offset === 0 ? 0 : offset; // no -0 in JSON
}

/**
 * T1: wraps a detection stage's event body in the envelope. Ticks the Lamport clock once. Not validated here (hot
 * path); the tests check the result against `detectionEventSchema`.
 */
export function stampEvent(body: DetectionEventBody, clock: EventClock, meta: EventMeta): DetectionEvent {
  const t = Math.floor(clock.nowMs());
  const drift = Math.round(clock.driftOffsetMs());
  return {
    ...body,
    eventId: uuidv7(t),
    cameraId: meta.cameraId,
    utcTimestamp: new Date(t).toISOString(),
    localTime: localWallTime(t),
    timezoneOffset: timezoneOffsetMinutes(t),
    driftOffset: drift,
    correctedUtc: new Date(t + drift).toISOString(),
    lamport: clock.lamport(),
    modelId: meta.modelId,
    modelVersion: meta.modelVersion,
  } as DetectionEvent;
}
