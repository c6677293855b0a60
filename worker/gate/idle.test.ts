import { describe, expect, it } from "vitest";
import { IdleController } from "./idle";

describe("IdleController (W10)", () => {
  it("idles after idleAfterMs without activity, runs at idleFps, and wakes on the same update", () => {
    const idle = new IdleController({ idleAfterMs: 30_000, idleFps: 0.2 });
    expect(idle.update(0, false)).toEqual({ mode: "active", runDetector: true, changed: false });
    expect(idle.update(29_800, false)).toEqual({ mode: "active", runDetector: true, changed: false });
    expect(idle.update(30_000, false)).toEqual({ mode: "idle", runDetector: false, changed: true });
    // The detector last ran at 29.8 s: next run 5 s later.
    const runs: number[] = [];
    for (let t = 30_200; t <= 45_000; t += 200) {
      const step = idle.update(t, false);
      expect(step.mode).toBe("idle");
      expect(step.changed).toBe(false);
      if (step.runDetector) runs.push(t);
    }
    expect(runs).toEqual([34_800, 39_800, 44_800]);
    expect(idle.update(45_200, true)).toEqual({ mode: "active", runDetector: true, changed: true });
    expect(idle.update(45_400, false)).toEqual({ mode: "active", runDetector: true, changed: false });
    // Idle again 30 s after the last activity, not after the wake-up.
    expect(idle.update(75_000, false).mode).toBe("active");
    expect(idle.update(75_200, false)).toEqual({ mode: "idle", runDetector: false, changed: true });
  });

  it("keeps activity pushing the idle deadline back", () => {
    const idle = new IdleController({ idleAfterMs: 1000, idleFps: 1 });
    for (let t = 0; t <= 10_000; t += 500) expect(idle.update(t, t % 1000 === 0).mode).toBe("active");
  });

  it("never runs the detector while idle with idleFps 0", () => {
    const idle = new IdleController({ idleAfterMs: 1000, idleFps: 0 });
    idle.update(0, false);
    expect(idle.update(1000, false)).toMatchObject({ mode: "idle", changed: true });
    for (let t = 1200; t < 600_000; t += 200) expect(idle.update(t, false).runDetector).toBe(false);
    expect(idle.update(600_000, true)).toEqual({ mode: "active", runDetector: true, changed: true });
  });

  it("keeps the idle rate when frames arrive slowly (the interval counts from the last run)", () => {
    const idle = new IdleController({ idleAfterMs: 2000, idleFps: 1 });
    idle.update(0, true);
    expect(idle.update(2000, false)).toMatchObject({ mode: "idle", runDetector: false });
    expect(idle.update(2700, false).runDetector).toBe(true); // 2.7 s since the run at 0
    expect(idle.update(3400, false).runDetector).toBe(false); // 0.7 s
    expect(idle.update(4100, false).runDetector).toBe(true); // 1.4 s
  });
});
