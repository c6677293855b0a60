// Should-classify gating for faces on person tracks (SPEC D6): pure decisions, no I/O, the caller passes the time.
// Embedding a face is the expensive step, so a track is embedded and matched ("classified") only when it is worth it:
//   - new: the track has not been classified yet (as soon as a face of at least minFacePx is found in its box);
//   - better: its face is now clearly larger or sharper than at the last classification (a person walking up to the
//     camera is identified again from the better view, a few times, not every frame);
//   - interval: reclassifySeconds passed since the last classification;
//   - watch: a classified track's face is embedded again at most every watchMs, and only an embedding that moved away
//     from the last classified one (cosine distance > driftDistance: the tracker may have swapped people) counts as a
//     "drift" classification; otherwise nothing changes and no event is sent.
// Looking for the face at all (face detection inside the track's box) is rate-limited too: on a track's first frame,
// then at most every searchMs until it is classified (a back of a head or a face too small is not searched on every
// frame: bench/face-recognition.ts), then at most every lookMs.
import type { FaceSettings } from "../../protocol/faces";

export interface FaceSighting {
  /** Shorter side of the face box, pixels (FaceQuality.sizePx). */
  sizePx: number;
  /** Variance of the Laplacian of the face crop (FaceQuality.sharpness). */
  sharpness: number;
}

/** What a track's last classification saw (the reference for "better" and "drift"). */
export interface LastClassification extends FaceSighting {
  atMs: number;
  embedding: Float32Array;
}

export interface TrackGate {
  last: LastClassification | null;
  /** Last time its box was searched for a face (null = never). */
  lookedAtMs: number | null;
  /** Last time a classified track's face was embedded to watch for drift. */
  watchedAtMs: number | null;
}

export interface GatingOptions {
  minFacePx: number;
  reclassifyMs: number;
  /** An unclassified track's box is searched again at most this often after a search found no usable face. */
  searchMs: number;
  /** A classified track's box is searched for its face at most this often. */
  lookMs: number;
  /** A classified track's face is embedded to check for drift at most this often. */
  watchMs: number;
  /** "better": the face's size grew by this factor (and it is not much blurrier) ... */
  sizeGain: number;
  /** ... or its sharpness grew by this factor (and it is not much smaller). */
  sharpnessGain: number;
  /** Cosine distance (1 - similarity) above which an embedding has moved away from the last classified one. */
  driftDistance: number;
}

export type ClassifyReason = "new" | "better" | "interval";
/** What to do with a found face: classify it (embed + match), embed it only to check for drift, or nothing. */
export type GateDecision = { classify: ClassifyReason } | { watch: true } | null;

const DEFAULTS = {
  searchMs: 500,
  lookMs: 1_000,
  watchMs: 2_000,
  sizeGain: 1.25,
  sharpnessGain: 1.5,
  driftDistance: 0.3,
};
/** "Not much blurrier / smaller" when the other measure improved. */
const TOLERANCE = 0.8;

export function gatingOptions(settings: FaceSettings, overrides: Partial<GatingOptions> = {}): GatingOptions {
  return { ...DEFAULTS, minFacePx: settings.minFacePx, reclassifyMs: settings.reclassifySeconds * 1000, ...overrides };
}

export function createTrackGate(): TrackGate {
  return { last: null, lookedAtMs: null, watchedAtMs: null };
}

/** Whether to search this track's box for a face on this frame. */
export function shouldLook(gate: TrackGate, nowMs: number, o: Pick<GatingOptions, "lookMs" | "searchMs">): boolean {
  if (gate.lookedAtMs === null) return true;
  return nowMs - gate.lookedAtMs >= (gate.last ? o.lookMs : o.searchMs);
}

/**
 * Pure: whether a person box of this size (pixels) can hold a face of minFacePx at all. A person's box is at least
 * head and shoulders: about 2-3 face widths wide. Below 1.5 face sizes either way no usable face can be in it, so it
 * is not searched (a crowd far from the camera costs nothing: bench/face-recognition.ts).
 */
export function mayShowFace(widthPx: number, heightPx: number, o: Pick<GatingOptions, "minFacePx">): boolean {
  return widthPx >= 1.5 * o.minFacePx && heightPx >= 1.5 * o.minFacePx;
}

/** Pure: what a face found in the track's box on this frame calls for. */
export function decide(gate: TrackGate, face: FaceSighting, nowMs: number, o: GatingOptions): GateDecision {
  if (face.sizePx < o.minFacePx) return null;
  const last = gate.last;
  if (!last) return { classify: "new" };
  if (nowMs - last.atMs >= o.reclassifyMs) return { classify: "interval" };
  if (isBetter(face, last, o)) return { classify: "better" };
  if (gate.watchedAtMs === null || nowMs - gate.watchedAtMs >= o.watchMs) return { watch: true };
  return null;
}

/** Pure: clearly larger (not much blurrier) or clearly sharper (not much smaller) than at the last classification. */
export function isBetter(face: FaceSighting, last: FaceSighting, o: Pick<GatingOptions, "sizeGain" | "sharpnessGain">) {
  const larger = face.sizePx >= last.sizePx * o.sizeGain && face.sharpness >= last.sharpness * TOLERANCE;
  const sharper = face.sharpness >= last.sharpness * o.sharpnessGain && face.sizePx >= last.sizePx * TOLERANCE;
  return larger || sharper;
}

/** Pure: the embedding moved away from the last classified one (another face, or the same face changed a lot). */
export function hasDrifted(last: Float32Array, next: Float32Array, o: Pick<GatingOptions, "driftDistance">): boolean {
  return 1 - cosineSimilarity(last, next) > o.driftDistance;
}

export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
