// The seam the media pipeline (next issue: SFU PlainTransport RTP -> ffmpeg decode, SPEC C4) plugs
// into. Until then an assigned camera honestly reports "starting" at 0 fps: no fake frames.
import type { Assignment } from "../../protocol";

export interface FrameSourceHealth {
  state: "starting" | "streaming" | "stalled" | "error" | "stopped";
  fps: number;
  latencyMs: number | null;
  error?: string;
}

export interface FrameSource {
  readonly cameraId: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): FrameSourceHealth;
}

export type FrameSourceFactory = (assignment: Assignment) => FrameSource;

/** Placeholder until the ingest stage exists: accepts the assignment, produces no frames. */
export class PendingFrameSource implements FrameSource {
  private stopped = false;
  constructor(readonly cameraId: string) {}

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    this.stopped = true;
  }

  health(): FrameSourceHealth {
    return { state: this.stopped ? "stopped" : "starting", fps: 0, latencyMs: null };
  }
}

export const createPendingFrameSource: FrameSourceFactory = (assignment) => new PendingFrameSource(assignment.cameraId);
