// Idle mode (SPEC W10): a camera with no activity (no motion, no tracked objects) for idleAfterMs runs its detector
// only idleFps times a second (0 = never) until activity returns; motion is still checked on every analysed frame.
//
//   new IdleController({ idleAfterMs, idleFps })
//   controller.update(nowMs, activity): { mode: "active" | "idle"; runDetector: boolean; changed: boolean }
//
// active: the detector runs on every analysed frame. After idleAfterMs without activity (counted from the last
// update with activity, or from the first update) the mode turns idle on that update, without a detector run (one
// just ran). While idle the detector runs when 1000 / idleFps ms have passed since its last run. Any activity turns
// the mode active on the same update and runs the detector, so waking takes at most one frame interval. `changed` is
// true on the update where the mode switched.

export interface IdleOptions {
  /** Time without activity before idling (ms). */
  idleAfterMs: number;
  /** Detector runs per second while idle; 0 = not at all. */
  idleFps: number;
}

export type IdleMode = "active" | "idle";

export class IdleController {
  private readonly idleAfterMs: number;
  private readonly idleIntervalMs: number;
  private mode: IdleMode = "active";
  private lastActivityMs: number | undefined;
  private lastRunMs = -Infinity;

  constructor(options: IdleOptions) {
    if (!(options.idleAfterMs >= 0)) throw new RangeError("idleAfterMs must be >= 0");
    if (!(options.idleFps >= 0)) throw new RangeError("idleFps must be >= 0");
    this.idleAfterMs = options.idleAfterMs;
    this.idleIntervalMs = options.idleFps > 0 ? 1000 / options.idleFps : Infinity;
  }

  get current(): IdleMode {
    return this.mode;
  }

  update(nowMs: number, activity: boolean): { mode: IdleMode; runDetector: boolean; changed: boolean } {
    this.lastActivityMs ??= nowMs;
    const before = this.mode;
    let runDetector: boolean;
    if (activity) {
      this.lastActivityMs = nowMs;
      this.mode = "active";
      runDetector = true;
    } else if (this.mode === "active" && nowMs - this.lastActivityMs >= this.idleAfterMs) {
      this.mode = "idle";
      runDetector = false;
    } else if (this.mode === "active") {
      runDetector = true;
    } else {
      runDetector = nowMs - this.lastRunMs >= this.idleIntervalMs;
    }
    if (runDetector) this.lastRunMs = nowMs;
    return { mode: this.mode, runDetector, changed: this.mode !== before };
  }
}
