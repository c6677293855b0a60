// The server's face analyzer for enrolment (issue 14, S1): the very implementation the workers run
// (worker/faces/face-analyzer.ts), so gallery and camera embeddings come from identical preprocessing. Created lazily
// on the first enrolment, once per process (globalThis: the Remix build and server.ts share it), used by one
// enrolment at a time (the cores belong to the camera pipelines and the server's requests), and closed after
// IDLE_CLOSE_MS without enrolments: it holds ~100 MB (measured RSS 95 -> 198 MB) and loads again in ~0.3 s.
import { createFaceAnalyzer } from "../../../worker/faces/face-analyzer";
import type { FaceAnalyzer } from "../../../worker/faces/types";
import { HttpError } from "../../utils/errors.server";
import { singleton } from "../../utils/singleton.server";

export const IDLE_CLOSE_MS = 5 * 60_000;

interface AnalyzerSlot {
  analyzer: Promise<FaceAnalyzer> | null;
  queue: Promise<unknown>;
  idle: NodeJS.Timeout | null;
}

const slot = singleton<AnalyzerSlot>("staff-face-analyzer", () => ({
  analyzer: null,
  queue: Promise.resolve(),
  idle: null,
}));

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

/** Queued after the last enrolment, so it never closes the analyzer under a running one. */
function closeWhenIdle(): void {
  if (slot.idle) clearTimeout(slot.idle);
  slot.idle = setTimeout(() => {
    slot.idle = null;
    slot.queue = slot.queue
      .then(async () => {
        const open = slot.analyzer;
        slot.analyzer = null;
        await (await open?.catch(() => null))?.close();
      })
      .catch(() => undefined); // a failed close must not block the next enrolment
  }, IDLE_CLOSE_MS);
  slot.idle.unref();
}

/** Runs `work` with the analyzer, one at a time per process. */
export function withFaceAnalyzer<T>(work: (analyzer: FaceAnalyzer) => Promise<T>): Promise<T> {
  const run = slot.queue.then(async () => work(await analyzer()));
  slot.queue = run.catch(() => undefined).finally(closeWhenIdle);
  return run;
}
