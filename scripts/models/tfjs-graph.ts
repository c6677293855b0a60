// Reads a TensorFlow.js graph model (model.json + weight shards) without TensorFlow.js: the topology as plain
// nodes and every weight decoded to float32 / int32 (float32, int32 and the quantised uint8 / uint16 (scale, min)
// and float16 encodings of tfjs-converter). Used by scripts/models/tfjs-to-onnx.ts (SPEC D1).
import { readFileSync } from "node:fs";
import path from "node:path";

export interface TfAttrValue {
  s?: string; // base64
  i?: string | number;
  f?: number;
  b?: boolean;
  type?: string;
  list?: { s?: string[]; i?: (string | number)[]; f?: number[] };
  shape?: { dim?: { size: string | number }[] };
  tensor?: unknown;
}

export interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttrValue>;
}

export type TfDtype = "float32" | "int32";

/** A constant: row-major data with its shape (a scalar has shape []). */
export interface ConstTensor {
  dtype: TfDtype;
  shape: number[];
  data: Float32Array | Int32Array;
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: "uint8" | "uint16" | "float16"; scale?: number; min?: number; original_dtype?: string };
}

interface ModelJson {
  format?: string;
  modelTopology: { node: TfNode[] };
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
  signature?: unknown;
}

export interface TfGraph {
  nodes: TfNode[];
  weights: Map<string, ConstTensor>;
  /** The raw model.json and the concatenated weight bytes (for loading the same model into TF.js in tests). */
  modelJson: ModelJson;
  weightData: ArrayBuffer;
}

const numel = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** IEEE 754 half → float. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function bytesPerElement(spec: WeightSpec): number {
  const q = spec.quantization?.dtype;
  if (q === "uint8") return 1;
  if (q === "uint16" || q === "float16") return 2;
  if (q) throw new Error(`weight ${spec.name}: unsupported quantization dtype ${q}`);
  if (spec.dtype === "float32" || spec.dtype === "int32") return 4;
  if (spec.dtype === "bool") return 1;
  throw new Error(`weight ${spec.name}: unsupported dtype ${spec.dtype}`);
}

function decodeWeight(spec: WeightSpec, bytes: Uint8Array): ConstTensor {
  const n = numel(spec.shape);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dtype: TfDtype = spec.dtype === "float32" ? "float32" : "int32";
  const out = dtype === "float32" ? new Float32Array(n) : new Int32Array(n);
  const q = spec.quantization;
  if (q?.dtype === "float16") {
    for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
  } else if (q) {
    const { scale = 1, min = 0 } = q;
    for (let i = 0; i < n; i++) {
      const v = q.dtype === "uint8" ? view.getUint8(i) : view.getUint16(i * 2, true);
      out[i] = v * scale + min;
    }
  } else if (spec.dtype === "float32") {
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
  } else if (spec.dtype === "int32") {
    for (let i = 0; i < n; i++) out[i] = view.getInt32(i * 4, true);
  } else {
    for (let i = 0; i < n; i++) out[i] = view.getUint8(i);
  }
  return { dtype, shape: spec.shape.map(Number), data: out };
}

export function readTfjsGraph(modelJsonPath: string): TfGraph {
  const modelJson = JSON.parse(readFileSync(modelJsonPath, "utf8")) as ModelJson;
  if (!modelJson.modelTopology?.node)
    throw new Error(`${modelJsonPath}: not a TF.js graph model (no modelTopology.node)`);
  const dir = path.dirname(modelJsonPath);
  const weights = new Map<string, ConstTensor>();
  const chunks: Uint8Array[] = [];
  for (const group of modelJson.weightsManifest) {
    const buffers = group.paths.map((p) => readFileSync(path.join(dir, p)));
    const all = new Uint8Array(Buffer.concat(buffers));
    chunks.push(all);
    let offset = 0;
    for (const spec of group.weights) {
      const size = numel(spec.shape) * bytesPerElement(spec);
      if (offset + size > all.byteLength) throw new Error(`weight ${spec.name}: shard too short`);
      weights.set(spec.name, decodeWeight(spec, all.subarray(offset, offset + size)));
      offset += size;
    }
  }
  const total = Buffer.concat(chunks);
  const weightData = total.buffer.slice(total.byteOffset, total.byteOffset + total.byteLength) as ArrayBuffer;
  return { nodes: modelJson.modelTopology.node, weights, modelJson, weightData };
}

/** The weight specs as TF.js's io.fromMemory expects them (one flat list). */
export function weightSpecs(graph: TfGraph): unknown[] {
  return graph.modelJson.weightsManifest.flatMap((g) => g.weights);
}

// --- attribute helpers ---------------------------------------------------------------------------
export const attrString = (node: TfNode, key: string): string | undefined => {
  const s = node.attr?.[key]?.s;
  return s === undefined ? undefined : Buffer.from(s, "base64").toString("utf8");
};
export const attrInts = (node: TfNode, key: string): number[] | undefined =>
  node.attr?.[key]?.list?.i?.map((v) => Number(v));
export const attrStrings = (node: TfNode, key: string): string[] =>
  (node.attr?.[key]?.list?.s ?? []).map((s) => Buffer.from(s, "base64").toString("utf8"));
export const attrFloat = (node: TfNode, key: string): number | undefined => node.attr?.[key]?.f;
export const attrBool = (node: TfNode, key: string): boolean => node.attr?.[key]?.b === true;
export const attrInt = (node: TfNode, key: string): number | undefined => {
  const v = node.attr?.[key]?.i;
  return v === undefined ? undefined : Number(v);
};
