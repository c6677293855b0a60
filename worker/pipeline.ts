// One camera on this worker, from decoded frames to events (SPEC C4, D1-D5, W10, T1): the owner of an assignment.
//   FrameSource (ingest/) -> scene quality + motion gate + idle mode (gate/) -> Detector (detect/, shared per model)
//   -> Tracker (track/) -> line and zone counter (count/) -> workstations (workstation/) -> faces on person tracks
//   (faces/, when the camera's analysis enables them) -> events stamped with the envelope (publish/)
// and the live boxes for the overlay (C3). Frames stay in memory: nothing that carries pixels leaves this object (C6).
// One frame is analysed at a time; a frame that arrives while the detector runs replaces any older waiting frame,
// so a slow model lowers the analysed rate instead of building a queue.
import type {
  Assignment,
  CameraAnalysis,
  DetectionEvent,
  LiveDetections,
  ModelDescriptor,
  NormalisedBox,
} from "../protocol";
import { createCounterState, updateCounts, type CounterState } from "./count/counter";
import type { Detector, PixelBox } from "./detect/detector";
import { FaceStage, type FaceStageDeps } from "./faces/face-stage";
import { IdleController } from "./gate/idle";
import { MotionGate } from "./gate/motion";
import { SceneQuality } from "./gate/scene-quality";
import type { Frame, FrameSource, FrameSourceHealth } from "./ingest/frame-source";
import type { Logger } from "./logger";
import type { DetectorPool } from "./models/detector-pool";
import { stampEvent, type DetectionEventBody, type EventClock } from "./publish/envelope";
import { Tracker, type TrackedObject } from "./track/tracker";
import { workstationModelVersion } from "./workstation/activity";
import { hasWorkstations, WorkstationStage } from "./workstation/stage";

export interface PipelineDeps {
  detectors: Pick<DetectorPool, "acquire" | "release">;
  /** T2: hands a stamped event to the publisher (spool first, then a batch). */
  publish(event: DetectionEvent): void;
  /** C3: the live boxes of this camera (volatile). */
  live(message: LiveDetections): void;
  /** T1: the drift estimate and the Lamport counter of the connection. */
  clock: Pick<EventClock, "driftOffsetMs" | "lamport">;
  /** A state worth reporting at once (mode, warning) changed: heartbeat soon. */
  changed(): void;
  logger: Logger;
  /** Issue 14 (D6): the worker's shared face analyzer (lazy) and galleries; absent = no face work on this worker. */
  faces?: Pick<FaceStageDeps, "analyzer" | "galleries">;
}

export type AnalysisMode = "active" | "idle" | "off";
export type PipelineHealth = FrameSourceHealth;

/** Scene warnings have no model behind them; the envelope still names one (T1). */
const NO_MODEL = { id: "none", version: "0" };
const DETECT_WINDOW_MS = 3_000;
const TRACK_LOST_MS = 2_500;

export class CameraPipeline {
  readonly cameraId: string;
  private analysis: CameraAnalysis | null = null;
  private model: ModelDescriptor | null = null;
  /** The model this pipeline holds a reference to in the detector pool. */
  private held: ModelDescriptor | null = null;
  private detector: Detector | null = null;
  private loading: Promise<void> = Promise.resolve();
  private tracker = new Tracker();
  private counter: CounterState = createCounterState();
  /** Issue 13: workstation zones and output lines -> productivity states and product counts. */
  private readonly workstations = new WorkstationStage();
  /** Issue 14: created when the camera's analysis first enables faces. */
  private faceStage: FaceStage | null = null;
  private readonly motion = new MotionGate();
  private readonly quality = new SceneQuality();
  private idle = new IdleController({ idleAfterMs: 30_000, idleFps: 0.2 });
  private mode: AnalysisMode = "off";
  private warning: "dark" | "low_contrast" | null = null;
  private processing = true;
  private busy = false;
  /** The analysis running now: close() lets it finish before the detector is released. */
  private inflight: Promise<void> = Promise.resolve();
  private waiting: Frame | null = null;
  private detectorMs: number | null = null;
  private readonly detectTimes: number[] = [];
  private objects = 0;
  private lastCentres = new Map<number, [number, number]>();
  private offFrame: (() => void) | null = null;
  private closed = false;
  private errors = 0;
  /** Frames the detector ran on, and frames dropped because it was still busy with an earlier one (benchmarks). */
  private analysedCount = 0;
  private skippedCount = 0;

  constructor(
    assignment: Assignment,
    private readonly source: FrameSource,
    private readonly deps: PipelineDeps,
  ) {
    this.cameraId = assignment.cameraId;
    if (assignment.analysis) this.setAnalysis(assignment.analysis);
  }

  async start(): Promise<void> {
    this.offFrame = this.source.onFrame((frame) => this.onFrame(frame));
    await this.source.start();
  }

  /** The assignment changed (analysis fps, settings, scene): applied without restarting the stream. */
  update(assignment: Assignment): void {
    this.source.update?.(assignment);
    if (assignment.analysis) this.setAnalysis(assignment.analysis);
  }

  restart(reason: string): void {
    this.source.restart?.(reason);
  }

  /** W6 START/STOP_PROCESSING: the stream keeps flowing, analysis pauses. */
  setProcessing(on: boolean): void {
    this.processing = on;
    if (!on) this.setMode("off");
  }

  /** C5: new settings, scene or model from the server. */
  setAnalysis(analysis: CameraAnalysis): void {
    const previous = this.analysis;
    this.analysis = analysis;
    const { detection } = analysis;
    this.idle = new IdleController({ idleAfterMs: detection.idleAfterSeconds * 1000, idleFps: detection.idleFps });
    const wanted = detection.enabled ? analysis.model : null;
    const sameModel = wanted?.sha256 === this.model?.sha256 && wanted?.id === this.model?.id;
    if (!sameModel) this.swapModel(wanted);
    if (previous && previous.detection.confidence !== detection.confidence) this.resetTracking();
    if (!wanted) this.setMode("off");
  }

  private swapModel(next: ModelDescriptor | null): void {
    this.model = next;
    this.detector = null;
    this.resetTracking();
    // Loads and releases run one after another, so the pool's reference count stays exact.
    this.loading = this.loading.then(async () => {
      if (this.held) await this.deps.detectors.release(this.held);
      this.held = null;
      if (!next || this.closed || this.model !== next) return;
      try {
        const detector = await this.deps.detectors.acquire(next);
        this.held = next;
        if (this.model === next && !this.closed) {
          this.detector = detector;
          this.deps.logger.info({ cameraId: this.cameraId, modelId: next.id, version: next.version }, "detector ready");
        }
      } catch (error) {
        this.deps.logger.error(
          { cameraId: this.cameraId, modelId: next.id, err: error },
          "could not load the detection model; the camera is only decoded",
        );
      }
    });
  }

  private resetTracking(): void {
    const confidence = this.analysis?.detection.confidence ?? 0.35;
    // ByteTrack's two thresholds from the camera's one: tracks start at the confidence setting, and weaker boxes
    // (down to half of it) only keep an existing track alive through partial occlusion.
    // A lost track survives TRACK_LOST_MS: at 5 fps (or slower, under load) that is several analysed frames, so a
    // person passing behind a post keeps their id and is counted once.
    this.tracker = new Tracker({ highScore: confidence, lowScore: confidence / 2, maxLostMs: TRACK_LOST_MS });
    this.counter = createCounterState();
    this.workstations.reset();
    this.faceStage?.flush(Date.now());
    this.lastCentres.clear();
  }

  private onFrame(frame: Frame): void {
    if (this.closed || !this.analysis) return;
    const now = frame.receivedAt;
    const quality = this.quality.update(frame, now);
    if (quality.changed) {
      this.warning = quality.warning;
      this.emit(
        { type: "scene_warning", warning: quality.warning, brightness: quality.brightness, contrast: quality.contrast },
        now,
        NO_MODEL,
      );
      this.deps.changed();
    }
    if (!this.processing || !this.detector || !this.model) return this.setMode("off");
    const motion = this.motion.update(frame);
    // A person at a workstation keeps the detector at the analysis rate even when still (issue 13): in idle mode
    // their track would be lost between detector runs, and an idle worker would read as absent.
    const decision = this.idle.update(now, motion.motion || this.moving || this.workstations.occupied());
    this.setMode(decision.mode);
    if (!decision.runDetector) return;
    if (this.busy) {
      if (this.waiting) this.skippedCount += 1;
      this.waiting = frame;
      return;
    }
    this.inflight = this.analyse(frame);
  }

  /** Something tracked moved on the last analysed frame (a parked car does not keep the camera awake). */
  private moving = false;

  private async analyse(frame: Frame): Promise<void> {
    const detector = this.detector;
    const model = this.model;
    const analysis = this.analysis;
    if (!detector || !model || !analysis) return;
    this.busy = true;
    this.analysedCount += 1;
    try {
      const { detection, scene } = analysis;
      const classes = new Set(detection.classes);
      const started = performance.now();
      const detections = await detector.detect(frame, { minScore: detection.confidence / 2, classes });
      const took = performance.now() - started;
      this.detectorMs = this.detectorMs === null ? took : this.detectorMs * 0.8 + took * 0.2;
      this.detectTimes.push(Date.now());
      if (this.closed || this.model !== model) return;

      const now = frame.receivedAt;
      const { objects, ended } = this.tracker.update(detections, now);
      this.objects = objects.length;
      const normalised = objects.map((o) => ({ ...o, box: normaliseBox(o.box, frame.width, frame.height) }));
      this.moving = this.trackMoved(normalised);
      for (const o of normalised)
        if (o.isNew)
          this.emit(
            { type: "track_start", trackId: o.trackId, class: o.class, confidence: round(o.confidence), box: o.box },
            now,
            model,
          );
      const counted = updateCounts(this.counter, {
        // Coasting (predicted) boxes change nothing in the counter; the crossing is decided when the object is seen again.
        objects: normalised,
        ended: ended.map((o) => o.trackId),
        scene,
        classes,
        nowMs: now,
      });
      for (const event of counted) this.emit({ ...event, confidence: round(event.confidence) }, now, model);
      if (hasWorkstations(scene)) {
        const stationEvents = this.workstations.update({
          frame,
          nowMs: now,
          objects: normalised,
          crossings: counted,
          scene,
          stateDurationMs: (analysis.productivity?.stateDurationSeconds ?? 300) * 1000,
          minScore: detection.confidence / 2,
        });
        // Their confidence rests on the detector and the activity measure: both are named in the version (P5).
        const stamp = { id: model.id, version: workstationModelVersion(model.version) };
        for (const event of stationEvents) this.emit(event, now, stamp);
      }
      const faces = this.facesFor(analysis);
      if (faces) faces.update({ frame, nowMs: now, objects: normalised, ended, faces: analysis.faces! });
      else this.faceStage?.flush(now);
      this.deps.live({
        cameraId: this.cameraId,
        seq: frame.seq,
        at: new Date(now + this.deps.clock.driftOffsetMs()).toISOString(),
        objects: normalised.map((o) => ({
          trackId: o.trackId,
          class: o.class,
          confidence: round(o.confidence),
          box: o.box,
          // C3: green with the name when recognised, red "unknown" when not (absent until classified).
          ...faces?.identityOf(o.trackId),
        })),
        mode: this.mode === "idle" ? "idle" : "active",
        warning: this.warning,
        detectorMs: Math.round(this.detectorMs * 10) / 10,
      });
      this.errors = 0;
    } catch (error) {
      // A failing frame must not stop the camera; logged once per streak so a broken model cannot flood the logs.
      if (this.errors++ === 0)
        this.deps.logger.error({ cameraId: this.cameraId, err: error }, "frame analysis failed; continuing");
    } finally {
      this.busy = false;
      const next = this.waiting;
      this.waiting = null;
      if (next && !this.closed) this.inflight = this.analyse(next);
    }
  }

  /** The face stage when this camera's analysis enables faces and this worker can run them, else null. */
  private facesFor(analysis: CameraAnalysis): FaceStage | null {
    if (!analysis.faces?.enabled || !this.deps.faces) return null;
    const { analyzer, galleries } = this.deps.faces;
    this.faceStage ??= new FaceStage(this.cameraId, {
      analyzer,
      galleries,
      emit: (events, atMs, model) => {
        for (const event of events) this.emit(event, atMs, model);
      },
      driftOffsetMs: this.deps.clock.driftOffsetMs,
      logger: this.deps.logger,
    });
    return this.faceStage;
  }

  private trackMoved(objects: Array<Pick<TrackedObject, "trackId" | "coasting"> & { box: NormalisedBox }>): boolean {
    let moved = false;
    const next = new Map<number, [number, number]>();
    for (const o of objects) {
      const centre: [number, number] = [(o.box[0] + o.box[2]) / 2, (o.box[1] + o.box[3]) / 2];
      next.set(o.trackId, centre);
      const before = this.lastCentres.get(o.trackId);
      if (!o.coasting && (!before || Math.hypot(centre[0] - before[0], centre[1] - before[1]) > 0.004)) moved = true;
    }
    this.lastCentres = next;
    return moved;
  }

  private emit(body: DetectionEventBody, atMs: number, model: { id: string; version: string }): void {
    const clock: EventClock = {
      nowMs: () => atMs,
      driftOffsetMs: this.deps.clock.driftOffsetMs,
      lamport: this.deps.clock.lamport,
    };
    this.deps.publish(
      stampEvent(body, clock, { cameraId: this.cameraId, modelId: model.id, modelVersion: model.version }),
    );
  }

  private setMode(mode: AnalysisMode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    this.deps.changed();
  }

  get analysedFrames(): number {
    return this.analysedCount;
  }

  get skippedFrames(): number {
    return this.skippedCount;
  }

  health(): PipelineHealth {
    const now = Date.now();
    while (this.detectTimes.length && this.detectTimes[0]! < now - DETECT_WINDOW_MS) this.detectTimes.shift();
    return {
      ...this.source.health(),
      mode: this.mode,
      detectorMs: this.detectorMs === null ? null : Math.round(this.detectorMs * 10) / 10,
      detectFps: Math.round((this.detectTimes.length * 1000 * 10) / DETECT_WINDOW_MS) / 10,
      warning: this.warning,
      objects: this.objects,
    };
  }

  /** Idempotent: stops the stream, lets go of the detector, ends open zone dwells without events. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.offFrame?.();
    await this.source.stop();
    this.waiting = null;
    await this.inflight;
    await this.faceStage?.close();
    this.model = null;
    this.detector = null;
    await this.loading;
    if (this.held) await this.deps.detectors.release(this.held);
    this.held = null;
  }
}

function normaliseBox(box: PixelBox, width: number, height: number): NormalisedBox {
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  return [
    round(clamp(box[0] / width)),
    round(clamp(box[1] / height)),
    round(clamp(box[2] / width)),
    round(clamp(box[3] / height)),
  ];
}

const round = (v: number) => Math.round(v * 10_000) / 10_000;
