// The cameras this worker runs (SPEC W9): one FrameSource per assignment, up to capacity.
// Every method is idempotent, so a re-sent command or a register reply can be applied again safely.
import type { Assignment } from "../protocol";
import type { FrameSource, FrameSourceFactory } from "./ingest/frame-source";

interface Running {
  assignment: Assignment;
  source: FrameSource;
  processing: boolean;
}

export class CameraRunner {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly capacity: number,
    private readonly createSource: FrameSourceFactory,
  ) {}

  get size(): number {
    return this.running.size;
  }

  has(cameraId: string): boolean {
    return this.running.has(cameraId);
  }

  /** Returns an error message instead of throwing (it becomes the command's nack). */
  async assign(assignment: Assignment): Promise<string | null> {
    const existing = this.running.get(assignment.cameraId);
    if (existing) {
      existing.assignment = assignment;
      existing.source.update?.(assignment);
      return null;
    }
    if (this.running.size >= this.capacity) return `At capacity (${this.running.size}/${this.capacity})`;
    const source = this.createSource(assignment);
    this.running.set(assignment.cameraId, { assignment, source, processing: true });
    try {
      await source.start();
      return null;
    } catch (error) {
      this.running.delete(assignment.cameraId);
      return `Could not start camera: ${(error as Error).message}`;
    }
  }

  async release(cameraId: string): Promise<void> {
    const entry = this.running.get(cameraId);
    if (!entry) return;
    this.running.delete(cameraId);
    await entry.source.stop();
  }

  setProcessing(cameraId: string, on: boolean): string | null {
    const entry = this.running.get(cameraId);
    if (!entry) return "Camera is not assigned to this worker";
    entry.processing = on;
    return null;
  }

  /** The register reply is the truth (W11): run exactly these, stop the rest. */
  async sync(assignments: Assignment[]): Promise<void> {
    const wanted = new Set(assignments.map((a) => a.cameraId));
    for (const cameraId of [...this.running.keys()]) if (!wanted.has(cameraId)) await this.release(cameraId);
    for (const assignment of assignments) await this.assign(assignment);
  }

  /** The server connection came back: every stream is set up again at once (the server dropped its consumers). */
  restartStreams(reason: string): void {
    for (const { source } of this.running.values()) source.restart?.(reason);
  }

  /** The frame source of an assigned camera (the detection pipeline subscribes to it). */
  source(cameraId: string): FrameSource | undefined {
    return this.running.get(cameraId)?.source;
  }

  health() {
    return [...this.running.values()].map(({ assignment, source }) => ({
      cameraId: assignment.cameraId,
      ...source.health(),
    }));
  }

  async stopAll(): Promise<number> {
    const count = this.running.size;
    for (const cameraId of [...this.running.keys()]) await this.release(cameraId);
    return count;
  }
}
