// Helpers for the publish tests and benches: events with a valid envelope, a fake server behind `send`, a
// capturing logger. Not used by the worker itself.
import type { DetectionEvent, EventBatch, EventBatchReply } from "../../protocol/events";
import { stampEvent, type EventClock } from "./envelope";
import type { PublishLogger } from "./spool";

export const TEST_CAMERA_ID = "01930000-0000-7000-8000-000000000001";

export function testClock(
  startMs = Date.UTC(2026, 11, 1, 23, 10),
  driftMs = 0,
): EventClock & { advance(ms: number): void } {
  let now = startMs;
  let lamport = 0;
  return {
    nowMs: () => now,
    driftOffsetMs: () => driftMs,
    lamport: () => ++lamport,
    advance(ms: number) {
      now += ms;
    },
  };
}

/** `n` valid line-crossing events, in creation (= id) order. */
export function makeEvents(n: number, clock = testClock()): DetectionEvent[] {
  const out: DetectionEvent[] = [];
  for (let i = 0; i < n; i++) {
    clock.advance(1);
    out.push(
      stampEvent(
        {
          type: "line_crossing",
          trackId: i % 1000,
          class: "car",
          confidence: 0.9,
          lineId: "line-1",
          direction: i % 2 ? "in" : "out",
        },
        clock,
        { cameraId: TEST_CAMERA_ID, modelId: "coco-yolo", modelVersion: "1.0.0" },
      ),
    );
  }
  return out;
}

export interface LogEntry {
  level: "info" | "warn" | "error";
  obj: object;
  msg?: string;
}

export function captureLogger(): PublishLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return {
    entries,
    info: (obj, msg) => void entries.push({ level: "info", obj, msg }),
    warn: (obj, msg) => void entries.push({ level: "warn", obj, msg }),
    error: (obj, msg) => void entries.push({ level: "error", obj, msg }),
  };
}

/**
 * A server that stores events idempotently by id, like the real ingest. `down` = every send rejects; `failNext` =
 * that many sends reject; `reject(event)` = the server refuses that event; `hang` = sends never settle.
 */
export class FakeServer {
  readonly stored = new Map<string, DetectionEvent>();
  /** Every batch received, in order (including replays). */
  readonly batches: EventBatch[] = [];
  down = false;
  hang = false;
  failNext = 0;
  latencyMs = 0;
  reject: (event: DetectionEvent) => string | null = () => null;

  readonly send = async (batch: EventBatch): Promise<EventBatchReply> => {
    if (this.hang) return new Promise<never>(() => {});
    if (this.down) throw new Error("not connected");
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error("no ack in time");
    }
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    this.batches.push({ batchId: batch.batchId, events: [...batch.events] });
    const reply: EventBatchReply = { batchId: batch.batchId, stored: 0, duplicates: 0, rejected: [] };
    batch.events.forEach((event, index) => {
      const reason = this.reject(event);
      if (reason) reply.rejected.push({ index, eventId: event.eventId, message: reason });
      else if (this.stored.has(event.eventId)) reply.duplicates += 1;
      else {
        this.stored.set(event.eventId, event);
        reply.stored += 1;
      }
    });
    return reply;
  };

  /** Ids in the order they were first received. */
  firstSeenOrder(): string[] {
    const seen = new Set<string>();
    for (const b of this.batches) for (const e of b.events) seen.add(e.eventId);
    return [...seen];
  }

  sentCount(): number {
    return this.batches.reduce((n, b) => n + b.events.length, 0);
  }
}

export async function waitFor(check: () => boolean, timeoutMs = 5_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
