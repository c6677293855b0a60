import { describe, expect, it } from "vitest";
import { detectionEventSchema, type NormalisedBox } from "../../protocol/events";
import { DEFAULT_FACE_SETTINGS, encodeEmbedding, type CameraFaceAnalysis } from "../../protocol/faces";
import { FaceStage, faceRegion, lazyAnalyzer, type FaceEventBody, type FaceTrackInput } from "./face-stage";
import { stampEvent } from "../publish/envelope";
import { GalleryStore } from "./gallery-store";
import type { FaceAnalyzer, FoundFace, PixelRect } from "./types";

const GALLERY = "11111111-1111-4111-8111-111111111111";
const ADA = "22222222-2222-4222-8222-222222222222";
const BOB = "33333333-3333-4333-8333-333333333333";
const silent = { info() {}, warn() {}, error() {} };
const frame = { width: 1000, height: 1000, data: new Uint8Array(3) };
const faces: CameraFaceAnalysis = { enabled: true, galleryId: GALLERY, settings: { ...DEFAULT_FACE_SETTINGS } };
const adaFace = Float32Array.from([1, 0, 0]);
const bobFace = Float32Array.from([0, 1, 0]);
const strangerFace = Float32Array.from([0, 0, 1]);

/** A fake analyzer: the face in a region is whatever `scene` says stands at the region's left edge. */
class FakeAnalyzer implements FaceAnalyzer {
  readonly embedderId = "faceres";
  readonly embedderVersion = "1";
  readonly dimensions = 3;
  detections = 0;
  embeddings = 0;
  readonly scene = new Map<number, { embedding: Float32Array; sizePx: number; sharpness?: number }>();
  private readonly of = new WeakMap<FoundFace, Float32Array>();
  async detect(_image: unknown, region?: PixelRect): Promise<FoundFace[]> {
    this.detections += 1;
    const r = region!;
    const who = [...this.scene.entries()].find(([left]) => Math.abs(left - r[0]) < 60);
    if (!who) return [];
    const [, face] = who;
    const cx = (r[0] + r[2]) / 2;
    const found: FoundFace = {
      box: [cx - face.sizePx / 2, r[1] + 10, cx + face.sizePx / 2, r[1] + 10 + face.sizePx],
      score: 0.9,
      keypoints: [],
      quality: { sizePx: face.sizePx, sharpness: face.sharpness ?? 100, frontal: 1 },
    };
    this.of.set(found, face.embedding);
    return [found];
  }
  async embed(_image: unknown, face: FoundFace): Promise<Float32Array> {
    this.embeddings += 1;
    return this.of.get(face)!;
  }
  async close() {}
}

function setup(options: ConstructorParameters<typeof FaceStage>[2] = {}, people = [ADA, BOB]) {
  const analyzer = new FakeAnalyzer();
  const galleries = new GalleryStore(silent as never);
  galleries.apply({
    galleryId: GALLERY,
    revision: 1,
    modelId: "faceres",
    modelVersion: "1",
    enabled: true,
    people: people.map((id) => ({
      personId: id,
      name: id === ADA ? "Ada" : "Bob",
      embeddings: [encodeEmbedding(id === ADA ? adaFace : bobFace)],
    })),
  });
  const events: Array<FaceEventBody & { atMs: number; model: string }> = [];
  const errors: string[] = [];
  const stage = new FaceStage(
    "cam",
    {
      analyzer: async () => analyzer,
      galleries,
      emit: (list, atMs, model) =>
        events.push(...list.map((e) => ({ ...e, atMs, model: `${model.id}@${model.version}` }))),
      driftOffsetMs: () => 0,
      logger: { ...silent, error: (_o: unknown, message?: string) => void errors.push(String(message)) },
    },
    options,
  );
  const step = async (nowMs: number, objects: FaceTrackInput[], ended: number[] = []) => {
    stage.update({ frame, nowMs, objects, ended: ended.map((trackId) => ({ trackId })), faces });
    await stage.settled();
  };
  return { analyzer, galleries, events, errors, stage, step };
}

/** A person standing with the left edge of their box at x (pixels of the 1000x1000 frame). */
const person = (trackId: number, x: number, ageMs = 0, extra: Partial<FaceTrackInput> = {}): FaceTrackInput => ({
  trackId,
  class: "person",
  box: [x / 1000, 0.2, (x + 200) / 1000, 0.9] as NormalisedBox,
  coasting: false,
  ageMs,
  ...extra,
});
// faceRegion widens the box by 10% of its width (20 px) on the left
const regionLeft = (x: number) => x - 20;

describe("FaceStage (D6, C3)", () => {
  it("recognises a person once: one event, the name on the live box, no further work every frame", async () => {
    const { analyzer, events, stage, step } = setup();
    analyzer.scene.set(regionLeft(100), { embedding: adaFace, sizePx: 60 });
    for (let t = 0; t <= 1_600; t += 200) await step(10_000 + t, [person(7, 100, t)]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "face_recognised", trackId: 7, personId: ADA, model: "faceres@1" });
    expect(events[0]).toMatchObject({ similarity: 1, margin: 1, box: [0.1, 0.2, 0.3, 0.9], atMs: 10_000 });
    expect(stage.identityOf(7)).toEqual({ known: true, label: "Ada" });
    expect(analyzer.embeddings).toBe(1);
    expect(analyzer.detections).toBeLessThanOrEqual(3); // searched at most every lookMs after the classification
  });

  it("reports an unknown face once per track, drawn red", async () => {
    const { analyzer, events, stage, step } = setup();
    analyzer.scene.set(regionLeft(100), { embedding: strangerFace, sizePx: 60 });
    for (let t = 0; t <= 12_000; t += 200) await step(t, [person(3, 100, t)]);
    expect(events.map((e) => e.type)).toEqual(["face_unknown"]);
    expect(events[0]).toMatchObject({ bestSimilarity: 0 });
    expect(stage.identityOf(3)).toEqual({ known: false, label: "unknown" });
  });

  it("reports an identity change when the track's face moves away (the tracker swapped people)", async () => {
    const { analyzer, events, stage, step } = setup();
    analyzer.scene.set(regionLeft(100), { embedding: adaFace, sizePx: 60 });
    await step(0, [person(1, 100)]);
    analyzer.scene.set(regionLeft(100), { embedding: bobFace, sizePx: 60 });
    for (let t = 200; t <= 3_000; t += 200) await step(t, [person(1, 100, t)]);
    expect(events.map((e) => [e.type, "personId" in e ? e.personId : null])).toEqual([
      ["face_recognised", ADA],
      ["face_recognised", BOB],
    ]);
    expect(stage.identityOf(1)?.label).toBe("Bob");
  });

  it("keeps a known name when a later view of the same track is weaker (no flicker to unknown)", async () => {
    const { analyzer, events, stage, step } = setup();
    analyzer.scene.set(regionLeft(100), { embedding: adaFace, sizePx: 60 });
    await step(0, [person(1, 100)]);
    // a blurred view, 85% similar to Ada: below the threshold 0.9 but not moved away (distance 0.15 < 0.3)
    const blurred = Float32Array.from([0.85, 0, Math.sqrt(1 - 0.85 ** 2)]);
    analyzer.scene.set(regionLeft(100), { embedding: blurred, sizePx: 60 });
    faces.settings = { ...faces.settings, threshold: 0.9 };
    try {
      for (let t = 200; t <= 11_000; t += 200) await step(t, [person(1, 100, t)]);
    } finally {
      faces.settings = { ...DEFAULT_FACE_SETTINGS };
    }
    expect(events.map((e) => e.type)).toEqual(["face_recognised"]);
    expect(stage.identityOf(1)).toEqual({ known: true, label: "Ada" });
  });

  it("sends face_track_end with the last identity, first seen and visible time when a classified track ends", async () => {
    const { analyzer, events, step } = setup();
    analyzer.scene.set(regionLeft(100), { embedding: adaFace, sizePx: 60 });
    await step(1_000_000, [person(4, 100, 500)]); // first seen 500 ms earlier
    await step(1_004_000, [person(4, 100, 4_500)]);
    await step(1_005_000, [person(4, 100, 5_500, { coasting: true })]); // a prediction: not seen
    await step(1_006_000, [person(9, 600)], [4]);
    const end = events.find((e) => e.type === "face_track_end");
    expect(end).toEqual({
      type: "face_track_end",
      trackId: 4,
      personId: ADA,
      firstSeen: new Date(999_500).toISOString(),
      visibleMs: 4_500,
      atMs: 1_006_000,
      model: "faceres@1",
    });
    // a track never classified (no face found) ends without an event
    await step(1_007_000, [], [9]);
    expect(events.filter((e) => e.type === "face_track_end")).toHaveLength(1);
  });

  it("does no face work without a gallery (no flood of unknowns before it arrives)", async () => {
    const { analyzer, events, galleries, step } = setup();
    analyzer.scene.set(regionLeft(100), { embedding: adaFace, sizePx: 60 });
    galleries.apply({ galleryId: GALLERY, revision: 2, modelId: "x", modelVersion: "1", enabled: false, people: [] });
    await step(0, [person(1, 100)]);
    expect(analyzer.detections).toBe(0);
    expect(events).toEqual([]);
  });

  it("re-decides a classified track when a new gallery revision arrives (the person was deleted)", async () => {
    const { analyzer, events, galleries, stage, step } = setup();
    analyzer.scene.set(regionLeft(100), { embedding: adaFace, sizePx: 60 });
    await step(0, [person(1, 100)]);
    galleries.apply({
      galleryId: GALLERY,
      revision: 2,
      modelId: "faceres",
      modelVersion: "1",
      enabled: true,
      people: [{ personId: BOB, name: "Bob", embeddings: [encodeEmbedding(bobFace)] }],
    });
    await step(200, [person(1, 100, 200)]);
    expect(events.map((e) => e.type)).toEqual(["face_recognised", "face_unknown"]);
    expect(stage.identityOf(1)).toEqual({ known: false, label: "unknown" });
  });

  it("skips coasting tracks and faces below minFacePx, and bounds the tracks searched per job (new first)", async () => {
    const { analyzer, events, step } = setup({ maxFacesPerJob: 2 });
    analyzer.scene.set(regionLeft(0), { embedding: adaFace, sizePx: 30 }); // too small
    analyzer.scene.set(regionLeft(300), { embedding: bobFace, sizePx: 60 });
    analyzer.scene.set(regionLeft(600), { embedding: adaFace, sizePx: 60 });
    await step(0, [person(1, 0), person(2, 300, 0, { coasting: true }), person(3, 600), person(4, 800)]);
    expect(analyzer.detections).toBe(2);
    expect(events.map((e) => e.trackId)).toEqual([3]);
    await step(200, [person(1, 0), person(2, 300), person(3, 600), person(4, 800)]);
    // track 3 is classified: the two unclassified tracks searched longest ago go first (2 never, 4 never)
    expect(events.map((e) => e.trackId)).toEqual([3, 2]);
  });

  it("without gating embeds every searched track on every frame (the benchmark's baseline)", async () => {
    const { analyzer, events, step } = setup({ gating: false });
    analyzer.scene.set(regionLeft(100), { embedding: adaFace, sizePx: 60 });
    for (let t = 0; t < 2_000; t += 200) await step(t, [person(1, 100, t)]);
    expect(analyzer.embeddings).toBe(10);
    expect(events).toHaveLength(1); // events still only on a change
  });

  it("flush ends every classified track (tracking reset, faces turned off)", async () => {
    const { analyzer, events, stage, step } = setup();
    analyzer.scene.set(regionLeft(100), { embedding: strangerFace, sizePx: 60 });
    await step(0, [person(1, 100)]);
    stage.flush(5_000);
    expect(events.map((e) => [e.type, "personId" in e ? e.personId : undefined])).toEqual([
      ["face_unknown", undefined],
      ["face_track_end", null],
    ]);
    expect(stage.tracked).toBe(0);
  });

  it("produces events that pass the protocol's schema once stamped (T1 envelope)", async () => {
    const { analyzer, events, stage, step } = setup();
    analyzer.scene.set(regionLeft(100), { embedding: adaFace, sizePx: 60 });
    analyzer.scene.set(regionLeft(500), { embedding: strangerFace, sizePx: 60 });
    await step(Date.UTC(2026, 0, 1), [person(1, 100), person(2, 500)]);
    stage.flush(Date.UTC(2026, 0, 1, 0, 1));
    expect(events.map((e) => e.type).sort()).toEqual([
      "face_recognised",
      "face_track_end",
      "face_track_end",
      "face_unknown",
    ]);
    const clock = { nowMs: () => Date.UTC(2026, 0, 1), driftOffsetMs: () => 0, lamport: () => 1 };
    for (const { atMs: _at, model: _model, ...body } of events) {
      const stamped = stampEvent(body, clock, { cameraId: GALLERY, modelId: "faceres", modelVersion: "1" });
      expect(detectionEventSchema.safeParse(stamped).error).toBeUndefined();
    }
  });

  it("looks for the face in the upper part of the person's box, padded and clamped to the frame", () => {
    expect(faceRegion([0.1, 0.2, 0.3, 0.9], 1000, 500)).toEqual([80, 83, 320, 310]);
    expect(faceRegion([0, 0, 1, 1], 640, 480)).toEqual([0, 0, 640, 288]);
  });

  it("creates one shared analyzer lazily, and after a failure waits before trying again", async () => {
    let calls = 0;
    let fail = true;
    const holder = lazyAnalyzer(async () => {
      calls += 1;
      if (fail) throw new Error("models missing");
      return new FakeAnalyzer();
    }, 50);
    expect(calls).toBe(0);
    await expect(holder.get()).rejects.toThrow("models missing");
    await expect(holder.get()).rejects.toThrow("models missing");
    expect(calls).toBe(1);
    fail = false;
    await new Promise((r) => setTimeout(r, 60));
    const [a, b] = await Promise.all([holder.get(), holder.get()]);
    expect(a).toBe(b);
    expect(calls).toBe(2);
    await holder.close();
  });

  it("logs a failing face job once per streak of failures, and keeps tracking", async () => {
    const { analyzer, errors, stage, step } = setup();
    analyzer.scene.set(regionLeft(100), { embedding: adaFace, sizePx: 60 });
    const broken = analyzer.detect.bind(analyzer);
    analyzer.detect = async () => {
      throw new Error("model failed");
    };
    for (let t = 0; t <= 2_000; t += 200) await step(t, [person(1, 100, t)]);
    expect(errors).toEqual(["face analysis failed; continuing"]);
    analyzer.detect = broken;
    await step(2_600, [person(1, 100, 2_600)]);
    expect(stage.identityOf(1)).toEqual({ known: true, label: "Ada" });
    analyzer.detect = async () => {
      throw new Error("model failed again");
    };
    await step(2_800, [person(2, 500, 0)]);
    expect(errors).toHaveLength(2);
  });
});
