// Face recognition on a camera (issue 14, D6): what it adds to a worker. Clips are decoded at the worker's 640x480 and
// the analysis rate (5 fps), run through the worker's own person detector (nanodet, 2 threads) and tracker; then the
// real FaceStage with the real face analyzer (BlazeFace back + the default embedder, 1 thread, the worker's
// settings) and a real gallery (the known man of tests/support/face-clip.ts enrolled from a different image, and the
// unknown man, so the margin rule has a second person). Clips:
//   - vtest.avi: up to ~11 people walking, faces small (mostly under minFacePx 40): the cost of looking;
//   - the face clip (tests/support/face-clip.ts): one person with a ~150 px face: the cost of classifying.
// Prints per clip, with and without gating (without: every person track searched and embedded on every frame):
//   - extra CPU per analysed frame: process CPU time (all threads) of FaceStage.update + its face job, per frame;
//   - face detections (searches) and embeddings per frame, and events sent;
// and classifications per second one worker sustains: detect-in-box + embed + match back to back on the face
// clip's frames (1 thread), i.e. the ceiling one analyzer reaches for all of a worker's cameras together.
//   npm run bench:face-recognition -- [--seconds=20] [--fps=5] [--loop-seconds=10]
// Measured 2026-12-02 (2 shared cores, load ~5): vtest 0.0 ms/frame with gating vs 94.8 without (5.9 persons, faces
// below minFacePx); face clip 4.6 vs 28.1 ms/frame; 38.8-41.7 ms CPU per classification (~24/s per free core).
// Details: docs/faces.md.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { DEFAULT_FACE_SETTINGS, encodeEmbedding, type CameraFaceAnalysis } from "../protocol/faces";
import { builtinModelPath, findBuiltinModel, readBuiltinManifest, toDescriptor } from "../worker/detect/builtin-models";
import { createDetector } from "../worker/detect/create-detector";
import type { RgbImage } from "../worker/detect/detector";
import { VTEST_AVI } from "../worker/detect/vtest-frames";
import { decodeImage } from "../worker/faces/decode-image";
import { createFaceAnalyzer } from "../worker/faces/face-analyzer";
import { FaceStage, faceOfTrack, faceRegion, type FaceTrackInput } from "../worker/faces/face-stage";
import { GalleryStore } from "../worker/faces/gallery-store";
import { matchFace } from "../worker/faces/matcher";
import type { FaceAnalyzer } from "../worker/faces/types";
import { Tracker } from "../worker/track/tracker";
import { ensureFaceClip, enrolmentImage } from "../tests/support/face-clip";
import { argValue, percentile } from "./support/c4-pipeline";

const WIDTH = 640;
const HEIGHT = 480;
const GALLERY_ID = "00000000-0000-4000-8000-00000000face";
const silent = { info() {}, warn() {}, error() {} };

interface AnalysedFrame {
  frame: RgbImage;
  nowMs: number;
  objects: FaceTrackInput[];
  ended: Array<{ trackId: number }>;
}

async function decode(file: string, seconds: number, fps: number): Promise<RgbImage[]> {
  const ffmpeg = spawn("ffmpeg", [
    ...["-hide_banner", "-loglevel", "error", "-stream_loop", "-1", "-i", file, "-t", String(seconds)],
    ...["-vf", `fps=${fps},scale=${WIDTH}:${HEIGHT}`, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
  ]);
  const size = WIDTH * HEIGHT * 3;
  const out: RgbImage[] = [];
  let pending = Buffer.alloc(0);
  for await (const chunk of ffmpeg.stdout as AsyncIterable<Buffer>) {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= size) {
      out.push({ width: WIDTH, height: HEIGHT, data: Buffer.from(pending.subarray(0, size)) });
      pending = pending.subarray(size);
    }
  }
  return out;
}

/** Person detection and tracking once per clip (not part of the measured cost: the worker does it anyway). */
async function track(frames: RgbImage[], fps: number): Promise<AnalysedFrame[]> {
  const model = findBuiltinModel(readBuiltinManifest());
  const detector = await createDetector(toDescriptor(model), builtinModelPath(model), { threads: 2 });
  const tracker = new Tracker({ highScore: 0.35, lowScore: 0.175, maxLostMs: 2500 });
  const out: AnalysedFrame[] = [];
  for (const [i, frame] of frames.entries()) {
    const nowMs = 1_000_000 + (i * 1000) / fps;
    const detections = await detector.detect(frame, { minScore: 0.175, classes: new Set(["person"]) });
    const { objects, ended } = tracker.update(detections, nowMs);
    out.push({
      frame,
      nowMs,
      ended,
      objects: objects.map((o) => ({
        trackId: o.trackId,
        class: o.class,
        coasting: o.coasting,
        ageMs: o.ageMs,
        box: [o.box[0] / WIDTH, o.box[1] / HEIGHT, o.box[2] / WIDTH, o.box[3] / HEIGHT],
      })),
    });
  }
  await detector.close();
  return out;
}

/** Counts the analyzer's calls (the stage's work) without changing it. */
function counting(analyzer: FaceAnalyzer) {
  const counts = { detect: 0, embed: 0 };
  const wrapped: FaceAnalyzer = {
    embedderId: analyzer.embedderId,
    embedderVersion: analyzer.embedderVersion,
    dimensions: analyzer.dimensions,
    detect: (image, region) => (counts.detect++, analyzer.detect(image, region)),
    embed: (image, face) => (counts.embed++, analyzer.embed(image, face)),
    close: () => analyzer.close(),
  };
  return { wrapped, counts };
}

async function enrol(analyzer: FaceAnalyzer): Promise<GalleryStore> {
  const people = [];
  for (const who of ["known", "unknown"] as const) {
    const image = decodeImage(new Uint8Array(readFileSync(enrolmentImage(who))));
    const [face] = await analyzer.detect(image);
    if (!face) throw new Error(`no face found in the ${who} enrolment image`);
    const embedding = await analyzer.embed(image, face);
    people.push({
      personId: who === "known" ? "00000000-0000-4000-8000-000000000001" : "00000000-0000-4000-8000-000000000002",
      name: who,
      embeddings: [encodeEmbedding(embedding)],
    });
  }
  const store = new GalleryStore(silent);
  store.apply({
    galleryId: GALLERY_ID,
    revision: 1,
    modelId: analyzer.embedderId,
    modelVersion: analyzer.embedderVersion,
    enabled: true,
    people,
  });
  return store;
}

async function measure(analyzer: FaceAnalyzer, galleries: GalleryStore, clip: AnalysedFrame[], gating: boolean) {
  const { wrapped, counts } = counting(analyzer);
  const faces: CameraFaceAnalysis = { enabled: true, galleryId: GALLERY_ID, settings: { ...DEFAULT_FACE_SETTINGS } };
  const events: string[] = [];
  const stage = new FaceStage(
    "bench",
    {
      analyzer: async () => wrapped,
      galleries,
      emit: (list) => events.push(...list.map((e) => e.type)),
      driftOffsetMs: () => 0,
      logger: silent,
    },
    gating ? {} : { gating: false, maxFacesPerJob: 100 },
  );
  const cpuMs: number[] = [];
  for (const f of clip) {
    const before = process.cpuUsage();
    stage.update({ frame: f.frame, nowMs: f.nowMs, objects: f.objects, ended: f.ended, faces });
    // Every frame's job completes before the next (the worker would skip frames while one runs: this is the cost
    // of keeping up, not of falling behind).
    await stage.settled();
    const used = process.cpuUsage(before);
    cpuMs.push((used.user + used.system) / 1000);
  }
  stage.flush(clip.at(-1)!.nowMs);
  const frames = clip.length;
  const persons = clip.reduce((n, f) => n + f.objects.filter((o) => !o.coasting).length, 0) / frames;
  const total = cpuMs.reduce((a, b) => a + b, 0);
  return {
    gating,
    perFrameMs: total / frames,
    p95Ms: percentile(cpuMs, 95),
    persons,
    searchesPerFrame: counts.detect / frames,
    embedsPerFrame: counts.embed / frames,
    events: events.reduce<Record<string, number>>((m, t) => ({ ...m, [t]: (m[t] ?? 0) + 1 }), {}),
  };
}

/** Back-to-back classifications (detect in the person's box + embed + match) on the face clip's frames. */
async function sustained(analyzer: FaceAnalyzer, galleries: GalleryStore, clip: AnalysedFrame[], seconds: number) {
  const people = galleries.usable(GALLERY_ID, { id: analyzer.embedderId, version: analyzer.embedderVersion })!;
  const withFace = clip.flatMap((f) => f.objects.filter((o) => !o.coasting).map((o) => ({ frame: f.frame, o })));
  if (!withFace.length) return null;
  let n = 0;
  let recognised = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  while (performance.now() - started < seconds * 1000) {
    const { frame, o } = withFace[n % withFace.length]!;
    n += 1;
    const face = faceOfTrack(await analyzer.detect(frame, faceRegion(o.box, WIDTH, HEIGHT)), o.box, WIDTH);
    if (!face) continue;
    const result = matchFace(await analyzer.embed(frame, face), people, DEFAULT_FACE_SETTINGS);
    if (result.person?.name === "known") recognised += 1;
  }
  const wall = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { perSecond: n / wall, cpuMsEach: (used.user + used.system) / 1000 / n, recognised, n };
}

async function main() {
  const seconds = Number(argValue("seconds") ?? 20);
  const fps = Number(argValue("fps") ?? 5);
  const loopSeconds = Number(argValue("loop-seconds") ?? 10);
  const analyzer = await createFaceAnalyzer({ detector: "back", threads: 1 });
  const galleries = await enrol(analyzer);
  console.log(
    `face recognition bench: ${fps} fps, ${seconds} s per clip, embedder ${analyzer.embedderId}@${analyzer.embedderVersion}`,
  );
  console.log(`settings: ${JSON.stringify(DEFAULT_FACE_SETTINGS)}`);
  let faceClip: AnalysedFrame[] = [];
  for (const [name, file] of [
    ["vtest.avi (crowd, small faces)", VTEST_AVI],
    ["face clip (one person, ~150 px face)", ensureFaceClip("known")],
  ] as const) {
    const clip = await track(await decode(file, seconds, fps), fps);
    if (file !== VTEST_AVI) faceClip = clip;
    for (const gating of [true, false]) {
      const r = await measure(analyzer, galleries, clip, gating);
      console.log(
        `${name.padEnd(38)} gating ${gating ? "on " : "off"}: ${r.perFrameMs.toFixed(1)} ms CPU/frame ` +
          `(p95 ${r.p95Ms.toFixed(1)}; ${((r.perFrameMs * fps) / 10).toFixed(1)}% of a core at ${fps} fps), ` +
          `${r.persons.toFixed(1)} persons/frame, ${r.searchesPerFrame.toFixed(2)} searches + ` +
          `${r.embedsPerFrame.toFixed(2)} embeddings per frame, events ${JSON.stringify(r.events)}`,
      );
    }
  }
  const s = await sustained(analyzer, galleries, faceClip, loopSeconds);
  if (s)
    console.log(
      `sustained: ${s.perSecond.toFixed(1)} classifications/s on one analyzer (1 thread), ` +
        `${s.cpuMsEach.toFixed(1)} ms CPU each; ${s.recognised}/${s.n} recognised as the enrolled person`,
    );
  await analyzer.close();
}

await main();
