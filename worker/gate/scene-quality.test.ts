import { describe, expect, it } from "vitest";
import { SceneQuality } from "./scene-quality";
import { greyFrame, texturedFrame } from "./test-frames";

const FRAME_MS = 200;
const NORMAL = texturedFrame({ noiseAmplitude: 5 });
const BLACK = greyFrame(() => 0);
const FLAT_GREY = greyFrame(() => 128);

/** Feeds `frame` from startMs for durationMs and returns the updates where the warning changed. */
function feed(
  quality: SceneQuality,
  frame: Parameters<SceneQuality["update"]>[0],
  startMs: number,
  durationMs: number,
) {
  const changes: { t: number; warning: string | null; brightness: number; contrast: number }[] = [];
  for (let t = startMs; t < startMs + durationMs; t += FRAME_MS) {
    const r = quality.update(frame, t);
    if (r.changed) changes.push({ t, warning: r.warning, brightness: r.brightness, contrast: r.contrast });
  }
  return changes;
}

describe("SceneQuality (D5)", () => {
  it("measures brightness and contrast on a sampled grid", () => {
    const quality = new SceneQuality();
    const normal = quality.update(NORMAL, 0);
    expect(normal.brightness).toBeGreaterThan(100);
    expect(normal.contrast).toBeGreaterThan(40);
    expect(normal).toMatchObject({ warning: null, changed: false });
    expect(quality.update(BLACK, 200)).toMatchObject({ brightness: 0, contrast: 0 });
    expect(quality.update(FLAT_GREY, 400)).toMatchObject({ brightness: 128, contrast: 0 });
  });

  it("raises dark after 3 s of a black frame and clears it after 3 s of a normal scene", () => {
    const quality = new SceneQuality();
    expect(feed(quality, NORMAL, 0, 10_000)).toEqual([]);
    // Dark from 10 s: still no warning at 12.8 s, raised at 13 s with the mean of the frames that decided it.
    expect(feed(quality, BLACK, 10_000, 3000)).toEqual([]);
    expect(feed(quality, BLACK, 13_000, 5000)).toEqual([{ t: 13_000, warning: "dark", brightness: 0, contrast: 0 }]);
    const cleared = feed(quality, NORMAL, 18_000, 5000);
    expect(cleared).toMatchObject([{ t: 21_000, warning: null }]);
    expect(cleared[0].brightness).toBeGreaterThan(100);
  });

  it("does not spam warnings when the light flickers", () => {
    const quality = new SceneQuality();
    for (let t = 0; t < 60_000; t += FRAME_MS) {
      const frame = Math.floor(t / 1000) % 2 === 0 ? BLACK : NORMAL; // one second dark, one second normal
      expect(quality.update(frame, t).changed).toBe(false);
    }
    expect(quality.current).toBeNull();
  });

  it("holds a warning in the hysteresis band between the raise and clear thresholds", () => {
    const quality = new SceneQuality();
    const dim = texturedFrame({ offset: -85 }); // mean about 45: between 40 (dark below) and 55 (clear above)
    const dimReading = quality.update(dim, 0);
    expect(dimReading.brightness).toBeGreaterThan(40);
    expect(dimReading.brightness).toBeLessThan(55);
    expect(feed(quality, dim, 200, 10_000)).toEqual([]); // not dark enough to raise
    expect(feed(quality, BLACK, 10_200, 4000)).toMatchObject([{ warning: "dark" }]);
    expect(feed(quality, dim, 14_200, 10_000)).toEqual([]); // not bright enough to clear
    expect(quality.current).toBe("dark");
  });

  it("warns low_contrast for a flat grey frame, and prefers dark for a black one", () => {
    const quality = new SceneQuality();
    expect(feed(quality, FLAT_GREY, 0, 4000)).toMatchObject([{ t: 3000, warning: "low_contrast", contrast: 0 }]);
    expect(feed(quality, BLACK, 4000, 4000)).toMatchObject([{ t: 7000, warning: "dark" }]);
    expect(feed(quality, NORMAL, 8000, 4000)).toMatchObject([{ t: 11_000, warning: null }]);
  });

  it("takes its thresholds and durations from options", () => {
    const quality = new SceneQuality({ raiseAfterMs: 0, clearAfterMs: 1000, darkBelow: 150, darkClearAbove: 160 });
    expect(quality.update(FLAT_GREY, 0)).toMatchObject({ warning: "dark", changed: true });
    expect(quality.update(NORMAL, 200).warning).toBe("dark"); // NORMAL's mean is below 160
  });
});
