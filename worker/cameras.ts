// The cameras this worker runs (SPEC W9): one CameraPipeline per assignment (worker/pipeline.ts), up to capacity.
// Every method is idempotent, so a re-sent command or a register reply can be applied again safely.
import type { Assignment, CameraAnalysis } from "../protocol";
import type { FrameSourceHealth } from "./ingest/frame-source";

/** What the runner needs of a camera's owner: CameraPipeline implements it (tests may use a lighter one). */
export interface CameraUnit {
  readonly cameraId: string;
  start(): Promise<void>;
  close(): Promise<void>;
  health(): FrameSourceHealth;
  update(assignment: Assignment): void;
  setAnalysis(analysis: CameraAnalysis): void;
  setProcessing(on: boolean): void;
  restart(reason: string): void;
}

export type CameraUnitFactory = (assignment: Assignment) => CameraUnit;

export class CameraRunner {
  private readonly running = new Map<string, { assignment: Assignment; unit: CameraUnit }>();

  constructor(
    private readonly capacity: number,
    private readonly createUnit: CameraUnitFactory,
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
      existing.unit.update(assignment);
      return null;
    }
    if (this.running.size >= this.capacity) return `At capacity (${this.running.size}/${this.capacity})`;
    const unit = this.createUnit(assignment);
    this.running.set(assignment.cameraId, { assignment, unit });
    try {
      await unit.start();
      return null;
    } catch (error) {
      this.running.delete(assignment.cameraId);
      await unit.close().catch(() => undefined);
      return `Could not start camera: ${(error as Error).message}`;
    }
  }

  async release(cameraId: string): Promise<void> {
    const entry = this.running.get(cameraId);
    if (!entry) return;
    this.running.delete(cameraId);
    await entry.unit.close();
  }

  setProcessing(cameraId: string, on: boolean): string | null {
    const entry = this.running.get(cameraId);
    if (!entry) return "Camera is not assigned to this worker";
    entry.unit.setProcessing(on);
    return null;
  }

  /** C5: the server pushed new analysis settings for a camera; ignored for cameras this worker does not run. */
  setAnalysis(cameraId: string, analysis: CameraAnalysis): boolean {
    const entry = this.running.get(cameraId);
    if (!entry) return false;
    entry.assignment = { ...entry.assignment, analysis };
    entry.unit.setAnalysis(analysis);
    return true;
  }

  /** The register reply is the truth (W11): run exactly these, stop the rest. */
  async sync(assignments: Assignment[]): Promise<void> {
    const wanted = new Set(assignments.map((a) => a.cameraId));
    for (const cameraId of [...this.running.keys()]) if (!wanted.has(cameraId)) await this.release(cameraId);
    for (const assignment of assignments) await this.assign(assignment);
  }

  /** The server connection came back: every stream is set up again at once (the server dropped its consumers). */
  restartStreams(reason: string): void {
    for (const { unit } of this.running.values()) unit.restart(reason);
  }

  health() {
    return [...this.running.values()].map(({ assignment, unit }) => ({
      cameraId: assignment.cameraId,
      ...unit.health(),
    }));
  }

  async stopAll(): Promise<number> {
    const count = this.running.size;
    for (const cameraId of [...this.running.keys()]) await this.release(cameraId);
    return count;
  }
}
