// Test fixture (publisher.test.ts): a worker-like process that stamps and publishes events continuously to a fake
// server until it is SIGKILLed. The fake server appends every id it stores to `serverLog` before it replies, like a
// database commit before the ack. Usage: node --import tsx crash-child.fixture.ts <spoolDir> <eventLog> <serverLog>
import { appendFileSync } from "node:fs";
import type { EventBatch, EventBatchReply } from "../../protocol/events";
import { stampEvent } from "./envelope";
import { EventPublisher } from "./publisher";
import { TEST_CAMERA_ID } from "./test-support";

const [dir, eventLogPath, serverLog] = process.argv.slice(2);
let lamport = 0;
const clock = { nowMs: Date.now, driftOffsetMs: () => 0, lamport: () => ++lamport };

const send = async (batch: EventBatch): Promise<EventBatchReply> => {
  await new Promise((r) => setTimeout(r, 3));
  appendFileSync(serverLog, batch.events.map((e) => `${e.eventId}\n`).join(""));
  return { batchId: batch.batchId, stored: batch.events.length, duplicates: 0, rejected: [] };
};

const publisher = new EventPublisher({ dir, send, eventLogPath, lingerMs: 5, maxBatchEvents: 50 });
publisher.onConnected();
let n = 0;
setInterval(() => {
  for (let i = 0; i < 7; i++) {
    n += 1;
    publisher.enqueue(
      stampEvent({ type: "zone_enter", trackId: n, class: "person", confidence: 0.5, zoneId: "z" }, clock, {
        cameraId: TEST_CAMERA_ID,
        modelId: "m",
        modelVersion: "1",
      }),
    );
  }
  if (n === 700) process.stdout.write("READY\n");
}, 1);
