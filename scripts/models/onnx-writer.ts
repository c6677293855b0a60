// A tiny ONNX graph builder over onnx-proto (SPEC D1): initialisers, nodes with typed attributes, float32 inputs and
// outputs, serialised as one ModelProto (IR 8, default domain opset 18).
import onnxProto from "onnx-proto";

const { onnx } = onnxProto;

export const OPSET = 18;

export type AttrValue = number | string | number[] | { float: number } | { floats: number[] };

export class OnnxGraphBuilder {
  readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private readonly inputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly outputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly used = new Set<string>();
  private counter = 0;

  /** A name not used yet, derived from base. */
  fresh(base: string): string {
    let name = base;
    while (this.used.has(name)) name = `${base}__${++this.counter}`;
    this.used.add(name);
    return name;
  }

  addFloat(base: string, dims: number[], data: Float32Array | number[]): string {
    const name = this.fresh(base);
    const array = data instanceof Float32Array ? data : Float32Array.from(data);
    this.initializers.push(
      onnx.TensorProto.create({
        name,
        dims,
        dataType: onnx.TensorProto.DataType.FLOAT,
        rawData: new Uint8Array(array.buffer.slice(array.byteOffset, array.byteOffset + array.byteLength)),
      }),
    );
    return name;
  }

  addInt64(base: string, dims: number[], data: number[]): string {
    const name = this.fresh(base);
    const array = BigInt64Array.from(data.map((v) => BigInt(v)));
    this.initializers.push(
      onnx.TensorProto.create({
        name,
        dims,
        dataType: onnx.TensorProto.DataType.INT64,
        rawData: new Uint8Array(array.buffer),
      }),
    );
    return name;
  }

  addNode(opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}): void {
    const attribute = Object.entries(attrs).map(([name, v]) => {
      const T = onnx.AttributeProto.AttributeType;
      if (typeof v === "number") return onnx.AttributeProto.create({ name, type: T.INT, i: v });
      if (typeof v === "string") return onnx.AttributeProto.create({ name, type: T.STRING, s: Buffer.from(v) });
      if (Array.isArray(v)) return onnx.AttributeProto.create({ name, type: T.INTS, ints: v });
      if ("float" in v) return onnx.AttributeProto.create({ name, type: T.FLOAT, f: v.float });
      return onnx.AttributeProto.create({ name, type: T.FLOATS, floats: v.floats });
    });
    for (const o of outputs) this.used.add(o);
    this.nodes.push(
      onnx.NodeProto.create({
        opType,
        input: inputs,
        output: outputs,
        name: `${opType}_${this.nodes.length}`,
        attribute,
      }),
    );
  }

  private valueInfo(name: string, shape: number[]) {
    return onnx.ValueInfoProto.create({
      name,
      type: {
        tensorType: {
          elemType: onnx.TensorProto.DataType.FLOAT,
          shape: { dim: shape.map((dimValue) => ({ dimValue })) },
        },
      },
    });
  }

  addInput(name: string, shape: number[]): string {
    this.used.add(name);
    this.inputs.push(this.valueInfo(name, shape));
    return name;
  }

  addOutput(name: string, shape: number[]): void {
    this.outputs.push(this.valueInfo(name, shape));
  }

  encode(graphName: string, docString: string): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: "argus tfjs-to-onnx",
      producerVersion: "1",
      docString,
      opsetImport: [{ domain: "", version: OPSET }],
      graph: {
        name: graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
