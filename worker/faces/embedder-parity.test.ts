// Embedding parity (issue 14): the ONNX embedders built by setup (scripts/models/build-face-models.ts) give the
// same vector as pure-JS TF.js (CPU backend) running the original TF.js graph, on the face crop of a real
// photograph (opencv-doc julia_facedetect_sample.jpg) - max abs difference <= 1e-4. The crop is the analyzer's
// own (Embedder.input), so this checks exactly what the analyzer feeds.
import * as tf from "@tensorflow/tfjs";
import * as ort from "onnxruntime-node";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureFaceModels } from "../../scripts/models/build-face-models";
import { readTfjsGraph, weightSpecs } from "../../scripts/models/tfjs-graph";
import { builtinModelsDir } from "../detect/builtin-models";
import { decodeImage } from "./decode-image";
import { Embedder } from "./embedder";
import { createFaceAnalyzer } from "./face-analyzer";
import type { FaceModelsManifest } from "./face-models";
import type { FoundFace, RgbImage } from "./types";

const PHOTO = "/usr/share/doc/opencv-doc/opencv4/html/julia_facedetect_sample.jpg";
let manifest: FaceModelsManifest;
let image: RgbImage;
let face: FoundFace;

beforeAll(async () => {
  manifest = ensureFaceModels({ log: () => {} });
  await tf.setBackend("cpu");
  if (!existsSync(PHOTO)) return;
  image = decodeImage(readFileSync(PHOTO));
  const analyzer = await createFaceAnalyzer();
  try {
    [face] = (await analyzer.detect(image)) as [FoundFace];
  } finally {
    await analyzer.close();
  }
}, 600_000);

describe.skipIf(!existsSync(PHOTO))(`TF.js -> ONNX embedder parity on a real face (${path.basename(PHOTO)})`, () => {
  for (const id of ["faceres", "mobilefacenet"] as const) {
    it(`${id}: the embedding tensor within 1e-4 of TF.js`, async () => {
      expect(face, "BlazeFace finds the face").toBeTruthy();
      const source = manifest.embedders.find((e) => e.id === id)!;
      const session = await ort.InferenceSession.create(path.join(builtinModelsDir(), source.file));
      try {
        const embedder = new Embedder(ort, session, source);
        const input = embedder.input(image, face);
        const got = await embedder.run(input);

        const graph = readTfjsGraph(path.join(builtinModelsDir(), source.tfjsModel));
        const model = await tf.loadGraphModel(
          tf.io.fromMemory({
            modelTopology: graph.modelJson.modelTopology as never,
            weightSpecs: weightSpecs(graph) as never,
            weightData: graph.weightData,
          }),
        );
        const x = tf.tensor(input, [1, source.inputSize, source.inputSize, 3]);
        const y = model.execute(x, source.tfOutput) as tf.Tensor;
        const want = y.dataSync() as Float32Array;
        tf.dispose([x, y]);
        model.dispose();

        expect(got.length).toBe(want.length);
        expect(want.length).toBe(source.dimensions);
        let worst = 0;
        for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
        console.info(`${id}: max abs difference ONNX vs TF.js ${worst.toExponential(2)}`);
        expect(worst).toBeLessThanOrEqual(1e-4);
        // Not a degenerate all-zero vector.
        expect(Math.max(...Array.from(want).map(Math.abs))).toBeGreaterThan(1e-2);
      } finally {
        await session.release();
      }
    }, 120_000);
  }
});
