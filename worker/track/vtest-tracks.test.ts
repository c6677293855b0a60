// The real clip through the real stages, every frame analysed (SPEC D2, D3): the first 40 s of vtest.avi at 5 fps and
// 640x480 through the default ONNX detector, the tracker and the counter with a line across the walkway, exactly as
// CameraPipeline wires them but without the stream's timing (no frame is skipped), so the figures are the stages'
// own. Measured: 19 person tracks and 13 crossings (in and out) over these 40 s, in which about a dozen people walk
// along the path, a few of them twice; a tracker that lost people every few frames would start hundreds.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SCENE } from "../../app/models/demo-scene";
import { createCounterState, updateCounts, type CountEvent } from "../count/counter";
import { builtinModelPath, findBuiltinModel, readBuiltinManifest, toDescriptor } from "../detect/builtin-models";
import { createDetector } from "../detect/create-detector";
import type { Detector } from "../detect/detector";
import { VTEST_AVI } from "../detect/vtest-frames";
import { Tracker } from "./tracker";

const W = 640;
const H = 480;
const FPS = 5;
const SECONDS = 40;
const CONFIDENCE = 0.35; // the camera default (protocol/scene.ts)

let detector: Detector;
let frames: Buffer[] = [];

beforeAll(async () => {
  const model = findBuiltinModel(readBuiltinManifest());
  detector = await createDetector(toDescriptor(model), builtinModelPath(model), { threads: 2 });
  const raw = execFileSync(
    "ffmpeg",
    [
      ...["-loglevel", "error", "-i", VTEST_AVI, "-t", String(SECONDS), "-vf", `fps=${FPS},scale=${W}:${H}`],
      ...["-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
    ],
    { maxBuffer: 1 << 30 },
  );
  const size = W * H * 3;
  frames = [];
  for (let i = 0; i + size <= raw.length; i += size) frames.push(raw.subarray(i, i + size));
}, 120_000);

afterAll(async () => {
  await detector?.close();
});

describe("vtest.avi through detector, tracker and counter (D2, D3)", () => {
  it("follows people with stable ids and counts crossings of the walkway line both ways, never the parked cars", async () => {
    expect(frames.length).toBe(SECONDS * FPS);
    const tracker = new Tracker({ highScore: CONFIDENCE, lowScore: CONFIDENCE / 2, maxLostMs: 2_500 });
    const counter = createCounterState();
    const scene = DEMO_SCENE;
    const classes = new Set(["person", "bicycle", "car", "motorcycle", "bus", "truck"]);
    const personTracks = new Set<number>();
    const vehicleTracks = new Set<number>();
    const events: CountEvent[] = [];
    for (const [i, data] of frames.entries()) {
      const now = i * (1000 / FPS);
      const detections = await detector.detect({ width: W, height: H, data }, { minScore: CONFIDENCE / 2, classes });
      const { objects, ended } = tracker.update(detections, now);
      for (const o of objects) (o.class === "person" ? personTracks : vehicleTracks).add(o.trackId);
      events.push(
        ...updateCounts(counter, {
          objects: objects.map((o) => ({
            trackId: o.trackId,
            class: o.class,
            confidence: o.confidence,
            coasting: o.coasting,
            box: [
              Math.max(0, o.box[0] / W),
              Math.max(0, o.box[1] / H),
              Math.min(1, o.box[2] / W),
              Math.min(1, o.box[3] / H),
            ],
          })),
          ended: ended.map((o) => o.trackId),
          scene,
          classes,
          nowMs: now,
        }),
      );
    }
    const crossings = events.filter((e) => e.type === "line_crossing");
    const directions = new Set(crossings.map((c) => (c.type === "line_crossing" ? c.direction : "")));
    console.log(
      `vtest ${SECONDS} s: ${personTracks.size} person tracks, ${vehicleTracks.size} vehicle tracks, ${crossings.length} crossings`,
    );
    // D2: tens of person tracks, not hundreds.
    expect(personTracks.size).toBeGreaterThanOrEqual(8);
    expect(personTracks.size).toBeLessThanOrEqual(40);
    // D3: people cross the walkway line in both directions; every crossing is a person (the van and car are parked).
    expect(crossings.length).toBeGreaterThanOrEqual(6);
    expect(directions).toEqual(new Set(["in", "out"]));
    for (const c of crossings) expect(c.class).toBe("person");
    // One count per track per side change: a track's crossings alternate in/out.
    const byTrack = new Map<number, string[]>();
    for (const c of crossings)
      if (c.type === "line_crossing") byTrack.set(c.trackId, [...(byTrack.get(c.trackId) ?? []), c.direction]);
    for (const dirs of byTrack.values()) for (let k = 1; k < dirs.length; k++) expect(dirs[k]).not.toBe(dirs[k - 1]);
  }, 180_000);
});
