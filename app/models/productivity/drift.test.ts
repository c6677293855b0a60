import { describe, expect, it } from "vitest";
import { klDivergence, smoothedShares } from "./drift";

describe("drift maths", () => {
  it("is ~0 for the same distribution and grows with the shift", () => {
    const base = { working: 600, idle: 250, absent: 50, product_count: 600 };
    expect(klDivergence({ working: 60, idle: 25, absent: 5, product_count: 60 }, base)).toBeLessThan(0.01);
    const shifted = klDivergence({ working: 10, idle: 30, absent: 110, product_count: 10 }, base);
    expect(shifted).toBeGreaterThan(1);
    // Hand check with smoothing: P and Q over four types.
    const p = smoothedShares({ working: 1, idle: 1 });
    expect(p.working).toBeCloseTo(1.5 / 4, 12);
    expect(p.absent).toBeCloseTo(0.5 / 4, 12);
  });
});
