import { describe, expect, it } from "vitest";
import { MotionGate } from "./motion";
import { blockFrame, greyFrame, texture, texturedFrame } from "./test-frames";

describe("MotionGate (W10)", () => {
  it("seeds its background on the first frame without reporting motion", () => {
    const gate = new MotionGate();
    expect(gate.update(blockFrame(100, 100, 80))).toEqual({ motion: false, score: 0 });
    expect(gate.update(blockFrame(100, 100, 80, 2)).motion).toBe(false);
  });

  it("ignores sensor noise on a static scene", () => {
    const gate = new MotionGate();
    for (let i = 0; i < 60; i++) {
      const { motion, score } = gate.update(texturedFrame({ noiseAmplitude: 12, seed: i + 1 }));
      expect(motion).toBe(false);
      expect(score).toBeLessThan(0.002);
    }
  });

  it("reports a moving block", () => {
    const gate = new MotionGate();
    gate.update(texturedFrame({ noiseAmplitude: 10 }));
    for (let i = 1; i < 20; i++) {
      const { motion, score } = gate.update(blockFrame(50 + i * 25, 200, 80, i));
      expect(motion).toBe(true);
      expect(score).toBeGreaterThan(0.01);
    }
  });

  it("reports a small object (30 px) moving far away", () => {
    const gate = new MotionGate();
    gate.update(texturedFrame({ noiseAmplitude: 10 }));
    const seen = Array.from({ length: 10 }, (_, i) => gate.update(blockFrame(300 + i * 15, 100, 30, i + 2)).motion);
    expect(seen.filter(Boolean).length).toBeGreaterThanOrEqual(9);
  });

  it("does not take a lighting ramp or a sudden global change for motion", () => {
    const gate = new MotionGate();
    for (let i = 0; i <= 60; i++) {
      expect(gate.update(texturedFrame({ offset: i * 0.5, noiseAmplitude: 10, seed: i + 1 })).motion).toBe(false);
    }
    // A light switches off: every pixel 60 levels darker at once.
    expect(gate.update(texturedFrame({ offset: -30, noiseAmplitude: 10, seed: 500 })).motion).toBe(false);
    // The camera's exposure steps up by a third.
    const brighter = greyFrame((x, y) => 1.3 * (texture(x, y) - 30));
    expect(gate.update(brighter).motion).toBe(false);
  });

  it("lets a block that stops moving fade into the background", () => {
    const gate = new MotionGate();
    gate.update(texturedFrame({ noiseAmplitude: 10 }));
    expect(gate.update(blockFrame(200, 200, 100, 3)).motion).toBe(true);
    const motion = Array.from({ length: 100 }, (_, i) => gate.update(blockFrame(200, 200, 100, i + 4)).motion);
    expect(motion.slice(-20).some(Boolean)).toBe(false);
  });

  it("reseeds when the frame size changes", () => {
    const gate = new MotionGate();
    gate.update(texturedFrame());
    expect(gate.update(greyFrame(() => 0, 320, 240))).toEqual({ motion: false, score: 0 });
    expect(gate.update(greyFrame((x) => (x < 160 ? 0 : 255), 320, 240)).motion).toBe(true);
  });
});
