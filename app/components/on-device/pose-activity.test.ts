// The on-device activity measure (issue 13 item 2): presence and arm motion from pose landmarks, and what the shared
// workstation state machine (worker/workstation/state-machine.ts) makes of scripted poses at 10 analysed fps.
import { describe, expect, it } from "vitest";
import { createStationMemory, stepStation, type StationEmission } from "../../../worker/workstation/state-machine";
import {
  armMotion,
  DEVICE_THRESHOLDS,
  LANDMARK,
  poseObservation,
  presenceScore,
  type Landmark,
  type PoseFrame,
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
    expect(armMotion(pose({ scale: 2 }), pose({ scale: 2, arm: 0.02 }))).toBeCloseTo(0.1);
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

describe("a frame's observation for the state machine", () => {
  it("no pose, or a faint one, is nobody, with the confidence that nobody is there", () => {
    expect(poseObservation(undefined, { t: 0, pose: undefined })).toEqual({
      nowMs: 0,
      person: null,
      absentConfidence: 1,
    });
    const faint = poseObservation(undefined, { t: 0, pose: pose({ visibility: 0.2 }) });
    expect(faint.person).toBeNull();
    expect(faint.absentConfidence).toBeCloseTo(0.8);
  });

  it("activity is arm motion per second: the same arm speed reads the same at 10 and 5 fps", () => {
    const tenFps = poseObservation({ t: 0, pose: pose() }, { t: 100, pose: pose({ arm: 0.02 }) });
    const fiveFps = poseObservation({ t: 0, pose: pose() }, { t: 200, pose: pose({ arm: 0.04 }) });
    expect(tenFps.person).toEqual({ confidence: 0.9, activity: expect.closeTo(1, 5) });
    expect(fiveFps.person!.activity).toBeCloseTo(1);
  });

  it("activity is unknown on the first frame and across a gap", () => {
    expect(poseObservation(undefined, { t: 0, pose: pose() }).person!.activity).toBeNull();
    expect(poseObservation({ t: 0, pose: pose() }, { t: 5000, pose: pose({ arm: 0.02 }) }).person!.activity).toBeNull();
  });
});

type Script = Array<{ seconds: number; kind: "absent" | "still" | "moving" }>;

/** Plays scripted poses at 10 analysed fps through the shared state machine; returns the emissions with their time. */
function play(script: Script, durationMs = 300_000): Array<StationEmission & { at: number }> {
  let memory = createStationMemory(0);
  const out: Array<StationEmission & { at: number }> = [];
  let previous: PoseFrame | undefined;
  let frame = 0;
  for (const { seconds, kind } of script) {
    for (let i = 0; i < seconds * 10; i++, frame++) {
      // Moving arms swing 0.02 each frame (about 1 shoulder width a second, twice the threshold).
      const current = {
        t: frame * 100,
        pose: kind === "absent" ? undefined : pose({ arm: kind === "moving" ? (frame % 2) * 0.02 : 0 }),
      };
      const step = stepStation(memory, poseObservation(previous, current), DEVICE_THRESHOLDS, durationMs);
      memory = step.memory;
      if (step.emit) out.push({ ...step.emit, at: current.t });
      previous = current;
    }
  }
  return out;
}

describe("states from poses through the shared workstation state machine", () => {
  it("enter, work, pause, leave: absent -> working -> idle -> absent, each after its debounce", () => {
    const emitted = play([
      { seconds: 6, kind: "absent" },
      { seconds: 10, kind: "moving" },
      { seconds: 10, kind: "still" },
      { seconds: 10, kind: "absent" },
    ]);
    expect(emitted.map((e) => e.state)).toEqual(["absent", "working", "idle", "absent"]);
    const [absent, working, idle, gone] = emitted;
    expect(absent!.at).toBe(DEVICE_THRESHOLDS.leaveSeconds * 1000);
    expect(working!.at).toBeGreaterThanOrEqual(6000 + DEVICE_THRESHOLDS.enterSeconds * 1000);
    expect(idle!.at).toBeGreaterThanOrEqual(16_000 + DEVICE_THRESHOLDS.idleAfterSeconds * 1000);
    // Absent once nobody has been seen (last at 25.9 s) for leaveSeconds.
    expect(gone!.at).toBe(25_900 + DEVICE_THRESHOLDS.leaveSeconds * 1000);
    expect(working!.confidence).toBeCloseTo(0.9, 1); // visibility 0.9 x a clear verdict (twice the threshold)
    expect(idle!.confidence).toBeCloseTo(0.9, 1); // no motion at all: just as clear
  });

  it("one pose missed for half a second changes nothing", () => {
    const emitted = play([
      { seconds: 10, kind: "moving" },
      { seconds: 0.5, kind: "absent" },
      { seconds: 10, kind: "moving" },
    ]);
    expect(emitted.map((e) => e.state)).toEqual(["working"]);
  });

  it("a held state is re-affirmed every state duration, and P2's utilisation follows the sequence", () => {
    const D = 60_000;
    const emitted = play(
      [
        { seconds: 240, kind: "moving" },
        { seconds: 120, kind: "still" },
      ],
      D,
    );
    const working = emitted.filter((e) => e.state === "working");
    const idle = emitted.filter((e) => e.state === "idle");
    expect(working.slice(1).every((e) => e.reaffirmed)).toBe(true);
    // Working from ~1 s (enterSeconds) until idleAfterSeconds into the stillness (~245 s): ceil(244 / 60) = 5 events;
    // idle for the remaining ~115 s: 2 events. Each stretch over-counts by less than D (docs/workstations.md).
    expect(working.map((e) => e.at - working[0]!.at)).toEqual([0, D, 2 * D, 3 * D, 4 * D]);
    expect([working.length, idle.length]).toEqual([5, 2]);
    // P2: utilisation = active / (active + idle), each state event counting for D.
    expect(working.length / (working.length + idle.length)).toBeCloseTo(5 / 7);
  });
});
