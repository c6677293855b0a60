// The workstation state machine (issue 13, SPEC P2 and the note at its end): pure functions that turn what one
// workstation zone sees on each analysed frame into the productivity module's states, working / idle / absent.
//
//   createStationMemory(startMs): StationMemory
//   stepStation(memory, observation, thresholds, stateDurationMs): { memory, emit: StationEmission | null }
//
// Presence: a person is at the workstation when their box overlaps the zone (the caller decides, per frame). The
// workstation becomes occupied after `enterSeconds` of presence and absent after `leaveSeconds` without anybody, so a
// detection missed on a few frames changes nothing. Activity: each frame the caller measures the fraction of moved
// pixels inside the person's box (activity.ts); their mean over `windowSeconds` at or above `activeThreshold` is
// working, below it idle. Working turns idle only after `idleAfterSeconds` below, idle turns working after
// `activeAfterSeconds` above (debounce: a short pause or a single jerk does not flip the state).
// Emission: a state is emitted when it is adopted, then re-affirmed every state duration D while it holds, because the
// productivity module counts each state event as D of time (P2: active time = #working x D). A state that holds for
// T therefore yields ceil(T / D) events: the module's figures are exact for runs that are multiples of D and
// over-count a run by less than D otherwise (docs/workstations.md).
import type { WorkstationThresholds } from "../../protocol/scene";
import type { WorkstationState } from "../../protocol/events";

export interface StationObservation {
  nowMs: number;
  /** The person at the workstation on this frame, or null when nobody overlaps the zone enough. */
  person: {
    /** The detector's confidence in the person. */
    confidence: number;
    /** Moved-pixel fraction in their box since the previous analysed frame; null when it cannot be measured. */
    activity: number | null;
  } | null;
  /** When nobody is there: the confidence that nobody is (1 - the strongest person score near the zone). */
  absentConfidence: number;
}

export interface StationEmission {
  state: WorkstationState;
  confidence: number;
  activity: number;
  reaffirmed: boolean;
}

export interface StationMemory {
  readonly startMs: number;
  /** The adopted state; null until the first decision. */
  state: WorkstationState | null;
  lastEmitMs: number | null;
  /** A state the observations point to that differs from `state`, and since when they have. */
  candidate: WorkstationState | null;
  candidateSinceMs: number;
  presentSinceMs: number | null;
  lastSeenMs: number | null;
  samples: Array<{ t: number; activity: number; confidence: number }>;
  /**
   * The window's means when it last had samples. A re-affirmation while the window is empty (the person is missed for
   * a few frames but has not left) reports these rather than a confidence of 0.
   */
  lastMeans: { activity: number; confidence: number } | null;
}

export function createStationMemory(startMs: number): StationMemory {
  return {
    startMs,
    state: null,
    lastEmitMs: null,
    candidate: null,
    candidateSinceMs: startMs,
    presentSinceMs: null,
    lastSeenMs: null,
    samples: [],
    lastMeans: null,
  };
}

/** Mean activity and detector confidence over the decision window (null without samples). */
export function windowMeans(samples: StationMemory["samples"]): { activity: number; confidence: number } | null {
  if (!samples.length) return null;
  let activity = 0;
  let confidence = 0;
  for (const s of samples) {
    activity += s.activity;
    confidence += s.confidence;
  }
  return { activity: activity / samples.length, confidence: confidence / samples.length };
}

/**
 * How sure the activity measure is: 0.5 on the threshold, rising to 1 at twice the threshold (working) or at zero
 * (idle). Multiplied by the detector's confidence this is the event's confidence, so drift checks (P5) see both.
 */
export function activityConfidence(activity: number, threshold: number, state: "working" | "idle"): number {
  const margin = state === "working" ? (activity - threshold) / threshold : (threshold - activity) / threshold;
  return 0.5 + 0.5 * Math.min(1, Math.max(0, margin));
}

/** What the observations say now, before debounce (null = cannot tell yet: keep the current state). */
function rawState(m: StationMemory, nowMs: number, t: WorkstationThresholds): WorkstationState | null {
  if (m.presentSinceMs === null)
    return nowMs - m.startMs >= t.leaveSeconds * 1000 || m.state !== null ? "absent" : null;
  // Seen (not merely not-yet-missed) for enterSeconds: someone passing through a corner of the zone does not count.
  if ((m.lastSeenMs ?? nowMs) - m.presentSinceMs < t.enterSeconds * 1000)
    return m.state === "absent" ? "absent" : (m.state ?? null);
  const means = windowMeans(m.samples);
  if (!means) return m.state === "absent" ? null : m.state;
  return means.activity >= t.activeThreshold ? "working" : "idle";
}

/** How long a candidate must hold before it replaces the current state (presence is debounced before this). */
function holdMs(from: WorkstationState | null, to: WorkstationState, t: WorkstationThresholds): number {
  if (from === "working" && to === "idle") return t.idleAfterSeconds * 1000;
  if (from === "idle" && to === "working") return t.activeAfterSeconds * 1000;
  return 0;
}

/** One analysed frame. Returns a new memory (the input is not changed) and the event to send, if any. */
export function stepStation(
  memory: StationMemory,
  obs: StationObservation,
  t: WorkstationThresholds,
  stateDurationMs: number,
): { memory: StationMemory; emit: StationEmission | null } {
  const now = obs.nowMs;
  const m: StationMemory = { ...memory, samples: memory.samples.slice() };
  if (obs.person) {
    m.lastSeenMs = now;
    m.presentSinceMs ??= now;
    if (obs.person.activity !== null)
      m.samples.push({ t: now, activity: obs.person.activity, confidence: obs.person.confidence });
  } else if (m.lastSeenMs === null || now - m.lastSeenMs >= t.leaveSeconds * 1000) {
    m.presentSinceMs = null;
    m.samples = [];
  }
  const windowStart = now - t.windowSeconds * 1000;
  while (m.samples.length && m.samples[0]!.t < windowStart) m.samples.shift();

  m.lastMeans = windowMeans(m.samples) ?? m.lastMeans;
  const raw = rawState(m, now, t);
  let adopted = false;
  if (raw === null || raw === m.state) {
    m.candidate = null;
  } else {
    if (m.candidate !== raw) {
      m.candidate = raw;
      m.candidateSinceMs = now;
    }
    if (now - m.candidateSinceMs >= holdMs(m.state, raw, t)) {
      m.state = raw;
      m.candidate = null;
      adopted = true;
    }
  }
  if (m.state === null) return { memory: m, emit: null };
  const due = m.lastEmitMs !== null && now - m.lastEmitMs >= stateDurationMs;
  if (!adopted && !due) return { memory: m, emit: null };
  // Re-affirmations keep their period (last + D) unless frames stopped for longer than D, so a state held for n x D
  // gives exactly n events whatever the frame timing.
  m.lastEmitMs =
    adopted || m.lastEmitMs === null || now - m.lastEmitMs >= 2 * stateDurationMs
      ? now
      : m.lastEmitMs + stateDurationMs;
  return { memory: m, emit: { ...describe(m, obs, t), reaffirmed: !adopted } };
}

function describe(
  m: StationMemory,
  obs: StationObservation,
  t: WorkstationThresholds,
): Omit<StationEmission, "reaffirmed"> {
  const state = m.state!;
  if (state === "absent") return { state, confidence: clamp01(obs.absentConfidence), activity: 0 };
  const means = windowMeans(m.samples) ??
    m.lastMeans ?? { activity: state === "working" ? t.activeThreshold : 0, confidence: 0 };
  return {
    state,
    confidence: clamp01(means.confidence * activityConfidence(means.activity, t.activeThreshold, state)),
    activity: clamp01(means.activity),
  };
}

const clamp01 = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 10_000) / 10_000;
