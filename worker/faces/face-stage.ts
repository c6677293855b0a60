// The face stage of a camera's pipeline (SPEC D6, C3, C6; issue 14): after tracking, it looks for a face only inside
// person tracks' boxes, classifies a track when gating.ts says so (embed + match against the tenant's gallery), and
// keeps the result on the track: the live boxes show it (known/label) and face events report it, once per change.
// Face work runs beside the detector loop, not inside it: update() starts at most one face job at a time (bounded to
// maxFacesPerJob tracks, unclassified ones first) and returns at once; a frame that arrives while a job runs only
// refreshes tracks and labels. Frames and crops stay in memory (C6): the job holds this frame until it finishes.
//
//   stage.update({ frame, nowMs, objects, ended, faces })   // sync; may start a job
//   stage.identityOf(trackId) -> { known, label } | undefined
//   stage.flush(nowMs)   // tracks end without being seen again (tracking reset, faces turned off)
//   await stage.close()
import type { NormalisedBox } from "../../protocol/events";
import type { CameraFaceAnalysis } from "../../protocol/faces";
import type { Logger } from "../logger";
import type { DetectionEventBody } from "../publish/envelope";
import type { GalleryStore } from "./gallery-store";
import {
  createTrackGate,
  decide,
  gatingOptions,
  hasDrifted,
  mayShowFace,
  shouldLook,
  type GatingOptions,
  type TrackGate,
} from "./gating";
import { matchFace, type MatchResult } from "./matcher";
import type { FaceAnalyzer, FoundFace, PixelRect, RgbImage } from "./types";

export type FaceEventBody = Extract<
  DetectionEventBody,
  { type: "face_recognised" | "face_unknown" | "face_track_end" }
>;

export interface FaceStageDeps {
  /** The worker's one analyzer, created on first use and shared by every camera. */
  analyzer(): Promise<FaceAnalyzer>;
  galleries: Pick<GalleryStore, "usable" | "get">;
  /** Face events of one frame, stamped at that frame's time with the embedder as the model (T1, D1). */
  emit(events: FaceEventBody[], atMs: number, model: { id: string; version: string }): void;
  /** T1: face_track_end's firstSeen is corrected like correctedUtc. */
  driftOffsetMs(): number;
  logger: Pick<Logger, "warn" | "error">;
}

export interface FaceStageOptions {
  /** Tracks searched for a face per job (bounded work beside the detector). */
  maxFacesPerJob?: number;
  /** false = classify every track on every frame it is searched (the benchmark's baseline, never in production). */
  gating?: boolean;
  gatingOverrides?: Partial<GatingOptions>;
}

export interface FaceTrackInput {
  trackId: number;
  class: string;
  box: NormalisedBox;
  coasting: boolean;
  /** ms since the tracker first saw it. */
  ageMs: number;
}

export interface FaceStageInput {
  frame: RgbImage;
  nowMs: number;
  objects: FaceTrackInput[];
  ended: Array<{ trackId: number }>;
  faces: CameraFaceAnalysis;
}

type Reason = "new" | "better" | "interval" | "drift" | "gallery";

interface TrackFaces {
  gate: TrackGate;
  firstSeenMs: number;
  lastSeenMs: number;
  /** undefined = not classified yet; personId null = classified as unknown. */
  identity?: { personId: string | null; name: string | null };
  /** The gallery revision the identity was decided against: a new gallery re-decides it. */
  revision: number;
}

const DEFAULT_MAX_FACES_PER_JOB = 2;

export class FaceStage {
  private readonly tracks = new Map<number, TrackFaces>();
  private job: Promise<void> | null = null;
  private model: { id: string; version: string } | null = null;
  private errors = 0;
  private closed = false;

  constructor(
    private readonly cameraId: string,
    private readonly deps: FaceStageDeps,
    private readonly options: FaceStageOptions = {},
  ) {}

  update(input: FaceStageInput): void {
    if (this.closed) return;
    const { nowMs } = input;
    const ends: FaceEventBody[] = [];
    for (const { trackId } of input.ended) {
      const end = this.endTrack(trackId);
      if (end) ends.push(end);
    }
    if (ends.length && this.model) this.deps.emit(ends, nowMs, this.model);
    const people = input.objects.filter((o) => o.class === "person");
    for (const o of people) {
      let track = this.tracks.get(o.trackId);
      if (!track) {
        track = { gate: createTrackGate(), firstSeenMs: nowMs - o.ageMs, lastSeenMs: nowMs, revision: -1 };
        this.tracks.set(o.trackId, track);
      }
      if (!o.coasting) track.lastSeenMs = nowMs;
    }
    if (this.job) return;
    const held = this.deps.galleries.get(input.faces.galleryId);
    if (!held?.enabled) return; // no gallery yet (or recognition off): nothing to match against, no "unknown" flood
    const options = gatingOptions(input.faces.settings, this.options.gatingOverrides);
    const gating = this.options.gating ?? true;
    const { width, height } = input.frame;
    const candidates = people
      .filter(
        (o) =>
          !o.coasting &&
          (!gating || mayShowFace((o.box[2] - o.box[0]) * width, (o.box[3] - o.box[1]) * height, options)),
      )
      .map((o) => ({ o, track: this.tracks.get(o.trackId)! }))
      // A classified track decided against an older gallery is searched again at once.
      .filter(
        ({ track }) =>
          !gating ||
          (track.identity !== undefined && track.revision !== held.revision) ||
          shouldLook(track.gate, nowMs, options),
      )
      .sort((a, b) => priority(a.track) - priority(b.track))
      .slice(0, this.options.maxFacesPerJob ?? DEFAULT_MAX_FACES_PER_JOB);
    if (!candidates.length) return;
    const job = this.run(input, candidates, options, gating)
      .then(() => {
        this.errors = 0;
      })
      .catch((error) => {
        // A failing face model must not stop the camera's detection; logged once per streak.
        if (this.errors++ === 0)
          this.deps.logger.error({ cameraId: this.cameraId, err: error }, "face analysis failed; continuing");
      })
      .finally(() => {
        if (this.job === job) this.job = null;
      });
    this.job = job;
  }

  /** C3: what the live box of this track shows (undefined = not classified: drawn in the class colour). */
  identityOf(trackId: number): { known: boolean; label: string } | undefined {
    const identity = this.tracks.get(trackId)?.identity;
    if (!identity) return undefined;
    return identity.personId ? { known: true, label: identity.name ?? "" } : { known: false, label: "unknown" };
  }

  /** Every held track ends now (tracking reset, faces turned off, camera closing): face_track_end for classified ones. */
  flush(nowMs: number): void {
    const ends: FaceEventBody[] = [];
    for (const trackId of [...this.tracks.keys()]) {
      const end = this.endTrack(trackId);
      if (end) ends.push(end);
    }
    if (ends.length && this.model) this.deps.emit(ends, nowMs, this.model);
  }

  get tracked(): number {
    return this.tracks.size;
  }

  /** Lets a running job finish, then ends the held tracks (face_track_end). Idempotent. */
  async close(nowMs = Date.now()): Promise<void> {
    if (this.closed) return;
    await this.job;
    this.flush(nowMs);
    this.closed = true;
  }

  /** Waits for the running face job (tests, benchmarks). */
  async settled(): Promise<void> {
    await this.job;
  }

  private async run(
    input: FaceStageInput,
    candidates: Array<{ o: FaceTrackInput; track: TrackFaces }>,
    options: GatingOptions,
    gating: boolean,
  ): Promise<void> {
    const analyzer = await this.deps.analyzer();
    const model = { id: analyzer.embedderId, version: analyzer.embedderVersion };
    const people = this.deps.galleries.usable(input.faces.galleryId, model);
    const held = this.deps.galleries.get(input.faces.galleryId);
    if (!people || !held) return;
    this.model = model;
    const { frame, nowMs } = input;
    const events: FaceEventBody[] = [];
    for (const { o, track } of candidates) {
      if (this.closed) return;
      track.gate.lookedAtMs = nowMs;
      const found = await analyzer.detect(frame, faceRegion(o.box, frame.width, frame.height));
      const face = faceOfTrack(found, o.box, frame.width);
      if (!face || face.quality.sizePx < options.minFacePx) continue;
      const galleryChanged = track.identity !== undefined && track.revision !== held.revision;
      const decision =
        !gating || galleryChanged
          ? { classify: (galleryChanged ? "gallery" : "interval") as Reason }
          : decide(track.gate, face.quality, nowMs, options);
      if (!decision) continue;
      const embedding = await analyzer.embed(frame, face);
      if (this.tracks.get(o.trackId) !== track) continue; // ended while we embedded
      let reason: Reason;
      if ("watch" in decision) {
        track.gate.watchedAtMs = nowMs;
        if (!track.gate.last || !hasDrifted(track.gate.last.embedding, embedding, options)) continue;
        reason = "drift";
      } else reason = decision.classify;
      const result = matchFace(embedding, people, input.faces.settings);
      track.gate.last = { atMs: nowMs, sizePx: face.quality.sizePx, sharpness: face.quality.sharpness, embedding };
      track.gate.watchedAtMs = nowMs;
      track.revision = held.revision;
      const event = this.decideIdentity(o, track, result, reason);
      if (event) events.push(event);
    }
    if (events.length && !this.closed) this.deps.emit(events, nowMs, model);
  }

  /**
   * Applies a classification to the track; the event to send when its identity changed. A known track is not
   * turned "unknown" by a weaker view of the same face (interval, better): only by a face that moved away (drift) or
   * a new gallery (the person may have been deleted), so a name does not flicker.
   */
  private decideIdentity(o: FaceTrackInput, track: TrackFaces, result: MatchResult, reason: Reason) {
    const before = track.identity;
    if (result.person) {
      track.identity = { personId: result.person.personId, name: result.person.name };
      if (before?.personId === result.person.personId) return null;
      return {
        type: "face_recognised" as const,
        trackId: o.trackId,
        personId: result.person.personId,
        similarity: unit(result.similarity ?? 0),
        margin: unit(result.margin),
        box: o.box,
      };
    }
    if (before?.personId && reason !== "drift" && reason !== "gallery") return null;
    track.identity = { personId: null, name: null };
    if (before && before.personId === null) return null;
    return {
      type: "face_unknown" as const,
      trackId: o.trackId,
      bestSimilarity: result.similarity === null ? null : unit(result.similarity),
      box: o.box,
    };
  }

  private endTrack(trackId: number): FaceEventBody | null {
    const track = this.tracks.get(trackId);
    this.tracks.delete(trackId);
    if (!track?.identity) return null;
    return {
      type: "face_track_end",
      trackId,
      personId: track.identity.personId,
      firstSeen: new Date(Math.floor(track.firstSeenMs + this.deps.driftOffsetMs())).toISOString(),
      visibleMs: Math.max(0, Math.round(track.lastSeenMs - track.firstSeenMs)),
    };
  }
}

/** Unclassified tracks first; within each group the one searched longest ago. */
function priority(track: TrackFaces): number {
  const base = track.identity === undefined ? 0 : 1e15;
  return base + (track.gate.lookedAtMs ?? 0);
}

/** Where a person's face can be: the upper 60% of the box, widened by 10% each side and 5% above (clamped). */
export function faceRegion(box: NormalisedBox, width: number, height: number): PixelRect {
  const w = box[2] - box[0];
  const h = box[3] - box[1];
  const clampX = (v: number) => Math.round(Math.min(width, Math.max(0, v * width)));
  const clampY = (v: number) => Math.round(Math.min(height, Math.max(0, v * height)));
  return [clampX(box[0] - 0.1 * w), clampY(box[1] - 0.05 * h), clampX(box[2] + 0.1 * w), clampY(box[1] + 0.6 * h)];
}

/** The best face whose centre lies within the person's box horizontally (a neighbour's face at the edge is not it). */
export function faceOfTrack(found: FoundFace[], box: NormalisedBox, width: number): FoundFace | null {
  const left = box[0] * width;
  const right = box[2] * width;
  for (const face of found) {
    const cx = (face.box[0] + face.box[2]) / 2;
    if (cx >= left && cx <= right) return face;
  }
  return null;
}

const unit = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 10_000) / 10_000;

/**
 * One analyzer per worker process, created on the first call (the first camera with faces enabled) and shared by
 * every camera. A failed creation (models not installed) is not retried for `retryMs`, so a camera does not try to
 * load the models on every frame.
 */
export function lazyAnalyzer(create: () => Promise<FaceAnalyzer>, retryMs = 60_000) {
  let current: Promise<FaceAnalyzer> | null = null;
  let failedAt = -Infinity;
  let failure: unknown = null;
  return {
    get(): Promise<FaceAnalyzer> {
      if (current) return current;
      if (Date.now() - failedAt < retryMs) return Promise.reject(failure);
      const created = create();
      current = created;
      created.catch((error: unknown) => {
        if (current === created) current = null;
        failedAt = Date.now();
        failure = error;
      });
      return created;
    },
    /** Closes the analyzer if one was created. */
    async close(): Promise<void> {
      const held = current;
      current = null;
      await held?.then((a) => a.close()).catch(() => undefined);
    },
  };
}
