// Dark and low-quality scene warning (SPEC D5): mean luma (brightness) and its standard deviation (contrast) over a
// sampled grid, turned into a warning that changes rarely enough to be an event (D4).
//
//   new SceneQuality(options?: SceneQualityOptions)
//   quality.update(frame: { width, height, data }, nowMs):
//     { brightness: number; contrast: number; warning: "dark" | "low_contrast" | null; changed: boolean }
//
// Each frame is judged with hysteresis: "dark" starts below darkBelow and holds until brightness rises above
// darkClearAbove; "low_contrast" starts below lowContrastBelow and holds until contrast rises above
// lowContrastClearAbove. A dark frame is also flat, so "dark" wins when both hold. A different judgement must then
// persist (every frame in between agreeing) for raiseAfterMs before a warning is raised or changed, and for
// clearAfterMs before it is cleared: a flickering light or a passing shadow does not spam warnings. `changed` is true
// on the update where the warning switched; on that update brightness and contrast are the means over the frames
// that decided it, otherwise they are the current frame's.
//
// Defaults (luma 0-255): darkBelow 40, darkClearAbove 55, lowContrastBelow 12, lowContrastClearAbove 18,
// raiseAfterMs 3000, clearAfterMs 3000, a 64-cell-wide grid, one sample a cell.
import type { RgbImage } from "../detect/detector";
import { gridHeightFor, sampleLuma, type LumaGrid } from "./luma-grid";

export type SceneWarning = "dark" | "low_contrast";

export interface SceneQualityOptions {
  darkBelow?: number;
  darkClearAbove?: number;
  lowContrastBelow?: number;
  lowContrastClearAbove?: number;
  raiseAfterMs?: number;
  clearAfterMs?: number;
  gridWidth?: number;
}

export interface SceneQualityReading {
  brightness: number;
  contrast: number;
  warning: SceneWarning | null;
  changed: boolean;
}

const DEFAULTS: Required<SceneQualityOptions> = {
  darkBelow: 40,
  darkClearAbove: 55,
  lowContrastBelow: 12,
  lowContrastClearAbove: 18,
  raiseAfterMs: 3000,
  clearAfterMs: 3000,
  gridWidth: 64,
};

export class SceneQuality {
  private readonly options: Required<SceneQualityOptions>;
  private warning: SceneWarning | null = null;
  private pending: {
    warning: SceneWarning | null;
    sinceMs: number;
    brightness: number;
    contrast: number;
    frames: number;
  } | null = null;
  private grid: LumaGrid | undefined;

  constructor(options: SceneQualityOptions = {}) {
    const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.options = { ...DEFAULTS, ...defined };
  }

  get current(): SceneWarning | null {
    return this.warning;
  }

  update(frame: RgbImage, nowMs: number): SceneQualityReading {
    const o = this.options;
    this.grid = sampleLuma(frame, o.gridWidth, gridHeightFor(frame, o.gridWidth), 1, this.grid);
    const { brightness, contrast } = measure(this.grid.values);

    const dark = brightness < (this.warning === "dark" ? o.darkClearAbove : o.darkBelow);
    const flat = contrast < (this.warning === "low_contrast" ? o.lowContrastClearAbove : o.lowContrastBelow);
    const judged: SceneWarning | null = dark ? "dark" : flat ? "low_contrast" : null;

    if (judged === this.warning) {
      this.pending = null;
      return { brightness, contrast, warning: this.warning, changed: false };
    }
    if (this.pending?.warning !== judged)
      this.pending = { warning: judged, sinceMs: nowMs, brightness: 0, contrast: 0, frames: 0 };
    const pending = this.pending;
    pending.brightness += brightness;
    pending.contrast += contrast;
    pending.frames++;
    const holdMs = judged === null ? o.clearAfterMs : o.raiseAfterMs;
    if (nowMs - pending.sinceMs < holdMs) return { brightness, contrast, warning: this.warning, changed: false };
    this.warning = judged;
    this.pending = null;
    return {
      brightness: pending.brightness / pending.frames,
      contrast: pending.contrast / pending.frames,
      warning: judged,
      changed: true,
    };
  }
}

function measure(values: Float32Array): { brightness: number; contrast: number } {
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    sumSquares += values[i] * values[i];
  }
  const mean = sum / values.length;
  return { brightness: mean, contrast: Math.sqrt(Math.max(0, sumSquares / values.length - mean * mean)) };
}
