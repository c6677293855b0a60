import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { looksLikeOnnx, modelUploadSchema, saveModelFile } from "./models.server";

const dir = mkdtempSync(path.join(tmpdir(), "argus-models-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The start of a real exporter's ONNX file: ir_version 8, then producer_name "pytorch". */
function fakeOnnx(size = 4096): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 11; i < size; i++) bytes[i] = i % 251;
  bytes.set([0x08, 0x08, 0x12, 0x07, ...Buffer.from("pytorch")].slice(0, size));
  return bytes;
}

async function* chunks(bytes: Uint8Array, size = 1000): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe("looksLikeOnnx (D1)", () => {
  it("accepts a ModelProto start and refuses other files", () => {
    expect(looksLikeOnnx(fakeOnnx(64))).toBe(true);
    expect(looksLikeOnnx(Buffer.from("<html><body>not a model</body></html>"))).toBe(false);
    expect(looksLikeOnnx(Buffer.from("PK\u0003\u0004 zip archive......"))).toBe(false);
    expect(looksLikeOnnx(fakeOnnx(8))).toBe(false);
    expect(looksLikeOnnx(new Uint8Array([0x08, 0xff, ...new Uint8Array(20)]))).toBe(false);
  });
});

describe("saveModelFile (D1)", () => {
  it("stores under <sha256>.onnx with the checksum of the bytes", async () => {
    const bytes = fakeOnnx(10_000);
    const stored = await saveModelFile(chunks(bytes), dir, 1_000_000);
    const sha = createHash("sha256").update(bytes).digest("hex");
    expect(stored).toEqual({ sha256: sha, sizeBytes: 10_000, filePath: path.join(dir, "models", `${sha}.onnx`) });
    expect(createHash("sha256").update(readFileSync(stored.filePath)).digest("hex")).toBe(sha);
  });

  it("refuses too large (413), empty and non-ONNX files (400), leaving nothing behind", async () => {
    await expect(saveModelFile(chunks(fakeOnnx(5000)), dir, 4000)).rejects.toMatchObject({ status: 413 });
    await expect(saveModelFile(chunks(new Uint8Array(0)), dir, 4000)).rejects.toMatchObject({ status: 400 });
    await expect(saveModelFile(chunks(Buffer.from("x".repeat(100))), dir, 4000)).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/not an ONNX model/),
    });
    expect(readdirSync(path.join(dir, "models")).filter((f) => f.startsWith(".upload-"))).toEqual([]);
    expect(existsSync(path.join(dir, "models"))).toBe(true);
  });
});

describe("modelUploadSchema (D1)", () => {
  it("reads classes as a JSON array or a comma list and the input size in either form", () => {
    expect(
      modelUploadSchema.parse({ id: "yolo11n", version: "1", classes: '["person","car"]', inputSize: "640" }),
    ).toMatchObject({ classes: ["person", "car"], inputWidth: 640, inputHeight: 640, shared: false });
    expect(
      modelUploadSchema.parse({ id: "y", version: "2", classes: "person, car ,bus", inputSize: "640x384" }),
    ).toMatchObject({ classes: ["person", "car", "bus"], inputWidth: 640, inputHeight: 384 });
    expect(
      modelUploadSchema.parse({
        id: "y",
        version: "2",
        classes: "a",
        inputWidth: "320",
        inputHeight: "256",
        shared: "true",
      }),
    ).toMatchObject({ inputWidth: 320, inputHeight: 256, shared: true });
  });

  it("refuses bad ids, empty classes, bad sizes and unknown fields", () => {
    for (const bad of [
      { id: "../etc", version: "1", classes: "a" },
      { id: "y", version: "1", classes: "" },
      { id: "y", version: "1", classes: "[oops" },
      { id: "y", version: "1", classes: "a", inputSize: "99999" },
      { id: "y", version: "1", classes: "a", inputWidth: "8" },
      { id: "y", version: "1", classes: "a", format: "centernet" },
    ])
      expect(modelUploadSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });
});
