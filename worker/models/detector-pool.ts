// One detector (one onnxruntime session) per model per worker, shared by every camera that uses it (SPEC D1):
// reference-counted, created on first use, closed when the last camera lets go.
import type { ModelDescriptor } from "../../protocol";
import type { Detector } from "../detect/detector";

interface Entry {
  refs: number;
  detector: Promise<Detector>;
}

export type DetectorFactory = (model: ModelDescriptor) => Promise<Detector>;

export const modelKey = (model: Pick<ModelDescriptor, "id" | "version" | "sha256">) =>
  `${model.id}@${model.version}#${model.sha256.slice(0, 12)}`;

export class DetectorPool {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly create: DetectorFactory) {}

  acquire(model: ModelDescriptor): Promise<Detector> {
    const key = modelKey(model);
    let entry = this.entries.get(key);
    if (!entry) {
      const detector = this.create(model);
      entry = { refs: 0, detector };
      this.entries.set(key, entry);
      // A failed load is not cached: the next camera (or a retry) tries again.
      detector.catch(() => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      });
    }
    entry.refs += 1;
    return entry.detector;
  }

  async release(model: ModelDescriptor): Promise<void> {
    const key = modelKey(model);
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.refs -= 1;
    if (entry.refs > 0) return;
    this.entries.delete(key);
    await entry.detector.then((d) => d.close()).catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.detector.then((d) => d.close()).catch(() => undefined)));
  }
}
