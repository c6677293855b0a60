// The worker's threaded face analyzer (issue 14, D6) gives exactly what the in-process analyzer gives on a real
// photograph (opencv-doc julia_facedetect_sample.jpg): the same faces, the same embedding, inside a person-like
// region too; and it answers calls that overlap.
import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeImage } from "./decode-image";
import { createFaceAnalyzer } from "./face-analyzer";
import { createThreadedFaceAnalyzer } from "./threaded-analyzer";
import type { FaceAnalyzer, RgbImage } from "./types";

const PHOTO = "/usr/share/doc/opencv-doc/opencv4/html/julia_facedetect_sample.jpg";
let direct: FaceAnalyzer;
let threaded: FaceAnalyzer;
let image: RgbImage;

describe.skipIf(!existsSync(PHOTO))("threaded face analyzer", () => {
  beforeAll(async () => {
    image = decodeImage(readFileSync(PHOTO));
    direct = await createFaceAnalyzer({ detector: "back" });
    threaded = await createThreadedFaceAnalyzer({ detector: "back" });
  }, 120_000);
  afterAll(async () => {
    await direct?.close();
    await threaded?.close();
  });

  it("finds the same faces and the same embedding as the analyzer in this thread", async () => {
    expect([threaded.embedderId, threaded.embedderVersion, threaded.dimensions]).toEqual([
      direct.embedderId,
      direct.embedderVersion,
      direct.dimensions,
    ]);
    const [faces, again] = await Promise.all([threaded.detect(image), threaded.detect(image)]);
    expect(faces).toEqual(await direct.detect(image));
    expect(again).toEqual(faces);
    expect(faces.length).toBeGreaterThan(0);
    const [a, b] = await Promise.all([threaded.embed(image, faces[0]!), direct.embed(image, faces[0]!)]);
    expect(a).toBeInstanceOf(Float32Array);
    expect(Array.from(a)).toEqual(Array.from(b));
    const [x1, y1, x2, y2] = faces[0]!.box;
    const w = x2 - x1;
    const region: [number, number, number, number] = [
      Math.max(0, Math.round(x1 - w)),
      Math.max(0, Math.round(y1 - w)),
      Math.min(image.width, Math.round(x2 + w)),
      Math.min(image.height, Math.round(y2 + w)),
    ];
    expect(await threaded.detect(image, region)).toEqual(await direct.detect(image, region));
  }, 60_000);

  it("refuses calls after close", async () => {
    const analyzer = await createThreadedFaceAnalyzer({ detector: "back" });
    await analyzer.close();
    await expect(analyzer.detect(image)).rejects.toThrow("closed");
  }, 60_000);
});
