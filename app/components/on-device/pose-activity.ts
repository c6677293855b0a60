// Present/active from MediaPipe pose landmarks for the publish page's on-device mode (issue 13 item 2). Pure
// functions only (no DOM, no MediaPipe import). The states themselves come from the SAME state machine the workers
// run for camera zones (worker/workstation/state-machine.ts: enter/leave, still/active with debounce, re-affirmed every
// state duration): this module only turns each analysed frame's pose into that machine's observation, with arm
// motion (shoulder widths per second) as the activity measure instead of moved pixels.
import { DEFAULT_WORKSTATION_THRESHOLDS, type WorkstationThresholds } from "../../../protocol/scene";
import type { StationObservation } from "../../../worker/workstation/state-machine";

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

/** A landmark counts for motion when its visibility is at least this. */
export const MIN_LANDMARK_VISIBILITY = 0.5;

/**
 * Measured with bench/pose-landmarker.ts on vtest.avi's walker cropped and scaled up (640x480): when the pose is found
 * (~70 % of walking frames), the upper body's mean visibility is ~0.58; frozen, the model's own jitter reads 0.09
 * shoulder widths/s, walking arms over 2/s. So a pose counts as a person from 0.3, and working starts at 0.5 shoulder
 * widths/s (five times the jitter floor). Presence and the debounce times are the camera zones' defaults.
 */
export const PRESENCE_THRESHOLD = 0.3;
export const DEVICE_THRESHOLDS: WorkstationThresholds = {
  ...DEFAULT_WORKSTATION_THRESHOLDS,
  activeThreshold: 0.5,
  windowSeconds: 3,
};

/** Mean visibility of shoulders, elbows and wrists: how surely a person's upper body is in view (0 without a pose). */
export function presenceScore(pose: Landmark[] | undefined): number {
  if (!pose || pose.length < 17) return 0;
  return UPPER_BODY.reduce((sum, i) => sum + (pose[i]!.visibility ?? 1), 0) / UPPER_BODY.length;
}

const visible = (l: Landmark | undefined) => !!l && (l.visibility ?? 1) >= MIN_LANDMARK_VISIBILITY;

/** Shoulder width in normalised units, so motion reads the same for a person near or far from the camera. */
export function shoulderWidth(pose: Landmark[]): number | null {
  const l = pose[LANDMARK.leftShoulder];
  const r = pose[LANDMARK.rightShoulder];
  if (!visible(l) || !visible(r)) return null;
  const width = Math.hypot(l!.x - r!.x, l!.y - r!.y);
  return width > 1e-3 ? width : null;
}

/**
 * Mean displacement of the visible elbows and wrists between two poses, in shoulder widths. Null when either pose
 * lacks shoulders or no arm landmark is visible in both (motion then says nothing either way).
 */
export function armMotion(previous: Landmark[] | undefined, current: Landmark[] | undefined): number | null {
  if (!previous || !current || previous.length < 17 || current.length < 17) return null;
  const scale = shoulderWidth(current);
  if (scale === null) return null;
  let total = 0;
  let n = 0;
  for (const i of ARMS) {
    if (!visible(previous[i]) || !visible(current[i])) continue;
    total += Math.hypot(current[i]!.x - previous[i]!.x, current[i]!.y - previous[i]!.y);
    n += 1;
  }
  return n ? total / n / scale : null;
}

/** One analysed frame's pose, and the time it was analysed at. */
export interface PoseFrame {
  t: number;
  pose: Landmark[] | undefined;
}

/**
 * The state machine's observation for a frame: a person when the pose's presence score reaches PRESENCE_THRESHOLD
 * (confidence = that score), activity = arm motion since the previous frame per second (so a slow and a fast device
 * measure the same movement alike; null across gaps over a second or without a comparable previous pose), and for
 * nobody the confidence that nobody is there (1 - the presence score).
 */
export function poseObservation(previous: PoseFrame | undefined, current: PoseFrame): StationObservation {
  const presence = presenceScore(current.pose);
  if (presence < PRESENCE_THRESHOLD) return { nowMs: current.t, person: null, absentConfidence: 1 - presence };
  const seconds = previous ? (current.t - previous.t) / 1000 : 0;
  const motion = previous && seconds > 0 && seconds <= 1 ? armMotion(previous.pose, current.pose) : null;
  return {
    nowMs: current.t,
    person: { confidence: presence, activity: motion === null ? null : motion / seconds },
    absentConfidence: 1 - presence,
  };
}
