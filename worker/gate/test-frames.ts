// Synthetic rgb24 frames for the gate tests (noise, moving blocks, lighting, black and flat frames).
import type { RgbImage } from "../detect/detector";

export const WIDTH = 640;
export const HEIGHT = 480;

/** A frame whose grey level at (x, y) is luma(x, y), clamped to 0-255. */
export function greyFrame(luma: (x: number, y: number) => number, width = WIDTH, height = HEIGHT): RgbImage {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i += 3) data[i] = data[i + 1] = data[i + 2] = clamp(luma(x, y));
  }
  return { width, height, data };
}

/** The texture of the test scene: 8 px tiles from 40 to 219 (mean about 130, standard deviation about 50). */
export function texture(x: number, y: number): number {
  return 40 + (((x >> 3) * 7 + (y >> 3) * 13) % 180);
}

const BASE = Float32Array.from({ length: WIDTH * HEIGHT }, (_, i) => texture(i % WIDTH, Math.floor(i / WIDTH)));
const noiseFields = new Map<number, Float32Array>();

/** Uniform noise in [-1, 1] per pixel, one of 8 fields picked by seed (frame generation dominates test time). */
function noiseField(seed: number): Float32Array {
  seed = (seed & 7) + 1;
  let field = noiseFields.get(seed);
  if (!field) {
    let s = seed >>> 0;
    field = new Float32Array(WIDTH * HEIGHT);
    for (let i = 0; i < field.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      field[i] = (s / 2 ** 32) * 2 - 1;
    }
    noiseFields.set(seed, field);
  }
  return field;
}

/**
 * The textured scene plus a global offset and seeded uniform per-pixel noise in [-noiseAmplitude, noiseAmplitude],
 * with an optional white square (`block`: left, top, size in px).
 */
export function texturedFrame(
  options: { offset?: number; noiseAmplitude?: number; seed?: number; block?: [number, number, number] } = {},
): RgbImage {
  const { offset = 0, noiseAmplitude = 0, block } = options;
  const field = noiseField(options.seed ?? 1);
  const data = Buffer.alloc(WIDTH * HEIGHT * 3);
  for (let p = 0, i = 0; p < BASE.length; p++, i += 3) {
    data[i] = data[i + 1] = data[i + 2] = clamp(BASE[p] + offset + field[p] * noiseAmplitude);
  }
  if (block) {
    const [left, top, size] = block;
    for (let y = Math.max(0, top); y < Math.min(HEIGHT, top + size); y++) {
      const from = (y * WIDTH + Math.max(0, left)) * 3;
      data.fill(250, from, (y * WIDTH + Math.min(WIDTH, left + size)) * 3);
    }
  }
  return { width: WIDTH, height: HEIGHT, data };
}

/** The textured scene (noise 10) with a white square of `size` px whose top-left corner is at (left, top). */
export function blockFrame(left: number, top: number, size: number, seed = 1): RgbImage {
  return texturedFrame({ noiseAmplitude: 10, seed, block: [left, top, size] });
}

/** A Buffer wraps out-of-range values; light saturates instead. */
function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}
