import { describe, expect, it } from "vitest";
import { encodeEmbedding, type FaceGallery } from "../../protocol/faces";
import { GalleryStore } from "./gallery-store";

const GALLERY = "11111111-1111-4111-8111-111111111111";
const PERSON = "22222222-2222-4222-8222-222222222222";

function recordingLogger() {
  const lines: Array<{ level: string; msg: string }> = [];
  return {
    lines,
    info: (_o: unknown, msg?: string) => void lines.push({ level: "info", msg: msg ?? "" }),
    warn: (_o: unknown, msg?: string) => void lines.push({ level: "warn", msg: msg ?? "" }),
  };
}

function gallery(revision: number, overrides: Partial<FaceGallery> = {}): FaceGallery {
  return {
    galleryId: GALLERY,
    revision,
    modelId: "faceres",
    modelVersion: "1",
    enabled: true,
    people: [{ personId: PERSON, name: "Ada", embeddings: [encodeEmbedding(Float32Array.from([3, 4]))] }],
    ...overrides,
  };
}

const embedder = { id: "faceres", version: "1" };

describe("GalleryStore (D6)", () => {
  it("decodes the embeddings into normalised vectors", () => {
    const store = new GalleryStore(recordingLogger() as never);
    expect(store.apply(gallery(1))).toBe("applied");
    const people = store.usable(GALLERY, embedder)!;
    expect(people[0]!.name).toBe("Ada");
    expect([...people[0]!.embeddings[0]!].map((x) => Math.round(x * 1000) / 1000)).toEqual([0.6, 0.8]);
  });

  it("keeps the latest revision and ignores an older one", () => {
    const store = new GalleryStore(recordingLogger() as never);
    store.apply(gallery(5));
    expect(store.apply(gallery(4, { people: [] }))).toBe("stale");
    expect(store.usable(GALLERY, embedder)).toHaveLength(1);
    expect(store.apply(gallery(6, { people: [] }))).toBe("applied");
    expect(store.usable(GALLERY, embedder)).toEqual([]);
  });

  it("drops the people when recognition is turned off, and keeps that revision", () => {
    const store = new GalleryStore(recordingLogger() as never);
    store.apply(gallery(1));
    expect(store.apply(gallery(2, { enabled: false }))).toBe("dropped");
    expect(store.usable(GALLERY, embedder)).toBeNull();
    expect(store.get(GALLERY)?.people).toEqual([]);
    expect(store.apply(gallery(1))).toBe("stale");
  });

  it("does not match against another embedder's gallery, and says so once", () => {
    const logger = recordingLogger();
    const store = new GalleryStore(logger as never);
    store.apply(gallery(1, { modelId: "mobilefacenet" }));
    expect(store.usable(GALLERY, embedder)).toBeNull();
    expect(store.usable(GALLERY, embedder)).toBeNull();
    expect(logger.lines.filter((l) => l.level === "warn")).toHaveLength(1);
    // an empty gallery has nothing to compare: every face is simply unknown, whatever the model
    store.apply(gallery(2, { modelId: "none", people: [] }));
    expect(store.usable(GALLERY, embedder)).toEqual([]);
  });

  it("skips an undecodable embedding instead of failing the whole gallery", () => {
    const store = new GalleryStore(recordingLogger() as never);
    const bad = gallery(1);
    bad.people[0]!.embeddings.push("AAAAAAA="); // 5 bytes: not whole float32 values
    expect(store.apply(bad)).toBe("applied");
    expect(store.usable(GALLERY, embedder)![0]!.embeddings).toHaveLength(1);
  });

  it("answers null for a gallery it never received", () => {
    expect(new GalleryStore(recordingLogger() as never).usable(GALLERY, embedder)).toBeNull();
  });
});
