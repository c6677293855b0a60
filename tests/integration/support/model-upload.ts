// A stand-in ONNX file (starts like a real one: ir_version + producer) and the upload form of POST
// /api/v1/detection-models, for tests of the model registry (D1) that never run the model.
export function onnxBytes(size: number, seed = 1): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) % 251;
  Buffer.from([0x08, 0x08, 0x12, 0x07, ...Buffer.from("pytorch")]).copy(bytes);
  return bytes;
}

export function uploadForm(fields: Record<string, string>, file: Buffer | null): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append("file", new Blob([new Uint8Array(file)]), "model.onnx");
  return form;
}
