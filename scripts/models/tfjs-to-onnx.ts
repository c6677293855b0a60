// TF.js graph model → ONNX (SPEC D1), without TensorFlow: reads model.json + shards (scripts/models/tfjs-graph.ts),
// walks back from the requested output tensors only (so a model's built-in post-processing is cut off), folds
// constant sub-graphs, folds bias / batch-norm into convolutions, and writes ONNX opset 18 with onnx-proto.
//
// Layouts: TF.js graphs compute in NHWC; ONNX's Conv / MaxPool / Resize want NCHW. Every activation carries a
// permutation `perm` with onnx = transpose(tf, perm) (onnx dim k = tf dim perm[k]). Ops that need a layout ask for
// one and a Transpose is emitted only when the tensor is not in it yet; a TF Transpose only relabels the perm. So
// graphs converted from PyTorch (NanoDet: NCHW in, a Transpose around every conv) end up with almost no Transposes,
// and NHWC graphs (CenterNet) get one at the input and one per output. Model inputs and outputs keep TF's shapes.
//
// Only the ops the built-in models use are implemented; anything else fails with the node's name and op.
//   node --import tsx scripts/models/tfjs-to-onnx.ts <model.json> <out.onnx> --output <tfName>[=<onnxName>] ...
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { OnnxGraphBuilder } from "./onnx-writer";
import {
  attrBool,
  attrFloat,
  attrInts,
  attrString,
  attrStrings,
  readTfjsGraph,
  type ConstTensor,
  type TfGraph,
  type TfNode,
} from "./tfjs-graph";

export interface ConvertOptions {
  /** TF tensor names ("node" or "node:1") to expose, with the ONNX output name for each. */
  outputs: { tf: string; name: string }[];
  /** Rename the graph inputs (Placeholder node name → ONNX input name). */
  inputNames?: Record<string, string>;
  /** Fixed shapes for inputs the graph leaves dynamic (Placeholder name → shape, e.g. batch -1 → 1). */
  inputShapes?: Record<string, number[]>;
  graphName?: string;
  docString?: string;
}

export interface ConvertResult {
  onnx: Uint8Array;
  inputs: { name: string; shape: number[] }[];
  outputs: { name: string; shape: number[] }[];
  /** ONNX op counts (for logs and tests). */
  ops: Record<string, number>;
}

type Act = { kind: "act"; name: string; shape: number[]; perm: number[] };
type Const = { kind: "const"; t: ConstTensor };
type Value = Act | Const;

const NCHW = [0, 3, 1, 2];
const numel = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const identity = (rank: number) => Array.from({ length: rank }, (_, i) => i);
const invert = (perm: number[]) => {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, k) => (inv[p] = k));
  return inv;
};
const sameArray = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
const strides = (shape: number[]) => {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
};

export class ConversionError extends Error {}

/** Transpose a constant: out dim k = in dim perm[k]. */
export function transposeConst(t: ConstTensor, perm: number[]): ConstTensor {
  if (sameArray(perm, identity(perm.length))) return t;
  const shape = perm.map((p) => t.shape[p]);
  const inStrides = strides(t.shape);
  const out = t.dtype === "float32" ? new Float32Array(t.data.length) : new Int32Array(t.data.length);
  const idx = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let k = 0; k < shape.length; k++) src += idx[k] * inStrides[perm[k]];
    out[o] = t.data[src];
    for (let k = shape.length - 1; k >= 0; k--) {
      if (++idx[k] < shape[k]) break;
      idx[k] = 0;
    }
  }
  return { dtype: t.dtype, shape, data: out };
}

function broadcastShape(a: number[], b: number[], where: string): number[] {
  const rank = Math.max(a.length, b.length);
  const pa = [...new Array(rank - a.length).fill(1), ...a];
  const pb = [...new Array(rank - b.length).fill(1), ...b];
  return pa.map((d, i) => {
    if (d === pb[i] || pb[i] === 1) return d;
    if (d === 1) return pb[i];
    throw new ConversionError(`${where}: shapes [${a}] and [${b}] do not broadcast`);
  });
}

/** Elementwise op on two constants with broadcasting. */
function foldBinary(a: ConstTensor, b: ConstTensor, f: (x: number, y: number) => number, where: string): ConstTensor {
  const shape = broadcastShape(a.shape, b.shape, where);
  const rank = shape.length;
  const pad = (s: number[]) => [...new Array(rank - s.length).fill(1), ...s];
  const sa = strides(pad(a.shape)).map((st, i) => (pad(a.shape)[i] === 1 ? 0 : st));
  const sb = strides(pad(b.shape)).map((st, i) => (pad(b.shape)[i] === 1 ? 0 : st));
  const n = numel(shape);
  const dtype = a.dtype === "float32" || b.dtype === "float32" ? "float32" : "int32";
  const out = dtype === "float32" ? new Float32Array(n) : new Int32Array(n);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < n; o++) {
    let ia = 0;
    let ib = 0;
    for (let k = 0; k < rank; k++) {
      ia += idx[k] * sa[k];
      ib += idx[k] * sb[k];
    }
    out[o] = f(a.data[ia], b.data[ib]);
    for (let k = rank - 1; k >= 0; k--) {
      if (++idx[k] < shape[k]) break;
      idx[k] = 0;
    }
  }
  return { dtype, shape, data: out };
}

const BINARY: Record<string, { onnx: string; f: (x: number, y: number) => number }> = {
  Add: { onnx: "Add", f: (x, y) => x + y },
  AddV2: { onnx: "Add", f: (x, y) => x + y },
  BiasAdd: { onnx: "Add", f: (x, y) => x + y },
  Sub: { onnx: "Sub", f: (x, y) => x - y },
  Mul: { onnx: "Mul", f: (x, y) => x * y },
  RealDiv: { onnx: "Div", f: (x, y) => x / y },
  Maximum: { onnx: "Max", f: (x, y) => Math.max(x, y) },
  Minimum: { onnx: "Min", f: (x, y) => Math.min(x, y) },
};

function resolveShape(requested: number[], count: number, where: string): number[] {
  const known = requested.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const shape = requested.map((d) => (d === -1 ? count / known : d));
  if (numel(shape) !== count || shape.some((d) => !Number.isInteger(d)))
    throw new ConversionError(`${where}: cannot reshape ${count} elements to [${requested}]`);
  return shape;
}

/** Output size and [begin, end] padding of one spatial dim, as TF computes them. */
function spatial(
  size: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: string,
  explicit: [number, number],
): { out: number; pads: [number, number] } {
  const eff = (kernel - 1) * dilation + 1;
  if (padding === "SAME") {
    const out = Math.ceil(size / stride);
    const total = Math.max((out - 1) * stride + eff - size, 0);
    const begin = Math.floor(total / 2);
    return { out, pads: [begin, total - begin] };
  }
  if (padding === "VALID") return { out: Math.ceil((size - eff + 1) / stride), pads: [0, 0] };
  if (padding === "EXPLICIT")
    return { out: Math.floor((size + explicit[0] + explicit[1] - eff) / stride) + 1, pads: explicit };
  throw new ConversionError(`unknown padding ${padding}`);
}

export function convertTfjsGraph(graph: TfGraph, options: ConvertOptions): ConvertResult {
  const b = new OnnxGraphBuilder();
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const memo = new Map<string, Value[]>();
  const inputs: ConvertResult["inputs"] = [];
  const visiting = new Set<string>();

  const fail = (node: TfNode, message: string): never => {
    throw new ConversionError(`node ${node.name} (${node.op}): ${message}`);
  };

  const ref = (name: string): Value => {
    const [nodeName, index] = name.includes(":")
      ? [name.slice(0, name.lastIndexOf(":")), name.slice(name.lastIndexOf(":") + 1)]
      : [name, "0"];
    const values = evaluate(nodeName);
    const v = values[Number(index)];
    if (!v) throw new ConversionError(`tensor ${name}: the node has no output ${index}`);
    return v;
  };

  const dataInputs = (node: TfNode) => (node.input ?? []).filter((i) => !i.startsWith("^"));
  const constOf = (node: TfNode, v: Value, what: string): ConstTensor =>
    v.kind === "const" ? v.t : fail(node, `${what} must be a constant`);
  const actOf = (node: TfNode, v: Value, what: string): Act => {
    if (v.kind === "act") return v;
    return fail(node, `${what} is a constant (constant ${node.op} not supported)`);
  };

  /** The ONNX name of v laid out with `want` (onnx = transpose(tf, want)); emits a Transpose if needed. */
  const inLayout = (v: Act, want: number[]): string => {
    if (sameArray(v.perm, want)) return v.name;
    const qinv = invert(v.perm);
    const s = want.map((w) => qinv[w]);
    const out = b.fresh(`${v.name}/to_${want.join("")}`);
    b.addNode("Transpose", [v.name], [out], { perm: s });
    return out;
  };

  const constInitializer = (base: string, t: ConstTensor): string => {
    const data = t.dtype === "float32" ? (t.data as Float32Array) : Float32Array.from(t.data);
    return b.addFloat(base, numel(t.shape) === 1 ? [] : t.shape, numel(t.shape) === 1 ? [data[0]] : data);
  };

  const unary = (node: TfNode, x: Act, op: string, attrs: Record<string, number | { float: number }> = {}): Act => {
    const out = b.fresh(node.name);
    b.addNode(op, [x.name], [out], attrs);
    return { kind: "act", name: out, shape: x.shape, perm: x.perm };
  };

  const clip = (name: string, x: string, lo: number, hi: number): void => {
    b.addNode("Clip", [x, b.addFloat(`${name}/min`, [], [lo]), b.addFloat(`${name}/max`, [], [hi])], [name]);
  };

  function convolution(node: TfNode, x: Act, filter: ConstTensor, depthwise: boolean, args: ConstTensor[]): Act {
    if ((attrString(node, "data_format") ?? "NHWC") !== "NHWC") fail(node, "only NHWC convolutions are supported");
    const [kh, kw, cin, m] = filter.shape;
    const [n, h, w, c] = x.shape;
    if (c !== cin) fail(node, `input has ${c} channels, filter expects ${cin}`);
    const st = attrInts(node, "strides") ?? [1, 1, 1, 1];
    const dl = attrInts(node, "dilations") ?? [1, 1, 1, 1];
    const padding = attrString(node, "padding") ?? "VALID";
    const ex = attrInts(node, "explicit_paddings") ?? [0, 0, 0, 0, 0, 0, 0, 0];
    const sh = spatial(h, kh, st[1], dl[1], padding, [ex[2] ?? 0, ex[3] ?? 0]);
    const sw = spatial(w, kw, st[2], dl[2], padding, [ex[4] ?? 0, ex[5] ?? 0]);
    const cout = depthwise ? cin * m : m;

    // Weights to ONNX [cout, cin/group, kh, kw].
    const weight = new Float32Array(cout * (depthwise ? 1 : cin) * kh * kw);
    for (let y = 0; y < kh; y++)
      for (let xx = 0; xx < kw; xx++)
        for (let i = 0; i < cin; i++)
          for (let j = 0; j < m; j++) {
            const v = filter.data[((y * kw + xx) * cin + i) * m + j];
            if (depthwise) weight[((i * m + j) * kh + y) * kw + xx] = v;
            else weight[((j * cin + i) * kh + y) * kw + xx] = v;
          }

    // Fused ops: BiasAdd or FusedBatchNorm, then an optional activation.
    const fused = attrStrings(node, "fused_ops");
    let bias: Float32Array | null = null;
    let activation: string | undefined;
    if (fused.length > 0) {
      if (fused[0] === "BiasAdd") {
        bias = Float32Array.from(args[0].data);
      } else if (fused[0] === "FusedBatchNorm") {
        const [scale, offset, mean, variance] = args;
        const eps = attrFloat(node, "epsilon") ?? 0.001;
        bias = new Float32Array(cout);
        const per = weight.length / cout;
        for (let o = 0; o < cout; o++) {
          const k = scale.data[o] / Math.sqrt(variance.data[o] + eps);
          for (let q = 0; q < per; q++) weight[o * per + q] *= k;
          bias[o] = offset.data[o] - mean.data[o] * k;
        }
      } else fail(node, `unsupported fused op ${fused[0]}`);
      activation = fused[1];
      if (fused.length > 2) fail(node, `unsupported fused ops ${fused.join(",")}`);
    }
    const inputs = [inLayout(x, NCHW), b.addFloat(`${node.name}/weights`, [cout, depthwise ? 1 : cin, kh, kw], weight)];
    if (bias) inputs.push(b.addFloat(`${node.name}/bias`, [cout], bias));
    const convOut = b.fresh(activation ? `${node.name}/conv` : node.name);
    b.addNode("Conv", inputs, [convOut], {
      kernel_shape: [kh, kw],
      strides: [st[1], st[2]],
      dilations: [dl[1], dl[2]],
      pads: [sh.pads[0], sw.pads[0], sh.pads[1], sw.pads[1]],
      group: depthwise ? cin : 1,
    });
    const result: Act = { kind: "act", name: convOut, shape: [n, sh.out, sw.out, cout], perm: NCHW };
    if (!activation) return result;
    if (activation === "Relu") return unary(node, result, "Relu");
    if (activation === "Relu6") {
      const out = b.fresh(node.name);
      clip(out, convOut, 0, 6);
      return { ...result, name: out };
    }
    if (activation === "LeakyRelu")
      return unary(node, result, "LeakyRelu", { alpha: { float: attrFloat(node, "leakyrelu_alpha") ?? 0.2 } });
    if (activation === "Sigmoid") return unary(node, result, "Sigmoid");
    return fail(node, `unsupported fused activation ${activation}`);
  }

  function convert(node: TfNode): Value[] {
    const ins = dataInputs(node).map(ref);
    const op = node.op;
    const one = (v: Value): Value[] => [v];

    switch (op) {
      case "Const": {
        const t = graph.weights.get(node.name);
        return t ? one({ kind: "const", t }) : fail(node, "constant without weight data");
      }
      case "Placeholder": {
        const dims = options.inputShapes?.[node.name] ?? node.attr?.shape?.shape?.dim?.map((d) => Number(d.size)) ?? [];
        if (dims.some((d) => !(d > 0))) fail(node, `dynamic input shape [${dims}]: give it a fixed size`);
        const name = b.addInput(options.inputNames?.[node.name] ?? node.name, dims);
        inputs.push({ name, shape: dims });
        return one({ kind: "act", name, shape: dims, perm: identity(dims.length) });
      }
      case "Identity":
      case "StopGradient":
        return one(ins[0]);
      case "Conv2D":
      case "_FusedConv2D":
        return one(
          convolution(
            node,
            actOf(node, ins[0], "input"),
            constOf(node, ins[1], "filter"),
            false,
            ins.slice(2).map((v) => constOf(node, v, "fused argument")),
          ),
        );
      case "DepthwiseConv2dNative":
      case "FusedDepthwiseConv2dNative":
        return one(
          convolution(
            node,
            actOf(node, ins[0], "input"),
            constOf(node, ins[1], "filter"),
            true,
            ins.slice(2).map((v) => constOf(node, v, "fused argument")),
          ),
        );
      case "Relu":
        return one(unary(node, actOf(node, ins[0], "input"), "Relu"));
      case "Sigmoid":
        return one(unary(node, actOf(node, ins[0], "input"), "Sigmoid"));
      case "Tanh":
        return one(unary(node, actOf(node, ins[0], "input"), "Tanh"));
      case "Abs": // MobileFaceNet's PReLU is written as relu(x) + alpha * (x - |x|) * 0.5
        return one(unary(node, actOf(node, ins[0], "input"), "Abs"));
      case "LeakyRelu":
        return one(
          unary(node, actOf(node, ins[0], "input"), "LeakyRelu", { alpha: { float: attrFloat(node, "alpha") ?? 0.2 } }),
        );
      case "Relu6": {
        const x = actOf(node, ins[0], "input");
        const out = b.fresh(node.name);
        clip(out, x.name, 0, 6);
        return one({ ...x, name: out });
      }
      case "Add":
      case "AddV2":
      case "BiasAdd":
      case "Sub":
      case "Mul":
      case "RealDiv":
      case "Maximum":
      case "Minimum": {
        const spec = BINARY[op];
        const [a, c] = ins;
        if (a.kind === "const" && c.kind === "const")
          return one({ kind: "const", t: foldBinary(a.t, c.t, spec.f, node.name) });
        const out = b.fresh(node.name);
        if (a.kind === "act" && c.kind === "act") {
          if (a.shape.length !== c.shape.length) fail(node, "activations of different ranks");
          const shape = broadcastShape(a.shape, c.shape, node.name);
          b.addNode(spec.onnx, [a.name, inLayout(c, a.perm)], [out]);
          return one({ kind: "act", name: out, shape, perm: a.perm });
        }
        const act = (a.kind === "act" ? a : c) as Act;
        const k = (a.kind === "const" ? a : c) as Const;
        if (k.t.shape.length > act.shape.length) fail(node, "constant of higher rank than the activation");
        const shape = broadcastShape(act.shape, k.t.shape, node.name);
        if (!sameArray(shape, act.shape)) fail(node, "a constant that enlarges the activation");
        const padded: ConstTensor = {
          ...k.t,
          shape: [...new Array(act.shape.length - k.t.shape.length).fill(1), ...k.t.shape],
        };
        const cname = constInitializer(`${node.name}/const`, transposeConst(padded, act.perm));
        b.addNode(spec.onnx, a.kind === "act" ? [act.name, cname] : [cname, act.name], [out]);
        return one({ kind: "act", name: out, shape, perm: act.perm });
      }
      case "ConcatV2": {
        const axisT = constOf(node, ins[ins.length - 1], "axis");
        const parts = ins.slice(0, -1).map((v, i) => actOf(node, v, `input ${i}`));
        const rank = parts[0].shape.length;
        const axis = (axisT.data[0] + rank) % rank;
        const perm = parts[0].perm;
        const shape = [...parts[0].shape];
        shape[axis] = parts.reduce((s, p) => s + p.shape[axis], 0);
        const out = b.fresh(node.name);
        b.addNode(
          "Concat",
          parts.map((p) => inLayout(p, perm)),
          [out],
          { axis: invert(perm)[axis] },
        );
        return one({ kind: "act", name: out, shape, perm });
      }
      case "Mean": {
        const x = actOf(node, ins[0], "input");
        const rank = x.shape.length;
        const axes = Array.from(constOf(node, ins[1], "axes").data).map((a) => (a + rank) % rank);
        const keep = attrBool(node, "keep_dims");
        const out = b.fresh(node.name);
        const source = keep ? x.name : inLayout(x, identity(rank));
        const perm = keep ? x.perm : identity(rank);
        const onnxAxes = axes.map((a) => invert(perm)[a]);
        b.addNode("ReduceMean", [source, b.addInt64(`${node.name}/axes`, [onnxAxes.length], onnxAxes)], [out], {
          keepdims: keep ? 1 : 0,
        });
        const shape = keep
          ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
          : x.shape.filter((_, i) => !axes.includes(i));
        return one({ kind: "act", name: out, shape, perm: keep ? perm : identity(shape.length) });
      }
      case "MaxPool":
      case "AvgPool": {
        const x = actOf(node, ins[0], "input");
        if ((attrString(node, "data_format") ?? "NHWC") !== "NHWC") fail(node, "only NHWC pooling is supported");
        const k = attrInts(node, "ksize") ?? [1, 1, 1, 1];
        const st = attrInts(node, "strides") ?? [1, 1, 1, 1];
        const padding = attrString(node, "padding") ?? "VALID";
        if (k[0] !== 1 || k[3] !== 1) fail(node, "pooling over batch or channels");
        const sh = spatial(x.shape[1], k[1], st[1], 1, padding, [0, 0]);
        const sw = spatial(x.shape[2], k[2], st[2], 1, padding, [0, 0]);
        const out = b.fresh(node.name);
        const attrs: Record<string, number[] | number> = {
          kernel_shape: [k[1], k[2]],
          strides: [st[1], st[2]],
          pads: [sh.pads[0], sw.pads[0], sh.pads[1], sw.pads[1]],
        };
        if (op === "AvgPool") attrs.count_include_pad = 0;
        b.addNode(op === "MaxPool" ? "MaxPool" : "AveragePool", [inLayout(x, NCHW)], [out], attrs);
        return one({ kind: "act", name: out, shape: [x.shape[0], sh.out, sw.out, x.shape[3]], perm: NCHW });
      }
      case "ResizeBilinear":
      case "ResizeNearestNeighbor": {
        const x = actOf(node, ins[0], "input");
        const [oh, ow] = Array.from(constOf(node, ins[1], "size").data);
        const alignCorners = attrBool(node, "align_corners");
        const halfPixel = attrBool(node, "half_pixel_centers");
        const attrs: Record<string, string> = {
          mode: op === "ResizeBilinear" ? "linear" : "nearest",
          coordinate_transformation_mode: alignCorners ? "align_corners" : halfPixel ? "half_pixel" : "asymmetric",
        };
        if (op === "ResizeNearestNeighbor") {
          if (alignCorners || halfPixel) fail(node, "nearest resize with align_corners/half_pixel_centers");
          attrs.nearest_mode = "floor";
        }
        const [n, , , c] = x.shape;
        const out = b.fresh(node.name);
        b.addNode(
          "Resize",
          [inLayout(x, NCHW), "", "", b.addInt64(`${node.name}/sizes`, [4], [n, c, oh, ow])],
          [out],
          attrs,
        );
        return one({ kind: "act", name: out, shape: [n, oh, ow, c], perm: NCHW });
      }
      case "Pad":
      case "PadV2": {
        const x = actOf(node, ins[0], "input");
        const p = Array.from(constOf(node, ins[1], "paddings").data);
        const rank = x.shape.length;
        const begin = x.perm.map((a) => p[a * 2]);
        const end = x.perm.map((a) => p[a * 2 + 1]);
        const value = op === "PadV2" ? constOf(node, ins[2], "constant value").data[0] : 0;
        const out = b.fresh(node.name);
        b.addNode(
          "Pad",
          [
            x.name,
            b.addInt64(`${node.name}/pads`, [2 * rank], [...begin, ...end]),
            b.addFloat(`${node.name}/value`, [], [value]),
          ],
          [out],
          { mode: "constant" },
        );
        return one({ kind: "act", name: out, shape: x.shape.map((d, i) => d + p[2 * i] + p[2 * i + 1]), perm: x.perm });
      }
      case "Transpose": {
        const perm = Array.from(constOf(node, ins[1], "perm").data);
        if (ins[0].kind === "const") return one({ kind: "const", t: transposeConst(ins[0].t, perm) });
        const x = ins[0];
        const pinv = invert(perm);
        return one({ kind: "act", name: x.name, shape: perm.map((p) => x.shape[p]), perm: x.perm.map((q) => pinv[q]) });
      }
      case "Reshape": {
        const requested = Array.from(constOf(node, ins[1], "shape").data);
        if (ins[0].kind === "const") {
          const t = ins[0].t;
          return one({ kind: "const", t: { ...t, shape: resolveShape(requested, t.data.length, node.name) } });
        }
        const x = ins[0];
        const shape = resolveShape(requested, numel(x.shape), node.name);
        const out = b.fresh(node.name);
        b.addNode(
          "Reshape",
          [inLayout(x, identity(x.shape.length)), b.addInt64(`${node.name}/shape`, [shape.length], shape)],
          [out],
        );
        return one({ kind: "act", name: out, shape, perm: identity(shape.length) });
      }
      case "SplitV": {
        const x = actOf(node, ins[0], "input");
        const rank = x.shape.length;
        const axis = (constOf(node, ins[2], "axis").data[0] + rank) % rank;
        const requested = Array.from(constOf(node, ins[1], "sizes").data);
        const known = requested.filter((s) => s !== -1).reduce((a, c) => a + c, 0);
        const sizes = requested.map((s) => (s === -1 ? x.shape[axis] - known : s));
        const outs = sizes.map((_, i) => b.fresh(`${node.name}:${i}`));
        b.addNode("Split", [x.name, b.addInt64(`${node.name}/split`, [sizes.length], sizes)], outs, {
          axis: invert(x.perm)[axis],
        });
        return outs.map((name, i) => ({
          kind: "act" as const,
          name,
          shape: x.shape.map((d, k) => (k === axis ? sizes[i] : d)),
          perm: x.perm,
        }));
      }
      case "SparseToDense": {
        // Constant only (NanoDet's graph builds its reshape targets this way).
        const indices = constOf(node, ins[0], "indices");
        const shape = Array.from(constOf(node, ins[1], "output shape").data);
        const values = constOf(node, ins[2], "values");
        const fallback = constOf(node, ins[3], "default value");
        const dtype = values.dtype;
        const data = dtype === "float32" ? new Float32Array(numel(shape)) : new Int32Array(numel(shape));
        data.fill(fallback.data[0]);
        const rank = shape.length;
        const count = indices.shape.length === 0 ? 1 : indices.shape[0];
        const st = strides(shape);
        for (let i = 0; i < count; i++) {
          let flat = 0;
          for (let k = 0; k < rank; k++) flat += indices.data[i * rank + k] * st[k];
          data[flat] = values.data.length === 1 ? values.data[0] : values.data[i];
        }
        return one({ kind: "const", t: { dtype, shape, data } });
      }
      case "Cast": {
        const t = constOf(node, ins[0], "input");
        const to = node.attr?.DstT?.type;
        const dtype = to === "DT_FLOAT" ? "float32" : "int32";
        const data = dtype === "float32" ? Float32Array.from(t.data) : Int32Array.from(t.data, (v) => Math.trunc(v));
        return one({ kind: "const", t: { dtype, shape: t.shape, data } });
      }
      default:
        return fail(node, "unsupported op (the converter implements only the ops of the built-in models)");
    }
  }

  function evaluate(nodeName: string): Value[] {
    const cached = memo.get(nodeName);
    if (cached) return cached;
    const node = byName.get(nodeName);
    if (!node) throw new ConversionError(`no node named ${nodeName}`);
    if (visiting.has(nodeName)) throw new ConversionError(`cycle at ${nodeName}`);
    visiting.add(nodeName);
    const values = convert(node);
    visiting.delete(nodeName);
    memo.set(nodeName, values);
    return values;
  }

  const outputs: ConvertResult["outputs"] = [];
  for (const o of options.outputs) {
    const v = ref(o.tf);
    if (v.kind === "const") throw new ConversionError(`output ${o.tf} is a constant`);
    b.addNode("Identity", [inLayout(v, identity(v.shape.length))], [o.name]);
    b.addOutput(o.name, v.shape);
    outputs.push({ name: o.name, shape: v.shape });
  }
  const ops: Record<string, number> = {};
  for (const n of b.nodes) ops[n.opType] = (ops[n.opType] ?? 0) + 1;
  return {
    onnx: b.encode(options.graphName ?? "converted", options.docString ?? ""),
    inputs,
    outputs,
    ops,
  };
}

// CLI: node --import tsx scripts/models/tfjs-to-onnx.ts model.json out.onnx --output name[=onnxName] ...
if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { output: { type: "string", multiple: true } },
  });
  const [modelJson, outPath] = positionals;
  if (!modelJson || !outPath || !values.output?.length) {
    console.error("usage: tfjs-to-onnx.ts <model.json> <out.onnx> --output <tfName>[=<onnxName>] ...");
    process.exit(2);
  }
  try {
    const result = convertTfjsGraph(readTfjsGraph(modelJson), {
      outputs: values.output.map((s) => {
        const [tf, name] = s.split("=");
        return { tf, name: name ?? tf };
      }),
    });
    writeFileSync(outPath, result.onnx);
    console.log(JSON.stringify({ inputs: result.inputs, outputs: result.outputs, ops: result.ops }));
  } catch (error) {
    console.error(`tfjs-to-onnx: ${(error as Error).message}`);
    process.exit(1);
  }
}
