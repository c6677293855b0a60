// Present/active from MediaPipe pose landmarks, and the absent/working/idle state machine of the publish page's
// on-device mode (issue 13 item 2). Pure functions only (no DOM, no MediaPipe import), so they are unit-tested and
// the browser loop stays thin. Written here because worker/workstation/ (the camera-zone state machine) had not
// landed when this was built; the rules are the same: emit on change after a debounce, re-affirm at the
// productivity module's per-event duration (P2), confidence from the model's own scores.

/** One landmark as PoseLandmarker returns it: x/y normalised to the frame (0..1), visibility 0..1. */
export interface Landmark {
  x: number;
  y: number;
  z?: number;
  visibility?: number;
}

/** BlazePose indices (33 landmarks) of the upper body the activity measure reads. */
export const LANDMARK = {
  leftShoulder: 11,
  rightShoulder: 12,
  leftElbow: 13,
  rightElbow: 14,
  leftWrist: 15,
  rightWrist: 16,
} as const;
const ARMS = [LANDMARK.leftElbow, LANDMARK.rightElbow, LANDMARK.leftWrist, LANDMARK.rightWrist];
const UPPER_BODY = [LANDMARK.leftShoulder, LANDMARK.rightShoulder, ...ARMS];

export type DeviceState = "absent" | "working" | "idle";

export interface ActivitySettings {
  /** A landmark counts when its visibility is at least this. */
  minVisibility: number;
  /** Mean upper-body visibility at or above which a person is present. */
  presenceThreshold: number;
  /** Arm motion (shoulder widths per second, mean over the window) at or above which the person is working. */
  activeThreshold: number;
  /** Window over which presence and motion are averaged. */
  windowMs: number;
  /** A new state must hold this long before it is emitted (one wave or one missed frame changes nothing). */
  debounceMs: number;
  /** A held state is sent again after this long: the module's per-event duration (P2 counts events x duration). */
  reaffirmMs: number;
}

/**
 * Measured with bench/pose-landmarker.ts on vtest.avi's walker cropped and scaled up (640x480): walking, the pose is
 * found in ~70 % of frames at an upper-body visibility of ~0.58, so the window's presence is ~0.40; frozen, presence
 * is 0.58 and the model's own jitter reads 0.09 shoulder widths/s, while walking arms read over 2/s. Hence presence
 * from 0.3 and working from 0.5 shoulder widths/s (five times the jitter floor).
 */
export const DEFAULT_ACTIVITY_SETTINGS: ActivitySettings = {
  minVisibility: 0.5,
  presenceThreshold: 0.3,
  activeThreshold: 0.5,
  windowMs: 3000,
  debounceMs: 2000,
  reaffirmMs: 300_000,
};

/** What one analysed frame contributes: presence score (0 when no pose) and arm motion since the last frame. */
export interface PoseSample {
  t: number;
  presence: number;
  /** Shoulder widths the elbows and wrists moved (mean) since the previous frame; null when not comparable. */
  motion: number | null;
}

const visible = (l: Landmark | undefined, min: number) => !!l && (l.visibility ?? 1) >= min;

/** Mean visibility of shoulders, elbows and wrists: how surely a person's upper body is in view (0 without a pose). */
export function presenceScore(pose: Landmark[] | undefined): number {
  if (!pose || pose.length < 17) return 0;
  return UPPER_BODY.reduce((sum, i) => sum + (pose[i]!.visibility ?? 1), 0) / UPPER_BODY.length;
}

/** Shoulder width in normalised units, so motion reads the same for a person near or far from the camera. */
export function shoulderWidth(pose: Landmark[], min = DEFAULT_ACTIVITY_SETTINGS.minVisibility): number | null {
  const l = pose[LANDMARK.leftShoulder];
  const r = pose[LANDMARK.rightShoulder];
  if (!visible(l, min) || !visible(r, min)) return null;
  const width = Math.hypot(l!.x - r!.x, l!.y - r!.y);
  return width > 1e-3 ? width : null;
}

/**
 * Mean displacement of the visible elbows and wrists between two poses, in shoulder widths. Null when either pose
 * lacks shoulders or no arm landmark is visible in both (motion then says nothing either way).
 */
export function armMotion(
  previous: Landmark[] | undefined,
  current: Landmark[] | undefined,
  min = DEFAULT_ACTIVITY_SETTINGS.minVisibility,
): number | null {
  if (!previous || !current || previous.length < 17 || current.length < 17) return null;
  const scale = shoulderWidth(current, min);
  if (scale === null) return null;
  let total = 0;
  let n = 0;
  for (const i of ARMS) {
    if (!visible(previous[i], min) || !visible(current[i], min)) continue;
    total += Math.hypot(current[i]!.x - previous[i]!.x, current[i]!.y - previous[i]!.y);
    n += 1;
  }
  return n ? total / n / scale : null;
}

/** The sample for one frame, given the previous frame's pose (undefined at the start or after a gap). */
export function sampleFrame(
  t: number,
  previous: Landmark[] | undefined,
  current: Landmark[] | undefined,
  settings: Pick<ActivitySettings, "minVisibility"> = DEFAULT_ACTIVITY_SETTINGS,
): PoseSample {
  return { t, presence: presenceScore(current), motion: armMotion(previous, current, settings.minVisibility) };
}

/** Keeps the samples of the last windowMs (the window the classification reads). */
export function trimWindow(samples: PoseSample[], now: number, windowMs: number): PoseSample[] {
  return samples.filter((s) => s.t > now - windowMs && s.t <= now);
}

export interface WindowSummary {
  /** Mean presence score over the window's frames. */
  presence: number;
  /** Arm motion in shoulder widths per second over the window; null when no frame pair was comparable. */
  motionPerSecond: number | null;
}

export function summarizeWindow(samples: PoseSample[]): WindowSummary {
  if (!samples.length) return { presence: 0, motionPerSecond: null };
  const presence = samples.reduce((sum, s) => sum + s.presence, 0) / samples.length;
  const moving = samples.filter((s) => s.motion !== null);
  if (moving.length < 2) return { presence, motionPerSecond: null };
  const span = (samples.at(-1)!.t - samples[0]!.t) / 1000;
  const moved = moving.reduce((sum, s) => sum + s.motion!, 0);
  // Per second over the window's span, so a slow and a fast device measure the same movement alike.
  return { presence, motionPerSecond: span > 0 ? moved / span : null };
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/**
 * The state the window shows and how sure it is. Confidence = presence score (the model's visibility) times how
 * clearly the motion is on its side of the threshold (0.5 at the threshold, 1 at 0 or twice the threshold).
 */
export function classifyWindow(
  summary: WindowSummary,
  settings: Pick<ActivitySettings, "presenceThreshold" | "activeThreshold">,
): { state: DeviceState; confidence: number } {
  if (summary.presence < settings.presenceThreshold)
    return { state: "absent", confidence: clamp01(1 - summary.presence) };
  const motion = summary.motionPerSecond ?? 0;
  const margin = clamp01(Math.abs(motion - settings.activeThreshold) / settings.activeThreshold);
  const certainty = 0.5 + 0.5 * margin;
  return {
    state: motion >= settings.activeThreshold ? "working" : "idle",
    confidence: clamp01(summary.presence * certainty),
  };
}

/** The state machine between frames: what was last emitted and which different state is waiting out the debounce. */
export interface StateTracker {
  emitted: DeviceState | null;
  emittedAt: number;
  candidate: DeviceState | null;
  candidateSince: number;
}

export const INITIAL_TRACKER: StateTracker = { emitted: null, emittedAt: 0, candidate: null, candidateSince: 0 };

export interface StateEmission {
  state: DeviceState;
  confidence: number;
  at: number;
  reason: "change" | "reaffirm";
}

/**
 * One step: a state different from the emitted one is emitted once it has been observed for debounceMs without
 * interruption (emission time = now); the emitted state is sent again every reaffirmMs while it holds.
 */
export function advanceTracker(
  tracker: StateTracker,
  observed: { state: DeviceState; confidence: number },
  now: number,
  settings: Pick<ActivitySettings, "debounceMs" | "reaffirmMs">,
): { tracker: StateTracker; emit: StateEmission | null } {
  if (observed.state === tracker.emitted) {
    const calm = { ...tracker, candidate: null, candidateSince: 0 };
    if (now - tracker.emittedAt >= settings.reaffirmMs) {
      return {
        tracker: { ...calm, emittedAt: now },
        emit: { ...observed, at: now, reason: "reaffirm" },
      };
    }
    return { tracker: calm, emit: null };
  }
  const since = tracker.candidate === observed.state ? tracker.candidateSince : now;
  if (now - since >= settings.debounceMs) {
    return {
      tracker: { emitted: observed.state, emittedAt: now, candidate: null, candidateSince: 0 },
      emit: { ...observed, at: now, reason: "change" },
    };
  }
  return { tracker: { ...tracker, candidate: observed.state, candidateSince: since }, emit: null };
}
