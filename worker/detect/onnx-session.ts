// One onnxruntime-node InferenceSession per model file per process (SPEC D1): every camera running the same model
// on a worker shares it (a worker has one thread setting, so one session per file; sessions are keyed by file and
// thread count so a benchmark can hold 1- and 2-thread sessions side by side). Ref-counted: the session is
// released when the last holder releases it. executionMode is sequential (these graphs have no parallel branches
// worth a second pool); intra-op threads come from detectorConfigSchema.
import * as ort from "onnxruntime-node";

export interface SessionOptions {
  /** Intra-op threads (1-16). */
  threads: number;
}

export interface SharedSession {
  readonly session: ort.InferenceSession;
  readonly path: string;
  readonly threads: number;
  /** Idempotent; the session closes when every holder has released it. */
  release(): Promise<void>;
}

interface Entry {
  session: Promise<ort.InferenceSession>;
  refs: number;
  threads: number;
}

const open = new Map<string, Entry>();

export async function acquireSession(path: string, options: SessionOptions): Promise<SharedSession> {
  const key = `${options.threads}:${path}`;
  let entry = open.get(key);
  if (!entry) {
    const created: Entry = {
      refs: 0,
      threads: options.threads,
      session: ort.InferenceSession.create(path, {
        intraOpNumThreads: options.threads,
        interOpNumThreads: 1,
        executionMode: "sequential",
        graphOptimizationLevel: "all",
        // Errors only: onnxruntime writes its warnings (e.g. BlazeFace's unused initializers, on every load) straight
        // to stderr, outside our structured logs; a failed load still throws with its message.
        logSeverityLevel: 3,
      }),
    };
    entry = created;
    open.set(key, created);
    created.session.catch(() => {
      if (open.get(key) === created) open.delete(key);
    });
  }
  entry.refs++;
  const held = entry;
  let session: ort.InferenceSession;
  try {
    session = await held.session;
  } catch (error) {
    held.refs--;
    throw new Error(`cannot load ONNX model ${path}: ${(error as Error).message}`);
  }
  let released = false;
  return {
    session,
    path,
    threads: held.threads,
    async release() {
      if (released) return;
      released = true;
      held.refs--;
      if (held.refs === 0 && open.get(key) === held) {
        open.delete(key);
        await session.release();
      }
    },
  };
}

/** How many sessions are open (tests). */
export const openSessionCount = () => open.size;
