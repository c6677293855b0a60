// U4 (issue 10 §1): the shared string and float4 schemas, by property.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalisedBoxSchema } from "./events";
import { registerSchema } from "./worker";
import { FLOAT4_MIN_NORMAL, fitsFloat4, float4, isStorableJson, isStorableText, isUuid, safeText } from "./strings";

const name = safeText().trim().min(1).max(100);

describe("safeText", () => {
  it("U4: never accepts a string with NUL or a lone surrogate, and says which", () => {
    const poisoned = fc
      .tuple(
        fc.string({ maxLength: 20 }),
        fc.constantFrom("\u0000", "\ud800", "\udc00", "\udbff"),
        fc.string({ maxLength: 20 }),
      )
      .map(([a, bad, b]) => `x${a}${bad}${bad === "\ud800" || bad === "\udbff" ? "!" : ""}${b}`);
    fc.assert(
      fc.property(poisoned, (value) => {
        const parsed = name.safeParse(value);
        expect(parsed.success).toBe(false);
        expect(parsed.error?.issues[0].message).toMatch(/NUL|lone surrogate/);
      }),
      { seed: 10, numRuns: 500 },
    );
  });

  it("U4: accepts well-formed text (surrogate pairs included) and returns it NFC-normalised", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }), (value) => {
        fc.pre(!value.includes("\u0000") && value.trim().length > 0 && value.trim().length <= 100);
        const parsed = name.safeParse(value);
        expect(parsed.success).toBe(true);
        expect(parsed.data).toBe(value.trim().normalize("NFC"));
      }),
      { seed: 11, numRuns: 500 },
    );
    expect(name.parse("Cafe\u0301")).toBe("Caf\u00e9");
    expect(name.parse("camera \ud83d\udcf7")).toBe("camera \ud83d\udcf7");
  });

  it("isStorableText / isStorableJson look into keys and nested values", () => {
    expect(isStorableText("ok")).toBe(true);
    expect(isStorableText("a\u0000")).toBe(false);
    expect(isStorableJson({ a: [1, { b: "x" }] })).toBe(true);
    expect(isStorableJson({ a: [1, { b: "x\u0000" }] })).toBe(false);
    expect(isStorableJson({ ["k\ud800"]: 1 })).toBe(false);
  });
});

describe("float4", () => {
  const confidence = float4().min(0).max(1);
  it("U4: accepts 0 and normal float4 magnitudes, rejects what PostgreSQL's real cannot hold", () => {
    for (const ok of [0, 1, 0.5, FLOAT4_MIN_NORMAL, 1e-37]) expect(confidence.safeParse(ok).success).toBe(true);
    for (const bad of [1e-50, 1e-45, 1e-39, -1e-50]) expect(confidence.safeParse(bad).success).toBe(false);
    expect(fitsFloat4(4e38)).toBe(false);
    expect(fitsFloat4(-3e38)).toBe(true);
  });
  it("U4: by property, whatever float4 accepts survives a round trip through Math.fround as non-zero or zero", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => {
        if (fitsFloat4(x)) expect(x === 0 || (Math.fround(x) !== 0 && Number.isFinite(Math.fround(x)))).toBe(true);
      }),
      { seed: 12, numRuns: 2000 },
    );
  });
});

describe("ids and the worker's v1:register", () => {
  it("U4: isUuid takes uuids only (36 x 'a' or '-' are not)", () => {
    expect(isUuid("3f2504e0-4f89-11d3-9a0c-0305e82c3301")).toBe(true);
    expect(isUuid("a".repeat(36))).toBe(false);
    expect(isUuid("-".repeat(36))).toBe(false);
  });
  it("U4: register refuses NUL in name, host and version with a bad_request-able error, not a database error", () => {
    const base = { id: "w-1", name: "Worker", host: "h", version: "1", capacity: 1, capabilities: {} };
    expect(registerSchema.safeParse(base).success).toBe(true);
    for (const field of ["name", "host", "version"] as const)
      expect(registerSchema.safeParse({ ...base, [field]: "x\u0000" }).success).toBe(false);
  });
});

describe("worker detection events", () => {
  it("U4: a computed box value too small for float4 is stored as 0, never refused (a stamped event must not be lost)", () => {
    expect(normalisedBoxSchema.parse([1e-50, 0, 0.5, 1])).toEqual([0, 0, 0.5, 1]);
    expect(normalisedBoxSchema.safeParse([-1e-50, 0, 0.5, 1]).success).toBe(false);
  });
});
