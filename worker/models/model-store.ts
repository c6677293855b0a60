// Model files on the worker (SPEC D1): fetched from the server over authenticated HTTP (the worker's signed token),
// verified against the registry's SHA-256 and cached by checksum in the worker's state dir, so a restart or a second
// camera on the same model costs nothing and a changed file can never be run under an old id.
import { createHash } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { modelFilePath, type ModelDescriptor } from "../../protocol";
import type { Logger } from "../logger";

export type AuthorizedFetch = (path: string, init?: { signal?: AbortSignal }) => Promise<Response>;

export class ModelStore {
  private readonly verified = new Set<string>();
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(
    private readonly dir: string,
    private readonly fetchFile: AuthorizedFetch,
    private readonly logger: Logger,
  ) {}

  /** The local path of the model's ONNX file, downloading and verifying it once. */
  file(model: ModelDescriptor): Promise<string> {
    let pending = this.inflight.get(model.sha256);
    if (!pending) {
      pending = this.ensure(model).finally(() => this.inflight.delete(model.sha256));
      this.inflight.set(model.sha256, pending);
    }
    return pending;
  }

  private async ensure(model: ModelDescriptor): Promise<string> {
    const target = path.join(this.dir, `${model.sha256}.onnx`);
    if (this.verified.has(model.sha256) && existsSync(target)) return target;
    if (existsSync(target) && (await sha256File(target)) === model.sha256) {
      this.verified.add(model.sha256);
      return target;
    }
    const started = Date.now();
    const res = await this.fetchFile(modelFilePath(model.id, model.version), { signal: AbortSignal.timeout(120_000) });
    if (!res.ok) throw new Error(`model ${model.id}@${model.version}: the server answered HTTP ${res.status}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    const actual = createHash("sha256").update(bytes).digest("hex");
    if (actual !== model.sha256)
      throw new Error(`model ${model.id}@${model.version}: checksum mismatch (got ${actual}, want ${model.sha256})`);
    mkdirSync(this.dir, { recursive: true });
    const partial = `${target}.${process.pid}.partial`;
    writeFileSync(partial, bytes);
    renameSync(partial, target);
    this.verified.add(model.sha256);
    this.logger.info(
      { modelId: model.id, version: model.version, bytes: bytes.length, ms: Date.now() - started },
      "model downloaded and verified",
    );
    return target;
  }
}

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(file)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}
