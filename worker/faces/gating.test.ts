import { describe, expect, it } from "vitest";
import { DEFAULT_FACE_SETTINGS } from "../../protocol/faces";
import {
  cosineSimilarity,
  createTrackGate,
  decide,
  gatingOptions,
  hasDrifted,
  mayShowFace,
  shouldLook,
  type TrackGate,
} from "./gating";

const options = gatingOptions({ ...DEFAULT_FACE_SETTINGS, minFacePx: 40, reclassifySeconds: 10 });
const unitVector = (...v: number[]) => Float32Array.from(v);

function classifiedAt(atMs: number, sizePx = 60, sharpness = 100): TrackGate {
  return { last: { atMs, sizePx, sharpness, embedding: unitVector(1, 0, 0) }, lookedAtMs: atMs, watchedAtMs: atMs };
}

describe("face gating (D6)", () => {
  it("classifies a new track as soon as a large enough face is found", () => {
    const gate = createTrackGate();
    expect(decide(gate, { sizePx: 39, sharpness: 500 }, 0, options)).toBeNull();
    expect(decide(gate, { sizePx: 40, sharpness: 5 }, 0, options)).toEqual({ classify: "new" });
  });

  it("searches a track on first sight, then every searchMs until classified, then at most every lookMs", () => {
    expect(shouldLook(createTrackGate(), 0, options)).toBe(true);
    const searched = { ...createTrackGate(), lookedAtMs: 1_000 };
    expect(shouldLook(searched, 1_000 + options.searchMs - 1, options)).toBe(false);
    expect(shouldLook(searched, 1_000 + options.searchMs, options)).toBe(true);
    const gate = classifiedAt(1_000);
    expect(shouldLook(gate, 1_000 + options.lookMs - 1, options)).toBe(false);
    expect(shouldLook(gate, 1_000 + options.lookMs, options)).toBe(true);
  });

  it("does not classify the same face again on the next frames", () => {
    const gate = classifiedAt(1_000);
    for (const t of [1_200, 1_400, 2_000, 2_900])
      expect(decide({ ...gate, watchedAtMs: t }, { sizePx: 62, sharpness: 105 }, t, options)).toBeNull();
  });

  it("classifies again when the face is clearly larger, or clearly sharper", () => {
    const gate = classifiedAt(1_000, 60, 100);
    expect(decide(gate, { sizePx: 75, sharpness: 90 }, 1_200, options)).toEqual({ classify: "better" });
    expect(decide(gate, { sizePx: 55, sharpness: 150 }, 1_200, options)).toEqual({ classify: "better" });
    // larger but much blurrier, sharper but much smaller: not better
    expect(decide(gate, { sizePx: 80, sharpness: 50 }, 1_200, options)).toBeNull();
    expect(decide(gate, { sizePx: 44, sharpness: 200 }, 1_200, options)).toBeNull();
  });

  it("does not search a person box too small to hold a face of minFacePx", () => {
    expect(mayShowFace(59, 200, options)).toBe(false); // 1.5 x 40 = 60
    expect(mayShowFace(60, 59, options)).toBe(false);
    expect(mayShowFace(60, 60, options)).toBe(true);
  });

  it("never classifies a face below minFacePx, however sharp or late", () => {
    const gate = classifiedAt(0, 30, 10);
    expect(decide(gate, { sizePx: 39, sharpness: 1000 }, 60_000, options)).toBeNull();
  });

  it("classifies again after reclassifySeconds", () => {
    const gate = classifiedAt(1_000);
    expect(decide(gate, { sizePx: 60, sharpness: 100 }, 10_999, { ...options, watchMs: 1e9 })).toBeNull();
    expect(decide(gate, { sizePx: 60, sharpness: 100 }, 11_000, options)).toEqual({ classify: "interval" });
  });

  it("embeds to watch for drift at most every watchMs; only an embedding that moved away counts", () => {
    const gate = classifiedAt(1_000);
    expect(decide(gate, { sizePx: 60, sharpness: 100 }, 1_000 + options.watchMs - 1, options)).toBeNull();
    expect(decide(gate, { sizePx: 60, sharpness: 100 }, 1_000 + options.watchMs, options)).toEqual({ watch: true });
    const last = unitVector(1, 0, 0);
    expect(hasDrifted(last, unitVector(0.95, 0.31, 0), options)).toBe(false); // similarity 0.95
    expect(hasDrifted(last, unitVector(0.6, 0.8, 0), options)).toBe(true); // similarity 0.6: distance 0.4 > 0.3
  });

  it("computes cosine similarity independent of length, 0 for mismatched or zero vectors", () => {
    expect(cosineSimilarity(unitVector(2, 0), unitVector(5, 0))).toBeCloseTo(1);
    expect(cosineSimilarity(unitVector(1, 0), unitVector(0, 3))).toBeCloseTo(0);
    expect(cosineSimilarity(unitVector(1, 0), unitVector(1, 0, 0))).toBe(0);
    expect(cosineSimilarity(unitVector(0, 0), unitVector(1, 0))).toBe(0);
  });
});
