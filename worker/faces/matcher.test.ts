import { describe, expect, it } from "vitest";
import { matchFace, normalise, type MatchPerson } from "./matcher";

const v = (...x: number[]) => normalise(Float32Array.from(x));
const person = (personId: string, ...embeddings: Float32Array[]): MatchPerson => ({
  personId,
  name: `Name ${personId}`,
  embeddings,
});
const options = { threshold: 0.5, margin: 0.05 };

describe("face matcher (D6)", () => {
  it("recognises the best person: a person's score is their best embedding", () => {
    const gallery = [person("a", v(1, 0, 0), v(0, 0, 1)), person("b", v(0, 1, 0))];
    const result = matchFace(v(0.1, 0.2, 1), gallery, options);
    expect(result.person).toEqual({ personId: "a", name: "Name a" });
    expect(result.similarity).toBeCloseTo(1 / Math.hypot(0.1, 0.2, 1), 5);
    expect(result.margin).toBeCloseTo((1 - 0.2) / Math.hypot(0.1, 0.2, 1), 5);
  });

  it("rejects a best match below the threshold", () => {
    const result = matchFace(v(0.4, 0.6, 0.69), [person("a", v(1, 0, 0))], options);
    expect(result.similarity).toBeLessThan(0.5);
    expect(result.person).toBeNull();
  });

  it("rejects a match that does not beat the second-best person by the margin", () => {
    // similar to both a (0.72) and b (0.69): above the threshold, but too close to call
    const query = v(0.72, 0.69, 0.05);
    const gallery = [person("a", v(1, 0, 0)), person("b", v(0, 1, 0))];
    const result = matchFace(query, gallery, options);
    expect(result.similarity).toBeGreaterThan(0.5);
    expect(result.margin).toBeLessThan(0.05);
    expect(result.person).toBeNull();
    // the same face with a smaller required margin is recognised
    expect(matchFace(query, gallery, { threshold: 0.5, margin: 0.01 }).person?.personId).toBe("a");
  });

  it("gives a gallery of one person margin 1 (nothing to confuse it with)", () => {
    const result = matchFace(v(1, 0.1, 0), [person("a", v(1, 0, 0))], options);
    expect(result.margin).toBe(1);
    expect(result.person?.personId).toBe("a");
  });

  it("matches nobody in an empty gallery (similarity null)", () => {
    expect(matchFace(v(1, 0, 0), [], options)).toEqual({ person: null, similarity: null, margin: 0 });
  });

  it("ignores embeddings of another length", () => {
    const result = matchFace(v(1, 0, 0), [person("a", v(1, 0)), person("b", v(0.9, 0.1, 0))], options);
    expect(result.person?.personId).toBe("b");
    expect(result.margin).toBe(1);
  });
});
