import { describe, expect, it } from "vitest";
import { letterboxToInput, resizeToInput, toFrame } from "./preprocess";

/** width x height rgb24 with R = x * 10, G = y * 10, B = 7. */
function gradient(width: number, height: number) {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([x * 10, y * 10, 7], (y * width + x) * 3);
  return { width, height, data };
}

describe("preprocess", () => {
  it("downscales 2x by averaging pixel pairs (half-pixel centres), NHWC 0-255", () => {
    const out = new Float32Array(2 * 1 * 3);
    const m = resizeToInput(gradient(4, 2), { width: 2, height: 1, layout: "nhwc", scale: 1 }, out);
    // Output x 0 samples source x 0.5 (mean of 0 and 10), x 1 samples 2.5; y samples 0.5.
    expect(Array.from(out)).toEqual([5, 5, 7, 25, 5, 7]);
    expect(m).toEqual({ scaleX: 0.5, scaleY: 0.5, padX: 0, padY: 0 });
  });

  it("writes NCHW planes scaled to 0-1 and upscales with clamped edges", () => {
    const out = new Float32Array(4 * 2 * 3);
    resizeToInput(gradient(2, 1), { width: 4, height: 2, layout: "nchw", scale: 1 / 255 }, out);
    // Source x for output 0..3: -0.25→0 (clamped), 0.25, 0.75, 1.25→1.
    const r = Array.from(out.subarray(0, 4), (v) => Math.round(v * 255 * 100) / 100);
    expect(r).toEqual([0, 2.5, 7.5, 10]);
    expect(Array.from(out.subarray(4, 8), (v) => Math.round(v * 255 * 100) / 100)).toEqual([0, 2.5, 7.5, 10]); // row 1
    expect(Array.from(out.subarray(8, 16))).toEqual(new Array(8).fill(0)); // G plane
    expect(out[16] * 255).toBeCloseTo(7, 5);
  });

  it("swaps to BGR when the model wants it", () => {
    const out = new Float32Array(3);
    resizeToInput(
      { width: 1, height: 1, data: Buffer.from([10, 20, 30]) },
      { width: 1, height: 1, layout: "nchw", scale: 1, channels: "bgr" },
      out,
    );
    expect(Array.from(out)).toEqual([30, 20, 10]);
  });

  it("keeps a constant image constant at any size", () => {
    const img = { width: 37, height: 23, data: Buffer.alloc(37 * 23 * 3, 200) };
    const out = new Float32Array(16 * 16 * 3);
    resizeToInput(img, { width: 16, height: 16, layout: "nhwc", scale: 1 }, out);
    expect(out.every((v) => Math.abs(v - 200) < 1e-3)).toBe(true);
  });

  it("letterboxes: centred, border filled, mapping back to frame pixels", () => {
    const spec = { width: 8, height: 8, layout: "nchw" as const, scale: 1 };
    const out = new Float32Array(8 * 8 * 3);
    const img = { width: 16, height: 8, data: Buffer.alloc(16 * 8 * 3, 50) };
    const m = letterboxToInput(img, spec, out, 114);
    expect(m).toEqual({ scaleX: 0.5, scaleY: 0.5, padX: 0, padY: 2 });
    expect(out[0]).toBe(114); // row 0: border
    expect(out[2 * 8]).toBeCloseTo(50); // row 2: image
    expect(out[6 * 8]).toBe(114); // row 6: border
    expect(toFrame(m, 4, 4)).toEqual([8, 4]);
  });
});
