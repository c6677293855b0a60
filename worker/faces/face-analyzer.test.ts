// createFaceAnalyzer with the real models from setup on real photographs (issue 14): region crops map back to image
// pixels, embeddings are L2-normalised, quality reacts to blur and head turn, and missing models say what to do.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureFaceModels } from "../../scripts/models/build-face-models";
import { decodeImage } from "./decode-image";
import { createFaceAnalyzer } from "./face-analyzer";
import { OFFLINE_PHOTOS, loadOfflinePhoto } from "./offline-photos";
import type { FaceAnalyzer, RgbImage } from "./types";

const MESSI = "/usr/share/doc/opencv-doc/examples/data/messi5.jpg";
const JULIA = "/usr/share/doc/opencv-doc/opencv4/html/julia_facedetect_sample.jpg";
const photosHere = existsSync(MESSI) && existsSync(JULIA);
let analyzer: FaceAnalyzer;

beforeAll(async () => {
  ensureFaceModels({ log: () => {} });
  analyzer = await createFaceAnalyzer();
}, 600_000);
afterAll(() => analyzer?.close());

function boxBlur(img: RgbImage, r: number): RgbImage {
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++) {
        let s = 0;
        let n = 0;
        for (let dy = -r; dy <= r; dy++)
          for (let dx = -r; dx <= r; dx++) {
            const xx = Math.min(w - 1, Math.max(0, x + dx));
            const yy = Math.min(h - 1, Math.max(0, y + dy));
            s += data[(yy * w + xx) * 3 + c]!;
            n++;
          }
        out[(y * w + x) * 3 + c] = s / n;
      }
  return { width: w, height: h, data: out };
}

describe("createFaceAnalyzer", () => {
  it("without the models: a clear error that names npm run setup", async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), "argus-no-models-"));
    try {
      await expect(createFaceAnalyzer({ modelsDir: empty })).rejects.toThrow(/face models are missing.*npm run setup/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("describes its embedder: faceres, 1024-d, the crop in the version", () => {
    expect(analyzer.embedderId).toBe("faceres");
    expect(analyzer.dimensions).toBe(1024);
    expect(analyzer.embedderVersion).toBe("3.3.6/box1.7");
  });
});

describe.skipIf(!photosHere)("on real photographs (opencv-doc)", () => {
  it("a tall person region is padded to a square and the face maps back to image pixels", async () => {
    const img = decodeImage(readFileSync(MESSI));
    const [whole] = await analyzer.detect(img);
    expect(whole).toBeTruthy();
    // Messi's body, tall and narrow (hand-read from the image): the face is near its top.
    const [inRegion] = await analyzer.detect(img, [190, 80, 300, 342]);
    expect(inRegion).toBeTruthy();
    for (let k = 0; k < 4; k++) expect(Math.abs(inRegion!.box[k]! - whole!.box[k]!)).toBeLessThan(4);
    expect(Math.abs(inRegion!.keypoints[0]![0] - whole!.keypoints[0]![0])).toBeLessThan(3);
    // A region without a face (the grass at the bottom left) finds nothing; a region outside the image neither.
    expect(await analyzer.detect(img, [0, 200, 140, 342])).toEqual([]);
    expect(await analyzer.detect(img, [600, 0, 700, 100])).toEqual([]);
  });

  it("embeddings are L2-normalised and stable for the same input", async () => {
    const img = decodeImage(readFileSync(JULIA));
    const [face] = await analyzer.detect(img);
    const a = await analyzer.embed(img, face!);
    const b = await analyzer.embed(img, face!);
    expect(a.length).toBe(1024);
    expect(Math.hypot(...a)).toBeCloseTo(1, 5);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it("quality: blur lowers sharpness; a frontal face scores higher frontal-ness than a turned one", async () => {
    const img = decodeImage(readFileSync(JULIA));
    const [sharp] = await analyzer.detect(img);
    const [blurred] = await analyzer.detect(boxBlur(img, 3));
    expect(sharp!.quality.sizePx).toBeGreaterThan(120);
    expect(blurred!.quality.sharpness).toBeLessThan(sharp!.quality.sharpness / 3);
    // yale-1 looks straight at the camera; the goatee man's head is turned about 30 degrees (by eye).
    const byId = (id: string) => OFFLINE_PHOTOS.find((p) => p.id === id)!;
    const [frontal] = await analyzer.detect(loadOfflinePhoto(byId("yale-1")));
    const [turned] = await analyzer.detect(loadOfflinePhoto(byId("goatee")));
    expect(frontal!.quality.frontal).toBeGreaterThan(0.8);
    expect(turned!.quality.frontal).toBeLessThan(0.5);
  });

  it("concurrent calls on one analyzer give the same faces as one at a time (enrolment uploads in parallel)", async () => {
    const images = [decodeImage(readFileSync(MESSI)), decodeImage(readFileSync(JULIA))];
    const sequential = [];
    for (const img of images) sequential.push((await analyzer.detect(img))[0]!.box);
    const parallel = await Promise.all([...images, ...images].map((img) => analyzer.detect(img)));
    expect(parallel.map((f) => f[0]!.box)).toEqual([...sequential, ...sequential]);
  });

  it("a closed analyzer refuses work", async () => {
    const own = await createFaceAnalyzer();
    await own.close();
    await expect(own.detect({ width: 2, height: 2, data: new Uint8Array(12) })).rejects.toThrow(/closed/);
  });
});
