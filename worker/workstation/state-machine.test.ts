// The workstation state machine (issue 13) on scripted observations at 5 analysed fps: enter/leave, still vs active,
// debounce, re-affirmation timing. Thresholds are the defaults unless a test says otherwise.
import { describe, expect, it } from "vitest";
import { DEFAULT_WORKSTATION_THRESHOLDS, type WorkstationThresholds } from "../../protocol/scene";
import {
  activityConfidence,
  createStationMemory,
  stepStation,
  type StationEmission,
  type StationObservation,
} from "./state-machine";

const T = DEFAULT_WORKSTATION_THRESHOLDS;
const D = 300_000;
const FPS = 5;

/** A scripted segment: who is there (activity per frame) for how many seconds. */
type Segment = { seconds: number; person: null | { activity: number; confidence?: number } };

function run(
  segments: Segment[],
  options: { thresholds?: WorkstationThresholds; durationMs?: number; jitterMs?: number } = {},
) {
  const t = options.thresholds ?? T;
  let memory = createStationMemory(0);
  const events: Array<StationEmission & { at: number }> = [];
  let now = 0;
  let frame = 0;
  for (const s of segments) {
    const end = now + s.seconds * 1000;
    for (; now < end; frame++, now = (frame * 1000) / FPS) {
      // Frames arrive a little early or late (decode, detector load): the state machine must not care.
      const at = Math.round(now + (options.jitterMs ? ((frame * 37) % 11) / 10 - 0.5 : 0) * (options.jitterMs ?? 0));
      const obs: StationObservation = {
        nowMs: at,
        person: s.person ? { confidence: s.person.confidence ?? 0.8, activity: s.person.activity } : null,
        absentConfidence: 0.82,
      };
      const step = stepStation(memory, obs, t, options.durationMs ?? D);
      memory = step.memory;
      if (step.emit) events.push({ ...step.emit, at });
    }
  }
  return events;
}

const states = (events: Array<{ state: string; reaffirmed: boolean }>) =>
  events.map((e) => `${e.state}${e.reaffirmed ? "+" : ""}`);

describe("enter and leave the zone", () => {
  it("an empty workstation is absent once leaveSeconds have passed since the start, not before", () => {
    const events = run([{ seconds: 10, person: null }]);
    expect(states(events)).toEqual(["absent"]);
    expect(events[0]!.at).toBe(T.leaveSeconds * 1000);
    expect(events[0]!.confidence).toBe(0.82);
    expect(events[0]!.activity).toBe(0);
  });

  it("someone arriving is at the workstation after enterSeconds; leaving makes it absent after leaveSeconds", () => {
    const events = run([
      { seconds: 10, person: null },
      { seconds: 20, person: { activity: 0.5 } },
      { seconds: 10, person: null },
    ]);
    expect(states(events)).toEqual(["absent", "working", "absent"]);
    expect(events[1]!.at).toBe(10_000 + T.enterSeconds * 1000);
    expect(events[2]!.at).toBe(30_000 - 200 + T.leaveSeconds * 1000);
  });

  it("a person missed by the detector for less than leaveSeconds changes nothing", () => {
    const events = run([
      { seconds: 10, person: { activity: 0.5 } },
      { seconds: T.leaveSeconds - 1, person: null },
      { seconds: 10, person: { activity: 0.5 } },
    ]);
    expect(states(events)).toEqual(["working"]);
  });

  it("someone passing through for less than enterSeconds does not occupy it", () => {
    const events = run([
      { seconds: 10, person: null },
      { seconds: T.enterSeconds - 0.4, person: { activity: 0.6 } },
      { seconds: 10, person: null },
    ]);
    expect(states(events)).toEqual(["absent"]);
  });
});

describe("still vs active", () => {
  it("a person moving above the threshold is working, one below it is idle", () => {
    expect(states(run([{ seconds: 10, person: { activity: T.activeThreshold * 1.5 } }]))).toEqual(["working"]);
    expect(states(run([{ seconds: 10, person: { activity: T.activeThreshold * 0.5 } }]))).toEqual(["idle"]);
  });

  it("confidence is the detector's times the activity measure's (0.5 on the threshold, 1 far from it)", () => {
    const [working] = run([{ seconds: 5, person: { activity: 2 * T.activeThreshold, confidence: 0.9 } }]);
    expect(working!.confidence).toBeCloseTo(0.9, 3);
    const [idle] = run([{ seconds: 5, person: { activity: 0.75 * T.activeThreshold, confidence: 0.8 } }]);
    expect(idle!.confidence).toBeCloseTo(0.8 * 0.625, 3);
    expect(activityConfidence(T.activeThreshold, T.activeThreshold, "working")).toBe(0.5);
    expect(activityConfidence(0, T.activeThreshold, "idle")).toBe(1);
  });

  it("activity that cannot be measured (no previous frame) does not decide", () => {
    let memory = createStationMemory(0);
    for (let t = 0; t <= 5000; t += 200) {
      const step = stepStation(
        memory,
        { nowMs: t, person: { confidence: 0.9, activity: null }, absentConfidence: 0.8 },
        T,
        D,
      );
      memory = step.memory;
      expect(step.emit).toBeNull();
    }
  });
});

describe("debounce", () => {
  it("a pause shorter than idleAfterSeconds keeps working; a longer one turns idle after idleAfterSeconds", () => {
    const short = run([
      { seconds: 20, person: { activity: 0.5 } },
      { seconds: T.idleAfterSeconds - 1, person: { activity: 0 } },
      { seconds: 20, person: { activity: 0.5 } },
    ]);
    expect(states(short)).toEqual(["working"]);
    const long = run([
      { seconds: 20, person: { activity: 0.5 } },
      { seconds: 30, person: { activity: 0 } },
    ]);
    expect(states(long)).toEqual(["working", "idle"]);
    // The window mean falls below the threshold part-way through the window, then idleAfterSeconds must pass.
    const idleAt = long[1]!.at;
    expect(idleAt).toBeGreaterThan(20_000 + T.idleAfterSeconds * 1000);
    expect(idleAt).toBeLessThanOrEqual(20_000 + (T.idleAfterSeconds + T.windowSeconds) * 1000);
  });

  it("a single jerk of an idle person does not make them working", () => {
    const events = run([
      { seconds: 20, person: { activity: 0.01 } },
      { seconds: 0.2, person: { activity: 0.9 } },
      { seconds: 20, person: { activity: 0.01 } },
    ]);
    expect(states(events)).toEqual(["idle"]);
  });
});

describe("re-affirmation (P2: each event counts for one state duration)", () => {
  it("a state held for n durations gives exactly n events, D apart, whatever the frame jitter", () => {
    const events = run([{ seconds: 20 * 60, person: { activity: 0.5 } }], { jitterMs: 80 });
    expect(states(events)).toEqual(["working", "working+", "working+", "working+"]);
    const first = events[0]!.at;
    events.forEach((e, i) => expect(Math.abs(e.at - first - i * D)).toBeLessThanOrEqual(200));
  });

  it("a change restarts the period from the change", () => {
    const events = run(
      [
        { seconds: 90, person: { activity: 0.5 } },
        { seconds: 150, person: { activity: 0 } },
      ],
      { durationMs: 60_000 },
    );
    expect(states(events)).toEqual(["working", "working+", "idle", "idle+", "idle+"]);
    const idle = events[2]!.at;
    expect(events[3]!.at - idle).toBe(60_000);
    expect(events[4]!.at - idle).toBe(120_000);
  });

  it("frames stopping for longer than D do not produce a burst of back-dated events", () => {
    let memory = createStationMemory(0);
    const emitted: number[] = [];
    const obs = (t: number): StationObservation => ({
      nowMs: t,
      person: { confidence: 0.9, activity: 0.5 },
      absentConfidence: 0.8,
    });
    for (const t of [0, 200, 400, 1200, 1400, 10 * D, 10 * D + 200, 11 * D + 200]) {
      const step = stepStation(memory, obs(t), T, D);
      memory = step.memory;
      if (step.emit) emitted.push(t);
    }
    expect(emitted).toEqual([1200, 10 * D, 11 * D + 200]);
  });
});

describe("confidence of re-affirmations", () => {
  it("a person still there but without an activity reading (coasting track) keeps the last window's confidence", () => {
    const events = run(
      [
        { seconds: 30, person: { activity: 0.6, confidence: 0.9 } },
        // Present, but no activity measure for a minute: the decision window empties.
        { seconds: 60, person: { activity: null as unknown as number, confidence: 0.9 } },
      ],
      { durationMs: 10_000 },
    );
    const working = events.filter((e) => e.state === "working");
    expect(working.length).toBeGreaterThan(5);
    expect(working.filter((e) => e.at > 30_000 + T.windowSeconds * 1000).length).toBeGreaterThan(0);
    for (const e of working) expect(e.confidence, `at ${e.at} ms`).toBeGreaterThan(0.4);
  });
});
