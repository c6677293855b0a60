// One onnxruntime-node InferenceSession per model file per process (SPEC D1): every camera running the same model
// on a worker shares it. Ref-counted: the session is released when the last user releases it. The first
// acquirer's thread count wins while the session is open (a later, different request is ignored: one session per
// file); executionMode is always sequential (one model graph has no parallel branches worth a second pool).
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
  let entry = open.get(path);
  if (!entry) {
    const created: Entry = {
      refs: 0,
      threads: options.threads,
      session: ort.InferenceSession.create(path, {
        intraOpNumThreads: options.threads,
        interOpNumThreads: 1,
        executionMode: "sequential",
        graphOptimizationLevel: "all",
      }),
    };
    entry = created;
    open.set(path, created);
    created.session.catch(() => {
      if (open.get(path) === created) open.delete(path);
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
      if (held.refs === 0 && open.get(path) === held) {
        open.delete(path);
        await session.release();
      }
    },
  };
}

/** How many sessions are open (tests). */
export const openSessionCount = () => open.size;
