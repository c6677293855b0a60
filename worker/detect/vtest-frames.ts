// Real frames for the detector tests and benchmarks: opencv-doc's vtest.avi (768x576 pedestrians, Debian package
// opencv-doc; scripts/argus.sh test installs it) decoded with ffmpeg to rgb24 at a given time and size, and the
// hand-made person ground truth in fixtures/vtest-ground-truth.json scaled to that size.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { PixelBox, RgbImage } from "./detector";

export const VTEST_AVI = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";

export interface GroundTruth {
  width: number;
  height: number;
  parkedVehicles: { label: string; box: PixelBox }[];
  frames: { timeSeconds: number; persons: PixelBox[] }[];
}

export function readGroundTruth(): GroundTruth {
  return JSON.parse(
    readFileSync(path.join(import.meta.dirname, "fixtures", "vtest-ground-truth.json"), "utf8"),
  ) as GroundTruth;
}

export function scaleBox(b: PixelBox, sx: number, sy: number): PixelBox {
  return [b[0] * sx, b[1] * sy, b[2] * sx, b[3] * sy];
}

/** One decoded frame (rgb24) of any ffmpeg input at `timeSeconds`, scaled to width x height if given. */
export function decodeFrame(
  input: string,
  timeSeconds: number,
  size?: { width: number; height: number },
  ffmpeg = "ffmpeg",
): RgbImage {
  if (!existsSync(input)) throw new Error(`${input} is missing (vtest.avi: apt-get install opencv-doc)`);
  const probe = size ?? probeSize(input);
  const data = execFileSync(
    ffmpeg,
    [
      ...["-hide_banner", "-loglevel", "error", "-ss", String(timeSeconds), "-i", input, "-frames:v", "1"],
      ...["-vf", `scale=${probe.width}:${probe.height}`, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  if (data.length !== probe.width * probe.height * 3)
    throw new Error(`ffmpeg returned ${data.length} bytes for ${input} at ${timeSeconds} s`);
  return { width: probe.width, height: probe.height, data };
}

export function probeSize(input: string): { width: number; height: number } {
  const out = execFileSync(
    "ffprobe",
    ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0:s=x", input],
    { encoding: "utf8" },
  ).trim();
  const [width, height] = out.split("\n")[0].split("x").map(Number);
  if (!(width > 0 && height > 0)) throw new Error(`cannot read the video size of ${input}`);
  return { width, height };
}
