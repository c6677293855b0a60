// The server's face analyzer for enrolment (issue 14, S1): the very implementation the workers run
// (worker/faces/face-analyzer.ts), so gallery and camera embeddings come from identical preprocessing. Created lazily
// on the first enrolment, once per process (globalThis: the Remix build and server.ts share it), and used by one
// enrolment at a time: the machine's cores belong to the camera pipelines and the server's requests.
import { createFaceAnalyzer } from "../../../worker/faces/face-analyzer";
import type { FaceAnalyzer } from "../../../worker/faces/types";
import { singleton } from "../../utils/singleton.server";
import { HttpError } from "../../utils/errors.server";

interface AnalyzerSlot {
  analyzer: Promise<FaceAnalyzer> | null;
  queue: Promise<unknown>;
}

const slot = singleton<AnalyzerSlot>("staff-face-analyzer", () => ({ analyzer: null, queue: Promise.resolve() }));

function analyzer(): Promise<FaceAnalyzer> {
  slot.analyzer ??= createFaceAnalyzer({ threads: 1 }).catch((error: unknown) => {
    slot.analyzer = null; // models installed later (npm run setup) are picked up by the next enrolment
    throw new HttpError(
      503,
      `Face models are not available on the server (${error instanceof Error ? error.message : String(error)})`,
    );
  });
  return slot.analyzer;
}

/** Runs `work` with the analyzer, one at a time per process. */
export function withFaceAnalyzer<T>(work: (analyzer: FaceAnalyzer) => Promise<T>): Promise<T> {
  const run = slot.queue.then(async () => work(await analyzer()));
  slot.queue = run.catch(() => undefined);
  return run;
}
