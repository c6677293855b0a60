// rgb24 frame → model input tensor (SPEC D1): one bilinear resize straight from the frame's bytes into the
// Float32Array the session reads (no intermediate image), NHWC or NCHW, scaled (1 for 0-255, 1/255 for 0-1),
// RGB or BGR.
// `letterbox` keeps the aspect ratio (YOLO): the frame is scaled to fit, centred, and the border filled.
import type { RgbImage } from "./detector";

export type InputLayout = "nhwc" | "nchw";

export interface InputSpec {
  width: number;
  height: number;
  layout: InputLayout;
  /** Multiplier applied to 0-255 values (1 or 1/255). */
  scale: number;
  /** Channel order the model wants (default rgb; the frame is always RGB). */
  channels?: "rgb" | "bgr";
}

/** How model-input pixels map back to frame pixels: frame = (input - pad) / scale, per axis. */
export interface InputMapping {
  scaleX: number;
  scaleY: number;
  padX: number;
  padY: number;
}

export const tensorLength = (spec: InputSpec) => spec.width * spec.height * 3;

/**
 * Bilinear (half-pixel centres, edge clamped) resize of `frame` into the rectangle (rx, ry, rw, rh) of the model
 * input held by `out`. Pixels outside the rectangle are left untouched.
 */
function resizeInto(
  frame: RgbImage,
  spec: InputSpec,
  out: Float32Array,
  rx: number,
  ry: number,
  rw: number,
  rh: number,
) {
  const { width: W, height: H, layout, scale } = spec;
  const swap = spec.channels === "bgr";
  const src = frame.data;
  const fw = frame.width;
  const fh = frame.height;
  if (src.length < fw * fh * 3) throw new Error(`frame data has ${src.length} bytes, expected ${fw * fh * 3}`);
  const sx = fw / rw;
  const sy = fh / rh;
  const x0s = new Int32Array(rw);
  const x1s = new Int32Array(rw);
  const wxs = new Float32Array(rw);
  for (let x = 0; x < rw; x++) {
    const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), fw - 1);
    const x0 = Math.floor(fx);
    x0s[x] = x0 * 3;
    x1s[x] = Math.min(x0 + 1, fw - 1) * 3;
    wxs[x] = fx - x0;
  }
  const plane = W * H;
  for (let y = 0; y < rh; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), fh - 1);
    const y0 = Math.floor(fy);
    const wy = fy - y0;
    const row0 = y0 * fw * 3;
    const row1 = Math.min(y0 + 1, fh - 1) * fw * 3;
    const oy = y + ry;
    for (let x = 0; x < rw; x++) {
      const a = row0 + x0s[x];
      const b = row0 + x1s[x];
      const c = row1 + x0s[x];
      const d = row1 + x1s[x];
      const wx = wxs[x];
      const w00 = (1 - wx) * (1 - wy) * scale;
      const w01 = wx * (1 - wy) * scale;
      const w10 = (1 - wx) * wy * scale;
      const w11 = wx * wy * scale;
      const pixel = oy * W + x + rx;
      for (let ch = 0; ch < 3; ch++) {
        const v = src[a + ch] * w00 + src[b + ch] * w01 + src[c + ch] * w10 + src[d + ch] * w11;
        const oc = swap ? 2 - ch : ch;
        if (layout === "nhwc") out[pixel * 3 + oc] = v;
        else out[oc * plane + pixel] = v;
      }
    }
  }
}

/** Stretch the whole frame to the model input (no aspect ratio kept). */
export function resizeToInput(
  frame: RgbImage,
  spec: InputSpec,
  out: Float32Array = new Float32Array(tensorLength(spec)),
): InputMapping {
  resizeInto(frame, spec, out, 0, 0, spec.width, spec.height);
  return { scaleX: spec.width / frame.width, scaleY: spec.height / frame.height, padX: 0, padY: 0 };
}

/** Fit the frame inside the model input keeping its aspect ratio, centred; the border is `fill` (0-255). */
export function letterboxToInput(
  frame: RgbImage,
  spec: InputSpec,
  out: Float32Array = new Float32Array(tensorLength(spec)),
  fill = 114,
): InputMapping {
  const s = Math.min(spec.width / frame.width, spec.height / frame.height);
  const rw = Math.max(1, Math.round(frame.width * s));
  const rh = Math.max(1, Math.round(frame.height * s));
  const padX = Math.floor((spec.width - rw) / 2);
  const padY = Math.floor((spec.height - rh) / 2);
  out.fill(fill * spec.scale);
  resizeInto(frame, spec, out, padX, padY, rw, rh);
  return { scaleX: rw / frame.width, scaleY: rh / frame.height, padX, padY };
}

/** Model-input pixel coordinates → frame pixel coordinates. */
export function toFrame(m: InputMapping, x: number, y: number): [number, number] {
  return [(x - m.padX) / m.scaleX, (y - m.padY) / m.scaleY];
}
