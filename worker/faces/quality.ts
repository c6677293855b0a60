// Face quality measures (issue 14, S1 enrolment feedback and D6 gating): size, sharpness, frontal-ness.
// Sharpness is measured on the face box resampled to a fixed 112x112 luma patch, so one threshold means the same
// for a 60-px camera face and a 900-px phone selfie (a small face upsampled is blurry there, which is the point:
// the embedder sees it upsampled too).
import { cropAffine, squareAround, warpToTensor } from "./align";
import type { FaceQuality, PixelRect, RgbImage } from "./types";

export const SHARPNESS_PATCH = 112;

/** Variance of the 4-neighbour Laplacian over a width x height luma image. */
export function laplacianVariance(luma: Float32Array, width: number, height: number): number {
  let sum = 0;
  let sum2 = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const l = luma[i - 1]! + luma[i + 1]! + luma[i - width]! + luma[i + width]! - 4 * luma[i]!;
      sum += l;
      sum2 += l * l;
      n++;
    }
  }
  if (n === 0) return 0;
  const mean = sum / n;
  return sum2 / n - mean * mean;
}

/** Laplacian variance of the face box's luma, resampled to SHARPNESS_PATCH squared. */
export function faceSharpness(img: RgbImage, box: PixelRect): number {
  const S = SHARPNESS_PATCH;
  const sq = squareAround(box);
  const rgb = warpToTensor(img, cropAffine(sq.x0, sq.y0, sq.side, S), S, S);
  const luma = new Float32Array(S * S);
  for (let i = 0; i < S * S; i++) luma[i] = 0.299 * rgb[i * 3]! + 0.587 * rgb[i * 3 + 1]! + 0.114 * rgb[i * 3 + 2]!;
  return laplacianVariance(luma, S, S);
}

/**
 * 0..1 from BlazeFace's keypoints (right eye, left eye, nose, mouth, right ear, left ear): 1 when the nose sits
 * between the eyes and the ears are equally far from it; turning the head (yaw) moves the nose towards one eye and
 * one ear towards the nose. Tilting in the image plane does not count (alignment removes it).
 */
export function frontalness(keypoints: Array<[number, number]>): number {
  const [re, le, nose, , rear, lear] = keypoints;
  if (!re || !le || !nose || !rear || !lear) return 0;
  const ex = le[0] - re[0];
  const ey = le[1] - re[1];
  const eyeDist = Math.hypot(ex, ey);
  if (eyeDist < 1e-6) return 0;
  // Nose offset along the eye line from the eyes' midpoint, in half eye-distances (0 frontal, 1 = over an eye).
  const mx = (re[0] + le[0]) / 2;
  const my = (re[1] + le[1]) / 2;
  const along = Math.abs(((nose[0] - mx) * ex + (nose[1] - my) * ey) / eyeDist) / (eyeDist / 2);
  const dr = Math.hypot(nose[0] - rear[0], nose[1] - rear[1]);
  const dl = Math.hypot(nose[0] - lear[0], nose[1] - lear[1]);
  const ears = dr + dl > 0 ? Math.abs(dr - dl) / (dr + dl) : 1;
  const yaw = Math.min(1, 0.5 * Math.min(1, along) + 0.5 * Math.min(1, ears * 2));
  return Math.max(0, Math.min(1, 1 - yaw));
}

export function faceQuality(img: RgbImage, box: PixelRect, keypoints: Array<[number, number]>): FaceQuality {
  return {
    sizePx: Math.max(0, Math.min(box[2] - box[0], box[3] - box[1])),
    sharpness: faceSharpness(img, box),
    frontal: frontalness(keypoints),
  };
}
