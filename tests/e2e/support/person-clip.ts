// A fake camera clip with a person near the camera, for the on-device (PoseLandmarker) spec and bench: the pose
// model is made for people close to the lens, and vtest.avi's walkers are 80-150 px tall, so one of them is cropped
// and scaled up at test time (nothing is kept in git). Cached under tests/.tmp/.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import path from "node:path";
import { VTEST_AVI } from "./fake-camera";

export const PERSON_CLIP_Y4M = path.resolve(import.meta.dirname, "../../.tmp/fake-camera-person-640x480.y4m");

/**
 * 640x480 y4m of one person walking, from vtest.avi 1.3-2.3 s: a 150x112 region around him scaled up 4.3x, so he
 * fills most of the frame as a person at a workstation would (the pose model is made for people near the camera).
 */
export function ensurePersonClip(kind: "walking" | "still" = "walking"): string {
  const file = kind === "walking" ? PERSON_CLIP_Y4M : PERSON_CLIP_Y4M.replace(".y4m", "-still.y4m");
  if (existsSync(file) && statSync(file).size > 1_000_000) return file;
  if (!existsSync(VTEST_AVI)) throw new Error(`${VTEST_AVI} is missing: install opencv-doc (scripts/argus.sh test)`);
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.part.y4m`;
  // "still": the same person frozen (one frame repeated 2 s): what the model's own jitter adds to arm motion.
  const input = kind === "walking" ? ["-ss", "1.3", "-i", VTEST_AVI, "-t", "1.0"] : ["-ss", "1.8", "-i", VTEST_AVI];
  const freeze = kind === "walking" ? "" : "trim=end_frame=1,loop=loop=19:size=1:start=0,setpts=N/10/TB,";
  execFileSync(
    "ffmpeg",
    [
      ...["-y", "-loglevel", "error", ...input],
      ...["-vf", `${freeze}crop=150:112:385:215,scale=640:480:flags=lanczos,fps=10`, "-pix_fmt", "yuv420p", tmp],
    ],
    { stdio: ["ignore", "ignore", "pipe"], timeout: 60_000 },
  );
  renameSync(tmp, file);
  return file;
}
