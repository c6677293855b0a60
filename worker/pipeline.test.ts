// CameraPipeline (SPEC D1-D5, W10, T1) with a scripted source and detector: the stages are real (motion gate, idle
// mode, scene quality, tracker, counter, envelope); only the video and the model are fakes.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_DETECTION_SETTINGS,
  detectionEventSchema,
  type CameraAnalysis,
  type DetectionEvent,
  type LiveDetections,
  type ModelDescriptor,
} from "../protocol";
import { encodeEmbedding } from "../protocol/faces";
import type { Detection, Detector, RgbImage } from "./detect/detector";
import { GalleryStore } from "./faces/gallery-store";
import type { FaceAnalyzer, FoundFace, PixelRect } from "./faces/types";
import type { Frame, FrameListener, FrameSource } from "./ingest/frame-source";
import { createWorkerLogger } from "./logger";
import { CameraPipeline } from "./pipeline";

const W = 320;
const H = 240;
const MODEL: ModelDescriptor = {
  id: "scripted",
  version: "1",
  format: "yolo",
  sha256: "a".repeat(64),
  inputWidth: 320,
  inputHeight: 320,
  classes: ["person"],
};

class ScriptedSource implements FrameSource {
  readonly cameraId: string;
  private listeners = new Set<FrameListener>();
  stopped = 0;
  seq = 0;
  constructor(cameraId: string) {
    this.cameraId = cameraId;
  }
  start = async () => undefined;
  stop = async () => void (this.stopped += 1);
  health = () => ({ state: "streaming" as const, fps: 5, latencyMs: 2 });
  onFrame(listener: FrameListener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  /** A grey frame with a bright block at x (pixels), or an all-black frame. */
  push(at: number, blockX: number | null, dark = false): void {
    const data = Buffer.alloc(W * H * 3, dark ? 2 : 110);
    // A still, textured scene (normal brightness and contrast), the same on every frame.
    if (!dark) for (let i = 0; i < data.length; i++) data[i] = 30 + (((Math.floor(i / 3) * 2654435761) >>> 24) % 200);
    if (blockX !== null)
      for (let y = 80; y < 200; y++)
        for (let x = blockX; x < Math.min(W, blockX + 30); x++) data.fill(250, (y * W + x) * 3, (y * W + x) * 3 + 3);
    const frame: Frame = {
      cameraId: this.cameraId,
      seq: this.seq++,
      width: W,
      height: H,
      format: "rgb24",
      data,
      receivedAt: at,
      decodedAt: at,
    };
    for (const l of this.listeners) l(frame);
  }
}

/** Finds the bright block like a detector would find a person. */
class BlockDetector implements Detector {
  readonly model = MODEL;
  calls = 0;
  closed = 0;
  async detect(frame: RgbImage): Promise<Detection[]> {
    this.calls += 1;
    let minX = Infinity;
    let maxX = -1;
    for (let x = 0; x < frame.width; x++) {
      const i = (140 * frame.width + x) * 3;
      if (frame.data[i] === 250) {
        minX = Math.min(minX, x);
        maxX = x;
      }
    }
    return maxX < 0 ? [] : [{ classId: 0, class: "person", score: 0.9, box: [minX, 80, maxX + 1, 200] }];
  }
  async close() {
    this.closed += 1;
  }
}

function setup(
  analysisPatch: Partial<CameraAnalysis> = {},
  faces?: ConstructorParameters<typeof CameraPipeline>[2]["faces"],
) {
  const cameraId = randomUUID();
  const source = new ScriptedSource(cameraId);
  const detector = new BlockDetector();
  const events: DetectionEvent[] = [];
  const live: LiveDetections[] = [];
  let refs = 0;
  let lamport = 0;
  const analysis: CameraAnalysis = {
    detection: { ...DEFAULT_DETECTION_SETTINGS, idleAfterSeconds: 5, idleFps: 0 },
    model: MODEL,
    scene: {
      lines: [{ id: "door", name: "Door", a: { x: 0.5, y: 0 }, b: { x: 0.5, y: 1 } }],
      zones: [],
    },
    ...analysisPatch,
  };
  const pipeline = new CameraPipeline({ cameraId, assignmentId: randomUUID(), analysisFps: 5, analysis }, source, {
    detectors: {
      acquire: async () => {
        refs += 1;
        return detector;
      },
      release: async () => void (refs -= 1),
    },
    publish: (e) => events.push(e),
    live: (m) => live.push(m),
    clock: { driftOffsetMs: () => 250, lamport: () => ++lamport },
    changed: () => undefined,
    logger: createWorkerLogger("silent", {}),
    faces,
  });
  return { pipeline, source, detector, events, live, refs: () => refs };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("CameraPipeline (D1-D5, W10, T1)", () => {
  it("tracks an object across a counting line: one track_start, one crossing in the right direction, live boxes", async () => {
    const { pipeline, source, events, live, refs } = setup();
    await pipeline.start();
    await settle(); // the detector loads
    expect(refs()).toBe(1);
    let t = 1_000_000;
    // Left to right: walking from a (top) to b (bottom) of the line, the right-hand side on screen is x < 0.5, so
    // left -> right is "out".
    for (let x = 20; x <= 280; x += 15) {
      source.push((t += 200), x);
      await settle();
    }
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === "track_start")).toHaveLength(1);
    const crossings = events.filter((e) => e.type === "line_crossing");
    expect(crossings).toHaveLength(1);
    expect(crossings[0]).toMatchObject({ lineId: "door", direction: "out", class: "person", modelId: "scripted" });
    for (const e of events) expect(detectionEventSchema.safeParse(e).success).toBe(true);
    // T1: the envelope carries the drift and the corrected time; Lamport strictly increases.
    expect(Date.parse(crossings[0]!.correctedUtc) - Date.parse(crossings[0]!.utcTimestamp)).toBe(250);
    const lamports = events.map((e) => e.lamport);
    expect([...lamports].sort((a, b) => a - b)).toEqual(lamports);
    expect(live.length).toBeGreaterThan(10);
    expect(live.at(-1)!.objects[0]).toMatchObject({ class: "person" });
    expect(pipeline.health()).toMatchObject({ mode: "active", objects: 1 });
    await pipeline.close();
    await pipeline.close();
    expect(source.stopped).toBe(1);
    expect(refs()).toBe(0);
  });

  it("goes idle after the quiet period (detector stops at idleFps 0) and wakes on the first frame with motion (W10)", async () => {
    const { pipeline, source, detector } = setup();
    await pipeline.start();
    await settle();
    let t = 2_000_000;
    for (let i = 0; i < 40; i++) {
      source.push((t += 200), null); // 8 s of a still, empty scene
      await settle();
    }
    expect(pipeline.health().mode).toBe("idle");
    const callsWhileIdle = detector.calls;
    source.push((t += 200), null);
    await settle();
    expect(detector.calls).toBe(callsWhileIdle);
    source.push((t += 200), 100); // something appears: motion
    await settle();
    expect(pipeline.health().mode).toBe("active");
    expect(detector.calls).toBe(callsWhileIdle + 1);
    await pipeline.close();
  });

  it("raises a dark-scene warning once and clears it once (D5)", async () => {
    const { pipeline, source, events } = setup();
    await pipeline.start();
    await settle();
    let t = 3_000_000;
    for (let i = 0; i < 50; i++) source.push((t += 200), null, true);
    await settle();
    for (let i = 0; i < 50; i++) source.push((t += 200), null);
    await settle();
    const warnings = events.filter((e) => e.type === "scene_warning");
    expect(warnings.map((w) => (w.type === "scene_warning" ? w.warning : "x"))).toEqual(["dark", null]);
    await pipeline.close();
  });

  it("decodes only when detection is disabled, and a new model from the server swaps the detector (C5)", async () => {
    const { pipeline, source, detector, refs } = setup({
      detection: { ...DEFAULT_DETECTION_SETTINGS, enabled: false },
    });
    await pipeline.start();
    await settle();
    source.push(4_000_000, 100);
    await settle();
    expect(detector.calls).toBe(0);
    expect(refs()).toBe(0);
    expect(pipeline.health().mode).toBe("off");
    pipeline.setAnalysis({
      detection: DEFAULT_DETECTION_SETTINGS,
      model: MODEL,
      scene: { lines: [], zones: [] },
    });
    await settle();
    source.push(4_000_200, 120);
    await settle();
    expect(detector.calls).toBe(1);
    expect(refs()).toBe(1);
    await pipeline.close();
    expect(refs()).toBe(0);
  });
});

/** Issue 14: a face analyzer that finds one 60 px face at the top of any region and embeds it as one fixed vector. */
class OneFaceAnalyzer implements FaceAnalyzer {
  readonly embedderId = "faceres";
  readonly embedderVersion = "1";
  readonly dimensions = 2;
  regions: PixelRect[] = [];
  async detect(_image: RgbImage, region?: PixelRect): Promise<FoundFace[]> {
    this.regions.push(region!);
    const [x1, y1, x2] = region!;
    const cx = (x1 + x2) / 2;
    return [
      {
        box: [cx - 30, y1, cx + 30, y1 + 60],
        score: 0.9,
        keypoints: [],
        quality: { sizePx: 60, sharpness: 100, frontal: 1 },
      },
    ];
  }
  async embed(): Promise<Float32Array> {
    return Float32Array.from([1, 0]);
  }
  async close() {}
}

describe("CameraPipeline with faces (D6, C3; issue 14)", () => {
  it("recognises a person track: green name on the live boxes, one face_recognised stamped with the embedder", async () => {
    const galleryId = randomUUID();
    const personId = randomUUID();
    const galleries = new GalleryStore(createWorkerLogger("silent", {}));
    galleries.apply({
      galleryId,
      revision: 1,
      modelId: "faceres",
      modelVersion: "1",
      enabled: true,
      people: [{ personId, name: "Ada", embeddings: [encodeEmbedding(Float32Array.from([0.9, 0.1]))] }],
    });
    const analyzer = new OneFaceAnalyzer();
    const { pipeline, source, events, live } = setup(
      {
        faces: {
          enabled: true,
          galleryId,
          settings: { threshold: 0.5, margin: 0.05, minFacePx: 16, reclassifySeconds: 10 },
        },
      },
      { analyzer: async () => analyzer, galleries },
    );
    await pipeline.start();
    await settle();
    let t = 5_000_000;
    for (let i = 0; i < 10; i++) {
      source.push((t += 200), 100);
      await settle();
    }
    const recognised = events.filter((e) => e.type === "face_recognised");
    expect(recognised).toHaveLength(1);
    expect(recognised[0]).toMatchObject({ personId, modelId: "faceres", modelVersion: "1" });
    expect(detectionEventSchema.safeParse(recognised[0]).success).toBe(true);
    expect(live.at(-1)!.objects[0]).toMatchObject({ class: "person", known: true, label: "Ada" });
    // the face is looked for inside the person's box (x 100..130 of 320), never in the whole frame
    for (const [x1, , x2] of analyzer.regions) expect(x2 - x1).toBeLessThan(40);
    await pipeline.close();
    expect(events.filter((e) => e.type === "face_track_end")).toHaveLength(1);
  });

  it("does no face work when the camera's analysis does not enable faces", async () => {
    const analyzer = new OneFaceAnalyzer();
    const { pipeline, source, live } = setup(
      {},
      { analyzer: async () => analyzer, galleries: new GalleryStore(createWorkerLogger("silent", {})) },
    );
    await pipeline.start();
    await settle();
    for (let i = 0, t = 6_000_000; i < 6; i++) {
      source.push((t += 200), 100);
      await settle();
    }
    expect(analyzer.regions).toEqual([]);
    expect(live.at(-1)!.objects[0]!.known).toBeUndefined();
    await pipeline.close();
  });
});
