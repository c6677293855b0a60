// The body of the face analyzer's thread (issue 14, D6; why: worker/models/detector-thread.ts - onnxruntime-node runs
// a session synchronously on the calling thread, and a face search + embedding is ~40 ms of CPU). It only turns
// messages into createFaceAnalyzer() calls; threaded-analyzer.ts owns the thread. Pixels arrive transferred, are
// used for this one call and dropped (C6).
import { parentPort, workerData } from "node:worker_threads";
import { createFaceAnalyzer, type FaceAnalyzerOptions } from "./face-analyzer";
import type { FoundFace, PixelRect } from "./types";

export type AnalyzerThreadInit = Pick<FaceAnalyzerOptions, "modelsDir" | "threads" | "detector" | "embedderId">;
interface Pixels {
  width: number;
  height: number;
  data: ArrayBuffer;
}
export type AnalyzerThreadRequest =
  | ({ id: number; kind: "detect"; region?: PixelRect } & Pixels)
  | ({ id: number; kind: "embed"; face: FoundFace } & Pixels)
  | { id: number; kind: "close" };
export type AnalyzerThreadReply =
  | { id: number; ok: true; faces: FoundFace[] }
  | { id: number; ok: true; embedding: Float32Array }
  | { id: number; ok: true; closed: true }
  | { id: number; ok: false; error: string }
  | { id: -1; ok: true; ready: { embedderId: string; embedderVersion: string; dimensions: number } }
  | { id: -1; ok: false; error: string };

const port = parentPort!;
try {
  const analyzer = await createFaceAnalyzer(workerData as AnalyzerThreadInit);
  port.on("message", async (request: AnalyzerThreadRequest) => {
    if (request.kind === "close") {
      await analyzer.close();
      port.postMessage({ id: request.id, ok: true, closed: true } satisfies AnalyzerThreadReply);
      port.close();
      return;
    }
    try {
      const image = { width: request.width, height: request.height, data: new Uint8Array(request.data) };
      if (request.kind === "detect") {
        const faces = await analyzer.detect(image, request.region);
        port.postMessage({ id: request.id, ok: true, faces } satisfies AnalyzerThreadReply);
      } else {
        const embedding = await analyzer.embed(image, request.face);
        port.postMessage({ id: request.id, ok: true, embedding } satisfies AnalyzerThreadReply, [
          embedding.buffer as ArrayBuffer,
        ]);
      }
    } catch (error) {
      port.postMessage({ id: request.id, ok: false, error: (error as Error).message } satisfies AnalyzerThreadReply);
    }
  });
  port.postMessage({
    id: -1,
    ok: true,
    ready: {
      embedderId: analyzer.embedderId,
      embedderVersion: analyzer.embedderVersion,
      dimensions: analyzer.dimensions,
    },
  } satisfies AnalyzerThreadReply);
} catch (error) {
  port.postMessage({ id: -1, ok: false, error: (error as Error).message } satisfies AnalyzerThreadReply);
}
