import { describe, expect, it } from "vitest";
import {
  advanceTracker,
  armMotion,
  classifyWindow,
  DEFAULT_ACTIVITY_SETTINGS,
  INITIAL_TRACKER,
  LANDMARK,
  presenceScore,
  sampleFrame,
  summarizeWindow,
  trimWindow,
  type DeviceState,
  type Landmark,
  type PoseSample,
  type StateEmission,
  type StateTracker,
} from "./pose-activity";

/** A 33-landmark pose with shoulders 0.2 apart; arm landmarks shifted by `arm` (normalised units). */
function pose({ arm = 0, visibility = 0.9, scale = 1 } = {}): Landmark[] {
  const points: Landmark[] = Array.from({ length: 33 }, () => ({ x: 0.5, y: 0.5, visibility }));
  const at = (i: number, x: number, y: number) => (points[i] = { x: 0.5 + (x - 0.5) * scale, y, visibility });
  at(LANDMARK.leftShoulder, 0.4, 0.4);
  at(LANDMARK.rightShoulder, 0.6, 0.4);
  at(LANDMARK.leftElbow, 0.38 + arm, 0.55);
  at(LANDMARK.rightElbow, 0.62 + arm, 0.55);
  at(LANDMARK.leftWrist, 0.4 + arm, 0.7);
  at(LANDMARK.rightWrist, 0.6 + arm, 0.7);
  return points;
}

describe("presence and arm motion from landmarks", () => {
  it("presence is the upper body's mean visibility, 0 without a pose", () => {
    expect(presenceScore(undefined)).toBe(0);
    expect(presenceScore([])).toBe(0);
    expect(presenceScore(pose({ visibility: 0.8 }))).toBeCloseTo(0.8);
  });

  it("arm motion is in shoulder widths, so a person twice as near moves the same amount", () => {
    // Arms 0.02 to the side with shoulders 0.2 apart: 0.1 shoulder widths.
    expect(armMotion(pose(), pose({ arm: 0.02 }))).toBeCloseTo(0.1);
    // Twice as near: shoulders 0.4 apart and the same gesture 0.04 wide in the frame.
    const near = armMotion(pose({ scale: 2 }), pose({ scale: 2, arm: 0.02 }));
    expect(near).toBeCloseTo(0.1);
    expect(armMotion(pose(), pose())).toBe(0);
  });

  it("motion is unknown (null) without both poses, shoulders or visible arms", () => {
    expect(armMotion(undefined, pose())).toBeNull();
    expect(armMotion(pose(), undefined)).toBeNull();
    expect(armMotion(pose({ visibility: 0.2 }), pose({ visibility: 0.2 }))).toBeNull();
    const hidden = pose();
    for (const i of [LANDMARK.leftElbow, LANDMARK.rightElbow, LANDMARK.leftWrist, LANDMARK.rightWrist])
      hidden[i] = { ...hidden[i]!, visibility: 0.1 };
    expect(armMotion(pose(), hidden)).toBeNull();
  });
});

/** Frames at 10 fps for `seconds`, arms swinging by `amplitude` each frame (0 = still) or no pose at all. */
function frames(start: number, seconds: number, kind: "absent" | { amplitude: number }): PoseSample[] {
  const out: PoseSample[] = [];
  let previous: Landmark[] | undefined;
  for (let i = 0; i < seconds * 10; i++) {
    const t = start + i * 100;
    const current = kind === "absent" ? undefined : pose({ arm: i % 2 ? kind.amplitude : 0 });
    out.push(sampleFrame(t, previous, current));
    previous = current;
  }
  return out;
}

describe("classifying a window", () => {
  const settings = DEFAULT_ACTIVITY_SETTINGS;

  it("no pose is absent with high confidence", () => {
    const result = classifyWindow(summarizeWindow(frames(0, 3, "absent")), settings);
    expect(result).toEqual({ state: "absent", confidence: 1 });
  });

  it("a present person with moving arms is working, a still one idle", () => {
    // 0.02 per frame at 10 fps = 0.1 shoulder widths x 10/s = ~1 shoulder width per second.
    const working = classifyWindow(summarizeWindow(frames(0, 3, { amplitude: 0.02 })), settings);
    expect(working.state).toBe("working");
    expect(working.confidence).toBeGreaterThan(0.8);
    const idle = classifyWindow(summarizeWindow(frames(0, 3, { amplitude: 0 })), settings);
    expect(idle.state).toBe("idle");
    expect(idle.confidence).toBeCloseTo(0.9); // visibility 0.9 x certainty 1 (no motion at all)
  });

  it("motion per second does not depend on the frame rate", () => {
    const tenFps = summarizeWindow(frames(0, 3, { amplitude: 0.02 })).motionPerSecond!;
    // The same arm speed sampled at 5 fps: twice the displacement per frame, half the frames.
    const fiveFps: PoseSample[] = [];
    let previous: Landmark[] | undefined;
    for (let i = 0; i < 15; i++) {
      const current = pose({ arm: i % 2 ? 0.04 : 0 });
      fiveFps.push(sampleFrame(i * 200, previous, current));
      previous = current;
    }
    expect(summarizeWindow(fiveFps).motionPerSecond!).toBeCloseTo(tenFps, 1);
  });

  it("confidence is lowest right at the activity threshold", () => {
    const at = classifyWindow({ presence: 1, motionPerSecond: settings.activeThreshold }, settings);
    expect(at).toEqual({ state: "working", confidence: 0.5 });
  });

  it("the window keeps only its last windowMs", () => {
    const samples = frames(0, 10, "absent");
    expect(trimWindow(samples, 9900, 3000)).toHaveLength(30);
  });
});

describe("state machine: debounce, change, re-affirmation", () => {
  const settings = { debounceMs: 2000, reaffirmMs: 300_000 };

  /** Feeds one observation per second; returns the emissions. */
  function run(script: Array<[DeviceState, number]>, start = 0): StateEmission[] {
    let tracker: StateTracker = INITIAL_TRACKER;
    const emitted: StateEmission[] = [];
    let t = start;
    for (const [state, seconds] of script) {
      for (let i = 0; i < seconds; i++, t += 1000) {
        const step = advanceTracker(tracker, { state, confidence: 0.9 }, t, settings);
        tracker = step.tracker;
        if (step.emit) emitted.push(step.emit);
      }
    }
    return emitted;
  }

  it("the first state is emitted once it has held for the debounce", () => {
    expect(run([["absent", 5]])).toEqual([{ state: "absent", confidence: 0.9, at: 2000, reason: "change" }]);
  });

  it("a blip shorter than the debounce changes nothing", () => {
    const emitted = run([
      ["working", 10],
      ["idle", 1],
      ["working", 10],
    ]);
    expect(emitted.map((e) => e.state)).toEqual(["working"]);
  });

  it("entering and leaving: absent -> working -> idle -> absent, each after its debounce", () => {
    const emitted = run([
      ["absent", 5],
      ["working", 5],
      ["idle", 5],
      ["absent", 5],
    ]);
    expect(emitted.map((e) => [e.state, e.at])).toEqual([
      ["absent", 2000],
      ["working", 7000],
      ["idle", 12000],
      ["absent", 17000],
    ]);
  });

  it("a held state is re-affirmed every reaffirmMs, so P2 counts one event per duration", () => {
    const emitted = run([["working", 16 * 60]]); // 16 minutes at one observation a second
    expect(emitted.map((e) => [e.reason, e.at])).toEqual([
      ["change", 2000],
      ["reaffirm", 302_000],
      ["reaffirm", 602_000],
      ["reaffirm", 902_000],
    ]);
  });

  it("utilisation from a known sequence: 10 min working then 5 min idle = 2 working and 1 idle event", () => {
    const emitted = run([
      ["working", 600],
      ["idle", 300],
    ]);
    const working = emitted.filter((e) => e.state === "working").length;
    const idle = emitted.filter((e) => e.state === "idle").length;
    expect([working, idle]).toEqual([2, 1]);
    // P2: utilisation = active / (active + idle), each state event counting for the module's duration.
    expect(working / (working + idle)).toBeCloseTo(2 / 3);
  });
});
