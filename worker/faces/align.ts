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
 * Samples width x height NHWC float values from img through the affine (bilinear). When the warp shrinks the image
 * (more than ~1.5 source pixels per output pixel) it averages a grid of taps over the footprint (up to 4x4), so a
 * 1920-px frame shrunk to 256 does not alias into noise the detector has never seen. Written flat (no closures on
 * the inside path): it runs for every detection and embedding on the worker.
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
  // Taps a side: about one per source pixel of the footprint, rounded down (2 for a 640-px frame into 256: 4
  // bilinear taps cover 4x4 source pixels), at most 4.
  const taps = footprint > 1.5 ? Math.min(4, Math.round(footprint - 0.01)) : 1;
  const k = scale / (taps * taps);
  const { width: W, height: H, data } = img;
  const stride = W * 3;
  // Border pixels (slow path only): inside = the pixel; one pixel outside = the edge pixel (bilinear taps at the
  // border must not darken it); further out = the fill value (letterbox padding).
  const at = (x: number, y: number, ch: number) => {
    if (x < -1 || y < -1 || x > W || y > H) return fill;
    const cx = x < 0 ? 0 : x >= W ? W - 1 : x;
    const cy = y < 0 ? 0 : y >= H ? H - 1 : y;
    return data[cy * stride + cx * 3 + ch]!;
  };
  let o = 0;
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      let r = 0;
      let g = 0;
      let bl = 0;
      for (let j = 0; j < taps; j++) {
        const vv = v + (j + 0.5) / taps;
        for (let i = 0; i < taps; i++) {
          const uu = u + (i + 0.5) / taps;
          // Pixel-centre coordinates: pixel i covers [i, i+1), its centre is i + 0.5.
          const fx = a * uu + b * vv + c - 0.5;
          const fy = d * uu + e * vv + f - 0.5;
          const x0 = Math.floor(fx);
          const y0 = Math.floor(fy);
          const tx = fx - x0;
          const ty = fy - y0;
          const w00 = (1 - tx) * (1 - ty);
          const w10 = tx * (1 - ty);
          const w01 = (1 - tx) * ty;
          const w11 = tx * ty;
          if (x0 < -2 || y0 < -2 || x0 > W || y0 > H) {
            // Wholly outside (letterbox padding): the fill value.
            r += fill;
            g += fill;
            bl += fill;
          } else if (x0 >= 0 && y0 >= 0 && x0 + 1 < W && y0 + 1 < H) {
            // Fast path: all four taps inside the image.
            const p = y0 * stride + x0 * 3;
            const q = p + stride;
            r += data[p]! * w00 + data[p + 3]! * w10 + data[q]! * w01 + data[q + 3]! * w11;
            g += data[p + 1]! * w00 + data[p + 4]! * w10 + data[q + 1]! * w01 + data[q + 4]! * w11;
            bl += data[p + 2]! * w00 + data[p + 5]! * w10 + data[q + 2]! * w01 + data[q + 5]! * w11;
          } else {
            r += at(x0, y0, 0) * w00 + at(x0 + 1, y0, 0) * w10 + at(x0, y0 + 1, 0) * w01 + at(x0 + 1, y0 + 1, 0) * w11;
            g += at(x0, y0, 1) * w00 + at(x0 + 1, y0, 1) * w10 + at(x0, y0 + 1, 1) * w01 + at(x0 + 1, y0 + 1, 1) * w11;
            bl += at(x0, y0, 2) * w00 + at(x0 + 1, y0, 2) * w10 + at(x0, y0 + 1, 2) * w01 + at(x0 + 1, y0 + 1, 2) * w11;
          }
        }
      }
      out[o++] = r * k + offset;
      out[o++] = g * k + offset;
      out[o++] = bl * k + offset;
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
