// The body of a detector thread (SPEC D1): onnxruntime-node runs a session synchronously on the calling thread, so
// inference in the worker's main thread would stall its event loop for the whole run (measured: ~200 ms of lag per
// NanoDet run on a busy 2-core host) and with it the RTP relay, heartbeats and socket.io. Each model therefore runs
// in its own thread (threaded-detector.ts owns it); this file only turns messages into createDetector() calls.
import { parentPort, workerData } from "node:worker_threads";
import type { ModelDescriptor } from "../../protocol";
import { createDetector } from "../detect/create-detector";
import type { Detection, DetectOptions } from "../detect/detector";

export interface ThreadInit {
  model: ModelDescriptor;
  file: string;
  threads: number;
}
export type ThreadRequest =
  | {
      id: number;
      kind: "detect";
      width: number;
      height: number;
      data: ArrayBuffer;
      minScore?: number;
      classes?: string[];
    }
  | { id: number; kind: "close" };
export type ThreadReply =
  | { id: number; ok: true; detections: Detection[] }
  | { id: number; ok: false; error: string }
  | { id: -1; ok: true; ready: true }
  | { id: -1; ok: false; error: string };

const port = parentPort!;
const init = workerData as ThreadInit;
try {
  const detector = await createDetector(init.model, init.file, { threads: init.threads });
  port.on("message", async (request: ThreadRequest) => {
    if (request.kind === "close") {
      await detector.close();
      port.postMessage({ id: request.id, ok: true, detections: [] } satisfies ThreadReply);
      port.close();
      return;
    }
    try {
      const options: DetectOptions = {
        minScore: request.minScore,
        classes: request.classes ? new Set(request.classes) : undefined,
      };
      const image = { width: request.width, height: request.height, data: new Uint8Array(request.data) };
      const detections = await detector.detect(image, options);
      port.postMessage({ id: request.id, ok: true, detections } satisfies ThreadReply);
    } catch (error) {
      port.postMessage({ id: request.id, ok: false, error: (error as Error).message } satisfies ThreadReply);
    }
  });
  port.postMessage({ id: -1, ok: true, ready: true } satisfies ThreadReply);
} catch (error) {
  port.postMessage({ id: -1, ok: false, error: (error as Error).message } satisfies ThreadReply);
}
