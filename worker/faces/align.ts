// Geometry and resampling for the face models (issue 14, D6): one affine warp samples any model input from an
// RgbImage (letterboxed detector input, axis-aligned crop, or an eye-aligned face crop), so all three share one
// well-tested inner loop. An Affine maps OUTPUT pixel centres to SOURCE pixel coordinates:
//   x = a*u + b*v + c,  y = d*u + e*v + f   for output pixel (u, v) (pixel centres at +0.5 on both sides).
import type { PixelRect, RgbImage } from "./types";

export type Affine = [number, number, number, number, number, number];

export interface WarpOptions {
  /** Output value = pixel * scale + offset (e.g. [-1,1]: 1/127.5, -1; 0-255: 1, 0). */
  scale?: number;
  offset?: number;
  /** Pixel value (0-255) outside the image; default 0 (black, as MediaPipe pads). */
  fill?: number;
}

/** Output (u,v) → source: a square `side` at (x0, y0) resampled to size x size (axis-aligned crop). */
export function cropAffine(x0: number, y0: number, side: number, size: number): Affine {
  const s = side / size;
  return [s, 0, x0, 0, s, y0];
}

/** The smallest square containing rect, centred on it, grown by `grow` (1 = tight). Tall person boxes → square. */
export function squareAround(rect: PixelRect, grow = 1): { x0: number; y0: number; side: number } {
  const [x1, y1, x2, y2] = rect;
  const side = Math.max(x2 - x1, y2 - y1) * grow;
  return { x0: (x1 + x2) / 2 - side / 2, y0: (y1 + y2) / 2 - side / 2, side };
}

/**
 * Samples `size`x`size` NHWC float values from img through the affine (bilinear). When the warp shrinks the image
 * (more than ~1.5 source pixels per output pixel) it averages a grid of taps over the footprint (up to 4x4), so a
 * 1920-px frame shrunk to 256 does not alias into noise the detector has never seen.
 */
export function warpToTensor(
  img: RgbImage,
  m: Affine,
  width: number,
  height: number,
  options: WarpOptions = {},
  out: Float32Array<ArrayBuffer> = new Float32Array(width * height * 3),
): Float32Array<ArrayBuffer> {
  const scale = options.scale ?? 1;
  const offset = options.offset ?? 0;
  const fill = options.fill ?? 0;
  const [a, b, c, d, e, f] = m;
  const footprint = Math.max(Math.hypot(a, d), Math.hypot(b, e));
  const taps = footprint > 1.5 ? Math.min(4, Math.ceil(footprint)) : 1;
  const inv = 1 / (taps * taps);
  const { width: W, height: H, data } = img;
  const px = [0, 0, 0];
  const sample = (x: number, y: number) => {
    // x, y in pixel-centre coordinates (pixel i covers [i, i+1), centre i + 0.5).
    const fx = x - 0.5;
    const fy = y - 0.5;
    const x0 = Math.floor(fx);
    const y0 = Math.floor(fy);
    const tx = fx - x0;
    const ty = fy - y0;
    for (let ch = 0; ch < 3; ch++) {
      const v00 = at(x0, y0, ch);
      const v10 = at(x0 + 1, y0, ch);
      const v01 = at(x0, y0 + 1, ch);
      const v11 = at(x0 + 1, y0 + 1, ch);
      px[ch]! += (v00 * (1 - tx) + v10 * tx) * (1 - ty) + (v01 * (1 - tx) + v11 * tx) * ty;
    }
  };
  const at = (x: number, y: number, ch: number) => {
    // Inside: the pixel. One pixel outside: the edge pixel (bilinear taps at the border must not darken it).
    // Further out: the fill value (letterbox padding).
    if (x < -1 || y < -1 || x > W || y > H) return fill;
    const cx = x < 0 ? 0 : x >= W ? W - 1 : x;
    const cy = y < 0 ? 0 : y >= H ? H - 1 : y;
    return data[(cy * W + cx) * 3 + ch]!;
  };
  let o = 0;
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      px[0] = px[1] = px[2] = 0;
      for (let j = 0; j < taps; j++) {
        const vv = v + (j + 0.5) / taps;
        for (let i = 0; i < taps; i++) {
          const uu = u + (i + 0.5) / taps;
          sample(a * uu + b * vv + c, d * uu + e * vv + f);
        }
      }
      out[o++] = px[0]! * inv * scale + offset;
      out[o++] = px[1]! * inv * scale + offset;
      out[o++] = px[2]! * inv * scale + offset;
    }
  }
  return out;
}

/** Applies an affine to a point. */
export function applyAffine(m: Affine, u: number, v: number): [number, number] {
  return [m[0] * u + m[1] * v + m[2], m[3] * u + m[4] * v + m[5]];
}

export interface AlignSpec {
  /** Output size in pixels (square). */
  size: number;
  /** Distance between the eyes in the output, as a fraction of size. */
  eyeDistance: number;
  /** Height of the eyes' midpoint in the output, as a fraction of size (from the top). */
  eyeY: number;
}

/**
 * Similarity transform (rotation + uniform scale + shift) that puts the eyes level, `eyeDistance * size` apart and
 * centred at (size/2, eyeY * size). keypoints[0] = the subject's right eye (left in the image), [1] = left eye.
 */
export function alignAffine(rightEye: [number, number], leftEye: [number, number], spec: AlignSpec): Affine {
  const dx = leftEye[0] - rightEye[0];
  const dy = leftEye[1] - rightEye[1];
  const dist = Math.hypot(dx, dy) || 1;
  // Output unit vector along the eye line maps to (dx, dy)/dist in the source; s = source px per output px.
  const s = dist / (spec.eyeDistance * spec.size);
  const cos = (dx / dist) * s;
  const sin = (dy / dist) * s;
  const mx = (rightEye[0] + leftEye[0]) / 2;
  const my = (rightEye[1] + leftEye[1]) / 2;
  const cu = spec.size / 2;
  const cv = spec.eyeY * spec.size;
  // x = cos*(u-cu) - sin*(v-cv) + mx ; y = sin*(u-cu) + cos*(v-cv) + my
  return [cos, -sin, mx - cos * cu + sin * cv, sin, cos, my - sin * cu - cos * cv];
}
