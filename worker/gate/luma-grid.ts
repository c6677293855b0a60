// Samples an rgb24 frame onto a small grayscale grid (SPEC D5, W10): the gate stages look at a few thousand pixels
// per frame instead of converting the whole frame, so they cost far less than a millisecond.
import type { RgbImage } from "../detect/detector";

export interface LumaGrid {
  width: number;
  height: number;
  /** Luma 0-255 per cell, row-major. */
  values: Float32Array;
  /** Byte offsets of the sampled columns and rows for the frame size they were made for. */
  columns: Int32Array;
  rows: Int32Array;
  frameWidth: number;
  frameHeight: number;
}

/** Grid height for a frame, keeping its aspect ratio (at least one row). */
export function gridHeightFor(frame: { width: number; height: number }, gridWidth: number): number {
  return Math.max(1, Math.round((gridWidth * frame.height) / frame.width));
}

/**
 * Averages `samples` x `samples` pixels spread evenly over each cell (BT.601 luma). Pass the previous grid as `out`
 * to reuse its buffers when the sizes match. A grid larger than the frame is clamped to the frame.
 */
export function sampleLuma(
  frame: RgbImage,
  gridWidth: number,
  gridHeight: number,
  samples = 1,
  out?: LumaGrid,
): LumaGrid {
  const width = Math.min(gridWidth, frame.width);
  const height = Math.min(gridHeight, frame.height);
  const grid =
    out &&
    out.width === width &&
    out.height === height &&
    out.frameWidth === frame.width &&
    out.frameHeight === frame.height &&
    out.columns.length === width * samples
      ? out
      : makeGrid(frame, width, height, samples);
  const { data } = frame;
  const { columns, rows, values } = grid;
  const scale = 1 / (samples * samples * 1000);
  for (let gy = 0; gy < height; gy++) {
    for (let gx = 0; gx < width; gx++) {
      let sum = 0;
      for (let sy = 0; sy < samples; sy++) {
        const row = rows[gy * samples + sy];
        for (let sx = 0; sx < samples; sx++) {
          const i = row + columns[gx * samples + sx];
          sum += 299 * data[i] + 587 * data[i + 1] + 114 * data[i + 2];
        }
      }
      values[gy * width + gx] = sum * scale;
    }
  }
  return grid;
}

function makeGrid(frame: RgbImage, width: number, height: number, samples: number): LumaGrid {
  const columns = new Int32Array(width * samples);
  const rows = new Int32Array(height * samples);
  for (let i = 0; i < columns.length; i++) columns[i] = Math.floor(((i + 0.5) / samples) * (frame.width / width)) * 3;
  for (let i = 0; i < rows.length; i++) {
    rows[i] = Math.floor(((i + 0.5) / samples) * (frame.height / height)) * frame.width * 3;
  }
  return {
    width,
    height,
    values: new Float32Array(width * height),
    columns,
    rows,
    frameWidth: frame.width,
    frameHeight: frame.height,
  };
}
