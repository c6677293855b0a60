// The worker's FaceAnalyzer in its own thread (issue 14, D6): the same createFaceAnalyzer() the server's enrolment
// uses, run in a worker thread like the detectors (worker/models/threaded-detector.ts), so a face search or an
// embedding never stalls the worker's event loop (RTP relay, heartbeats, socket.io). Each call copies the frame into
// a fresh buffer that is transferred (the caller keeps its frame); calls are answered in order by the one thread.
import { Worker } from "node:worker_threads";
import type { AnalyzerThreadInit, AnalyzerThreadReply, AnalyzerThreadRequest } from "./analyzer-thread";
import type { FaceAnalyzer, FoundFace, PixelRect, RgbImage } from "./types";

export async function createThreadedFaceAnalyzer(init: AnalyzerThreadInit = {}): Promise<FaceAnalyzer> {
  // The thread body is TypeScript: a worker started with `node --import tsx` passes that on; elsewhere (vitest) it
  // is added here.
  const tsx = process.execArgv.some((a) => a.includes("tsx"));
  const worker = new Worker(new URL("./analyzer-thread.ts", import.meta.url), {
    workerData: init,
    ...(tsx ? {} : { execArgv: [...process.execArgv, "--import", "tsx"] }),
  });
  const ready = await new Promise<AnalyzerThreadReply>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`face analyzer thread exited (${code}) before it was ready`)));
  });
  if (!ready.ok || !("ready" in ready)) {
    await worker.terminate();
    throw new Error(ready.ok ? "unexpected reply from the face analyzer thread" : ready.error);
  }
  return new ThreadedFaceAnalyzer(worker, ready.ready);
}

type Waiter = { resolve: (reply: AnalyzerThreadReply) => void; reject: (e: Error) => void };

class ThreadedFaceAnalyzer implements FaceAnalyzer {
  readonly embedderId: string;
  readonly embedderVersion: string;
  readonly dimensions: number;
  private nextId = 0;
  private readonly pending = new Map<number, Waiter>();
  private closing: Promise<void> | null = null;

  constructor(
    private readonly worker: Worker,
    info: { embedderId: string; embedderVersion: string; dimensions: number },
  ) {
    this.embedderId = info.embedderId;
    this.embedderVersion = info.embedderVersion;
    this.dimensions = info.dimensions;
    worker.on("message", (reply: AnalyzerThreadReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply);
      else waiter.reject(new Error(reply.error));
    });
    const fail = (error: Error) => {
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`face analyzer thread exited (${code})`)));
  }

  async detect(image: RgbImage, region?: PixelRect): Promise<FoundFace[]> {
    const reply = await this.call((id, pixels) => ({ id, kind: "detect", region, ...pixels }), image);
    if (!("faces" in reply)) throw new Error("unexpected reply from the face analyzer thread");
    return reply.faces;
  }

  async embed(image: RgbImage, face: FoundFace): Promise<Float32Array> {
    const reply = await this.call((id, pixels) => ({ id, kind: "embed", face, ...pixels }), image);
    if (!("embedding" in reply)) throw new Error("unexpected reply from the face analyzer thread");
    return reply.embedding;
  }

  private call(
    build: (id: number, pixels: { width: number; height: number; data: ArrayBuffer }) => AnalyzerThreadRequest,
    image: RgbImage,
  ): Promise<AnalyzerThreadReply> {
    if (this.closing) return Promise.reject(new Error("face analyzer closed"));
    const data = new ArrayBuffer(image.data.byteLength);
    new Uint8Array(data).set(image.data);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(build(id, { width: image.width, height: image.height, data }), [data]);
    });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      const id = this.nextId++;
      const closed = new Promise<void>((resolve) =>
        this.pending.set(id, { resolve: () => resolve(), reject: () => resolve() }),
      );
      this.worker.postMessage({ id, kind: "close" } satisfies AnalyzerThreadRequest);
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000))]);
      await this.worker.terminate();
    })();
    return this.closing;
  }
}
