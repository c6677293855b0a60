// A Detector whose model runs in a worker thread (SPEC D1; why: detector-thread.ts). Frames are copied into a fresh
// buffer that is transferred, not cloned (one 0.9 MB memcpy per 640x480 frame), so the caller keeps its frame. One
// request at a time per camera is the pipeline's rule; several cameras sharing the model queue in the thread.
import { Worker } from "node:worker_threads";
import type { ModelDescriptor } from "../../protocol";
import type { Detection, DetectOptions, Detector, RgbImage } from "../detect/detector";
import type { ThreadInit, ThreadReply, ThreadRequest } from "./detector-thread";

export async function createThreadedDetector(
  model: ModelDescriptor,
  file: string,
  options: { threads: number },
): Promise<Detector> {
  const worker = new Worker(new URL("./detector-thread.ts", import.meta.url), {
    workerData: { model, file, threads: options.threads } satisfies ThreadInit,
  });
  const ready = await new Promise<ThreadReply>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`detector thread exited (${code}) before it was ready`)));
  });
  if (!ready.ok) {
    await worker.terminate();
    throw new Error(`model ${model.id}@${model.version}: ${ready.error}`);
  }
  return new ThreadedDetector(model, worker);
}

class ThreadedDetector implements Detector {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (d: Detection[]) => void; reject: (e: Error) => void }>();
  private closing: Promise<void> | null = null;

  constructor(
    readonly model: ModelDescriptor,
    private readonly worker: Worker,
  ) {
    worker.on("message", (reply: ThreadReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok && "detections" in reply) waiter.resolve(reply.detections);
      else waiter.reject(new Error(reply.ok ? "unexpected reply" : reply.error));
    });
    const fail = (error: Error) => {
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`detector thread exited (${code})`)));
  }

  detect(frame: RgbImage, options: DetectOptions = {}): Promise<Detection[]> {
    if (this.closing) return Promise.reject(new Error("detector closed"));
    const data = new ArrayBuffer(frame.data.byteLength);
    new Uint8Array(data).set(frame.data);
    const id = this.nextId++;
    const request: ThreadRequest = {
      id,
      kind: "detect",
      width: frame.width,
      height: frame.height,
      data,
      minScore: options.minScore,
      classes: options.classes ? [...options.classes] : undefined,
    };
    return new Promise<Detection[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(request, [data]);
    });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      const id = this.nextId++;
      const closed = new Promise<void>((resolve) => {
        this.pending.set(id, { resolve: () => resolve(), reject: () => resolve() });
      });
      this.worker.postMessage({ id, kind: "close" } satisfies ThreadRequest);
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000))]);
      await this.worker.terminate();
    })();
    return this.closing;
  }
}
