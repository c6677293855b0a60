// Converter parity (SPEC D1): each built-in model's ONNX outputs equal pure-JS TF.js (CPU backend) running the
// same TF.js graph to the same tensors, on a real vtest.avi frame. The models are built (or found) through the
// same build script and cache as setup (scripts/models/build-models.ts).
import * as tf from "@tensorflow/tfjs";
import * as ort from "onnxruntime-node";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuiltinModels } from "../../scripts/models/build-models";
import { readTfjsGraph, weightSpecs, type TfGraph } from "../../scripts/models/tfjs-graph";
import { ConversionError, convertTfjsGraph } from "../../scripts/models/tfjs-to-onnx";
import { builtinModelPath, builtinModelsDir, type BuiltinManifest } from "./builtin-models";
import { resizeToInput, tensorLength } from "./preprocess";
import { decodeFrame, VTEST_AVI } from "./vtest-frames";

let manifest: BuiltinManifest;

beforeAll(async () => {
  manifest = ensureBuiltinModels({ log: () => {} });
  await tf.setBackend("cpu");
}, 600_000);

describe("TF.js → ONNX parity on a vtest.avi frame", () => {
  for (const id of ["centernet-mbv3-512", "nanodet-m-416"]) {
    it(`${id}: every output within 1e-4 of TF.js`, async () => {
      const model = manifest.models.find((m) => m.id === id)!;
      const graph = readTfjsGraph(path.join(builtinModelsDir(), model.tfjsModel));
      const frame = decodeFrame(VTEST_AVI, 20, { width: 640, height: 480 });
      const spec = {
        width: model.inputWidth,
        height: model.inputHeight,
        layout: model.inputLayout,
        scale: model.inputRange === "0-1" ? 1 / 255 : 1,
      };
      const input = new Float32Array(tensorLength(spec));
      resizeToInput(frame, spec, input);
      const dims = spec.layout === "nhwc" ? [1, spec.height, spec.width, 3] : [1, 3, spec.height, spec.width];

      const tfModel = await tf.loadGraphModel(
        tf.io.fromMemory({
          modelTopology: graph.modelJson.modelTopology as never,
          weightSpecs: weightSpecs(graph) as never,
          weightData: graph.weightData,
        }),
      );
      const x = tf.tensor(input, dims);
      const expected = tfModel.execute(
        x,
        model.outputs.map((o) => o.tf),
      ) as tf.Tensor[];

      const session = await ort.InferenceSession.create(builtinModelPath(model));
      const actual = await session.run({ [session.inputNames[0]]: new ort.Tensor("float32", input, dims) });
      try {
        model.outputs.forEach((o, i) => {
          const want = expected[i].dataSync() as Float32Array;
          const got = actual[o.name].data as Float32Array;
          expect(actual[o.name].dims, o.name).toEqual(expected[i].shape);
          // Absolute 1e-4; values above 1 (CenterNet's box distances, up to ~330 input pixels, where float32
          // summation order alone moves the 4th decimal) relative 1e-4.
          let worst = 0;
          let maxAbs = 0;
          for (let k = 0; k < want.length; k++) {
            worst = Math.max(worst, Math.abs(want[k] - got[k]) / Math.max(1, Math.abs(want[k])));
            maxAbs = Math.max(maxAbs, Math.abs(want[k]));
          }
          expect(worst, `${o.name} (max |value| ${maxAbs.toFixed(3)})`).toBeLessThan(1e-4);
          expect(maxAbs, `${o.name} is not all zeros`).toBeGreaterThan(0);
        });
      } finally {
        tf.dispose([x, ...expected]);
        tfModel.dispose();
        await session.release();
      }
    }, 180_000);
  }
});

describe("converter", () => {
  const tiny = (op: string): TfGraph => ({
    nodes: [
      {
        name: "x",
        op: "Placeholder",
        attr: { shape: { shape: { dim: [{ size: 1 }, { size: 4 }, { size: 4 }, { size: 2 }] } } },
      },
      { name: "y", op, input: ["x"] },
    ],
    weights: new Map(),
    modelJson: { modelTopology: { node: [] }, weightsManifest: [] },
    weightData: new ArrayBuffer(0),
  });

  it("fails clearly on an op it does not implement", () => {
    expect(() => convertTfjsGraph(tiny("Softplus"), { outputs: [{ tf: "y", name: "y" }] })).toThrow(ConversionError);
    expect(() => convertTfjsGraph(tiny("Softplus"), { outputs: [{ tf: "y", name: "y" }] })).toThrow(
      /node y \(Softplus\): unsupported op/,
    );
  });

  it("converts only what the outputs need and keeps TF's shapes", async () => {
    const result = convertTfjsGraph(tiny("Relu6"), { outputs: [{ tf: "y", name: "out" }] });
    expect(result.outputs).toEqual([{ name: "out", shape: [1, 4, 4, 2] }]);
    const session = await ort.InferenceSession.create(result.onnx);
    const data = Float32Array.from({ length: 32 }, (_, i) => i - 10);
    const out = await session.run({ x: new ort.Tensor("float32", data, [1, 4, 4, 2]) });
    expect(Array.from(out.out.data as Float32Array)).toEqual(Array.from(data, (v) => Math.min(Math.max(v, 0), 6)));
    await session.release();
  });
});
