// Image changes a camera or an upload really brings (issue 14 tests and bench/faces.ts): another crop, a smaller
// scale, a mirror image, darker/brighter exposure, a tilted head. Each returns a new RgbImage; the face is found
// again by the detector in it (the whole chain is exercised, not just the embedder).
import { warpToTensor, type Affine } from "./align";
import type { PixelRect, RgbImage } from "./types";

export interface Augmentation {
  name: string;
  apply(img: RgbImage, face: PixelRect): RgbImage;
}

function fromFloat(values: Float32Array, width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, Math.round(values[i]!)));
  return { width, height, data };
}

/** Resamples the whole image by `factor` (area-averaged when shrinking). */
export function scaleImage(img: RgbImage, factor: number): RgbImage {
  const w = Math.max(1, Math.round(img.width * factor));
  const h = Math.max(1, Math.round(img.height * factor));
  const m: Affine = [img.width / w, 0, 0, 0, img.height / h, 0];
  return fromFloat(warpToTensor(img, m, w, h), w, h);
}

export function flipImage(img: RgbImage): RgbImage {
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const s = (y * w + x) * 3;
      const d = (y * w + (w - 1 - x)) * 3;
      out[d] = data[s]!;
      out[d + 1] = data[s + 1]!;
      out[d + 2] = data[s + 2]!;
    }
  return { width: w, height: h, data: out };
}

export function brightness(img: RgbImage, factor: number): RgbImage {
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(255, Math.round(img.data[i]! * factor));
  return { width: img.width, height: img.height, data: out };
}

/** Rotates the image by `degrees` about the face's centre (same size; corners filled grey). */
export function rotateAbout(img: RgbImage, face: PixelRect, degrees: number): RgbImage {
  const a = (degrees * Math.PI) / 180;
  const cx = (face[0] + face[2]) / 2;
  const cy = (face[1] + face[3]) / 2;
  const c = Math.cos(a);
  const s = Math.sin(a);
  // output (u,v) -> source: rotate (u - cx, v - cy) by -a about the centre.
  const m: Affine = [c, s, cx - c * cx - s * cy, -s, c, cy + s * cx - c * cy];
  return fromFloat(warpToTensor(img, m, img.width, img.height, { fill: 128 }), img.width, img.height);
}

/** Crops an RgbImage (integer pixel rectangle, clipped to the image). */
export function cropImage(img: RgbImage, rect: PixelRect): RgbImage {
  const x1 = Math.max(0, Math.round(rect[0]));
  const y1 = Math.max(0, Math.round(rect[1]));
  const x2 = Math.min(img.width, Math.round(rect[2]));
  const y2 = Math.min(img.height, Math.round(rect[3]));
  const w = Math.max(1, x2 - x1);
  const h = Math.max(1, y2 - y1);
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const s = ((y1 + y) * img.width + x1) * 3;
    out.set(img.data.subarray(s, s + w * 3), y * w * 3);
  }
  return { width: w, height: h, data: out };
}

/** A crop around the face: `grow` times its size, shifted by (dx, dy) face sizes. */
export function cropAround(img: RgbImage, face: PixelRect, grow: number, dx: number, dy: number): RgbImage {
  const size = Math.max(face[2] - face[0], face[3] - face[1]);
  const cx = (face[0] + face[2]) / 2 + dx * size;
  const cy = (face[1] + face[3]) / 2 + dy * size;
  const half = (size * grow) / 2;
  return cropImage(img, [cx - half, cy - half, cx + half, cy + half]);
}

/** The standard set used by the tests and the bench. Scale-down only where the face stays >= ~40 px. */
export const AUGMENTATIONS: Augmentation[] = [
  { name: "crop-tight", apply: (img, f) => cropAround(img, f, 2, 0, 0) },
  { name: "crop-shifted", apply: (img, f) => cropAround(img, f, 3, 0.4, 0.3) },
  {
    name: "scale-half",
    apply: (img, f) => scaleImage(img, Math.max(0.5, Math.min(1, 48 / Math.max(1, f[2] - f[0])))),
  },
  { name: "scale-up", apply: (img) => scaleImage(img, 1.6) },
  { name: "flip", apply: (img) => flipImage(img) },
  { name: "darker", apply: (img) => brightness(img, 0.6) },
  { name: "brighter", apply: (img) => brightness(img, 1.35) },
  { name: "tilt-12", apply: (img, f) => rotateAbout(img, f, 12) },
  { name: "tilt-minus-12", apply: (img, f) => rotateAbout(img, f, -12) },
];
