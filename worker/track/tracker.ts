// Multi-object tracker (SPEC D2): ByteTrack-style association of per-frame detections into tracks with stable ids.
// Pure and deterministic: no I/O, no timers; the caller passes the frame time, so a changing frame rate (idle mode,
// W10) only changes the time between updates.
//
//   new Tracker(options?: TrackerOptions)
//   tracker.update(detections: Detection[], nowMs: number): { objects: TrackedObject[]; ended: TrackedObject[] }
//   tracker.reset(): void      // drops every track; ids keep increasing (never reused by this tracker)
//   tracker.size: number       // tracks held, tentative and coasting included
//
// Per update:
//  1. Every track predicts its box at nowMs (alpha-beta filter on the box centre, constant velocity; size smoothed).
//  2. Detections with score >= highScore are matched to confirmed tracks by IoU (greedy, best pair first, ties broken
//     by track age then detection order), at IoU >= matchIou.
//  3. Detections with lowScore <= score < highScore are matched to the confirmed tracks still unmatched, at
//     IoU >= max(matchIou, 0.5): a weak detection may extend a track (partial occlusion) but never starts one.
//  4. Remaining high detections are matched to tentative tracks; a tentative track unmatched on an update is dropped,
//     so it takes minHits consecutive hits to confirm a track and only then is an id issued (flicker mints no ids).
//  5. Remaining high detections start tentative tracks.
//  6. A confirmed track without a match coasts on its prediction; after maxLostMs without a match it is ended.
// The class of a track is the score-weighted vote of all its detections; a tie keeps the current class, so a single
// frame of "truck" on a long-running "car" does not flip it.
import type { Detection, PixelBox } from "../detect/detector";

export interface TrackerOptions {
  /** Detections at or above this score start and extend tracks (default 0.5). */
  highScore?: number;
  /** Detections at or above this score (and below highScore) only extend confirmed tracks (default 0.1). */
  lowScore?: number;
  /** Minimum IoU between a predicted track box and a detection to associate them (default 0.3). */
  matchIou?: number;
  /** Consecutive hits before a track is confirmed and gets an id (default 3; 1 = confirm on first sight). */
  minHits?: number;
  /** How long a confirmed track survives without a match, coasting on its prediction (default 1000 ms). */
  maxLostMs?: number;
}

export interface TrackedObject {
  trackId: number;
  class: string;
  classId: number;
  /** Score of the last matched detection. */
  confidence: number;
  box: PixelBox;
  /** true on the update where the track was confirmed */
  isNew: boolean;
  /** ms since first seen */
  ageMs: number;
  /** true when not matched this frame but still kept (predicted box) */
  coasting: boolean;
}

const DEFAULTS: Required<TrackerOptions> = {
  highScore: 0.5,
  lowScore: 0.1,
  matchIou: 0.3,
  minHits: 3,
  maxLostMs: 1000,
};
/** Low-score detections are less reliable: ByteTrack's second association asks for a tighter overlap. */
const LOW_PASS_MIN_IOU = 0.5;
/** Alpha-beta gains: position follows the measurement closely, velocity adapts over a few frames. */
const ALPHA = 0.7;
const BETA = 0.3;
const SIZE_ALPHA = 0.6;
/** Ids are positive 31-bit integers (protocol trackId); wrapping takes years at any realistic rate. */
const MAX_TRACK_ID = 2 ** 31 - 1;

interface Track {
  /** 0 while tentative. */
  id: number;
  /** Creation order, for deterministic tie-breaks. */
  serial: number;
  confirmed: boolean;
  hits: number;
  firstSeenMs: number;
  lastMatchedMs: number;
  /** Time the state below refers to. */
  stateMs: number;
  cx: number;
  cy: number;
  w: number;
  h: number;
  /** Centre velocity in px/ms; null until the second hit. */
  vx: number | null;
  vy: number | null;
  confidence: number;
  votes: Map<number, { class: string; weight: number }>;
  classId: number;
  className: string;
}

export class Tracker {
  private readonly options: Required<TrackerOptions>;
  private tracks: Track[] = [];
  private nextId = 1;
  private nextSerial = 0;

  constructor(options: TrackerOptions = {}) {
    const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.options = { ...DEFAULTS, ...defined };
    if (this.options.lowScore > this.options.highScore) throw new RangeError("lowScore must not exceed highScore");
    if (!(this.options.minHits >= 1)) throw new RangeError("minHits must be at least 1");
  }

  get size(): number {
    return this.tracks.length;
  }

  reset(): void {
    this.tracks = [];
  }

  update(detections: Detection[], nowMs: number): { objects: TrackedObject[]; ended: TrackedObject[] } {
    const { highScore, lowScore, matchIou, minHits, maxLostMs } = this.options;
    for (const track of this.tracks) predict(track, nowMs);

    const high = detections.filter((d) => d.score >= highScore);
    const low = detections.filter((d) => d.score >= lowScore && d.score < highScore);
    const confirmed = this.tracks.filter((t) => t.confirmed);
    const tentative = this.tracks.filter((t) => !t.confirmed);

    const matched = new Map<Track, Detection>();
    const firstPass = associate(confirmed, high, matchIou);
    for (const [t, d] of firstPass.pairs) matched.set(t, d);
    const secondPass = associate(firstPass.unmatchedTracks, low, Math.max(matchIou, LOW_PASS_MIN_IOU));
    for (const [t, d] of secondPass.pairs) matched.set(t, d);
    const thirdPass = associate(tentative, firstPass.unmatchedDetections, matchIou);
    for (const [t, d] of thirdPass.pairs) matched.set(t, d);

    const objects: TrackedObject[] = [];
    const ended: TrackedObject[] = [];
    const kept: Track[] = [];
    for (const track of this.tracks) {
      const detection = matched.get(track);
      if (detection) {
        correct(track, detection, nowMs);
        let isNew = false;
        if (!track.confirmed && track.hits >= minHits) {
          this.confirm(track);
          isNew = true;
        }
        kept.push(track);
        if (track.confirmed) objects.push(toObject(track, nowMs, isNew, false));
      } else if (!track.confirmed) {
        // A tentative track must be seen on consecutive updates: a gap means it was flicker.
      } else if (nowMs - track.lastMatchedMs > maxLostMs) {
        ended.push(toObject(track, nowMs, false, true));
      } else {
        kept.push(track);
        objects.push(toObject(track, nowMs, false, true));
      }
    }
    for (const detection of thirdPass.unmatchedDetections) {
      const track = this.start(detection, nowMs);
      kept.push(track);
      if (minHits <= 1) {
        this.confirm(track);
        objects.push(toObject(track, nowMs, true, false));
      }
    }
    this.tracks = kept;
    return { objects, ended };
  }

  private start(detection: Detection, nowMs: number): Track {
    const [x1, y1, x2, y2] = detection.box;
    const track: Track = {
      id: 0,
      serial: this.nextSerial++,
      confirmed: false,
      hits: 1,
      firstSeenMs: nowMs,
      lastMatchedMs: nowMs,
      stateMs: nowMs,
      cx: (x1 + x2) / 2,
      cy: (y1 + y2) / 2,
      w: x2 - x1,
      h: y2 - y1,
      vx: null,
      vy: null,
      confidence: detection.score,
      votes: new Map(),
      classId: detection.classId,
      className: detection.class,
    };
    vote(track, detection);
    return track;
  }

  private confirm(track: Track): void {
    track.confirmed = true;
    track.id = this.nextId;
    this.nextId = this.nextId >= MAX_TRACK_ID ? 1 : this.nextId + 1;
  }
}

/** Intersection over union of two pixel boxes (0 when either is empty). */
export function iou(a: PixelBox, b: PixelBox): number {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

/** Greedy IoU matching: best pair first; ties go to the older track, then the earlier detection. */
function associate(tracks: Track[], detections: Detection[], minIou: number) {
  const candidates: { t: number; d: number; iou: number }[] = [];
  for (let t = 0; t < tracks.length; t++) {
    const box = boxOf(tracks[t]);
    for (let d = 0; d < detections.length; d++) {
      const overlap = iou(box, detections[d].box);
      if (overlap >= minIou) candidates.push({ t, d, iou: overlap });
    }
  }
  candidates.sort((x, y) => y.iou - x.iou || tracks[x.t].serial - tracks[y.t].serial || x.d - y.d);
  const usedTracks = new Set<number>();
  const usedDetections = new Set<number>();
  const pairs: [Track, Detection][] = [];
  for (const c of candidates) {
    if (usedTracks.has(c.t) || usedDetections.has(c.d)) continue;
    usedTracks.add(c.t);
    usedDetections.add(c.d);
    pairs.push([tracks[c.t], detections[c.d]]);
  }
  return {
    pairs,
    unmatchedTracks: tracks.filter((_, i) => !usedTracks.has(i)),
    unmatchedDetections: detections.filter((_, i) => !usedDetections.has(i)),
  };
}

/** Moves the state to nowMs along the estimated velocity (size held). */
function predict(track: Track, nowMs: number): void {
  const dt = nowMs - track.stateMs;
  if (dt <= 0) return;
  if (track.vx !== null && track.vy !== null) {
    track.cx += track.vx * dt;
    track.cy += track.vy * dt;
  }
  track.stateMs = nowMs;
}

/** Alpha-beta correction with a matched detection (the state was predicted to nowMs). */
function correct(track: Track, detection: Detection, nowMs: number): void {
  const [x1, y1, x2, y2] = detection.box;
  const mx = (x1 + x2) / 2;
  const my = (y1 + y2) / 2;
  const dt = nowMs - track.lastMatchedMs;
  if (track.vx === null || track.vy === null) {
    // Second sighting: the first velocity estimate is the displacement itself.
    if (dt > 0) {
      track.vx = (mx - track.cx) / dt;
      track.vy = (my - track.cy) / dt;
    }
    track.cx = mx;
    track.cy = my;
  } else {
    const rx = mx - track.cx;
    const ry = my - track.cy;
    track.cx += ALPHA * rx;
    track.cy += ALPHA * ry;
    if (dt > 0) {
      track.vx += (BETA * rx) / dt;
      track.vy += (BETA * ry) / dt;
    }
  }
  track.w += SIZE_ALPHA * (x2 - x1 - track.w);
  track.h += SIZE_ALPHA * (y2 - y1 - track.h);
  track.hits++;
  track.lastMatchedMs = nowMs;
  track.stateMs = nowMs;
  track.confidence = detection.score;
  vote(track, detection);
}

function vote(track: Track, detection: Detection): void {
  const entry = track.votes.get(detection.classId) ?? { class: detection.class, weight: 0 };
  entry.weight += detection.score;
  track.votes.set(detection.classId, entry);
  const current = track.votes.get(track.classId)?.weight ?? 0;
  let best = track.classId;
  let bestWeight = current;
  for (const [classId, v] of track.votes) {
    if (v.weight > bestWeight) {
      best = classId;
      bestWeight = v.weight;
    }
  }
  if (best !== track.classId) {
    track.classId = best;
    track.className = track.votes.get(best)!.class;
  }
}

function boxOf(track: Track): PixelBox {
  return [track.cx - track.w / 2, track.cy - track.h / 2, track.cx + track.w / 2, track.cy + track.h / 2];
}

function toObject(track: Track, nowMs: number, isNew: boolean, coasting: boolean): TrackedObject {
  return {
    trackId: track.id,
    class: track.className,
    classId: track.classId,
    confidence: track.confidence,
    box: boxOf(track),
    isNew,
    ageMs: nowMs - track.firstSeenMs,
    coasting,
  };
}
