// The fake camera for live-video specs (PLATFORM.md): Chromium streams a y4m clip as its webcam. The clip is
// converted at test time from Debian opencv-doc's vtest.avi (real footage: people walking), or, when that package
// is missing and cannot be installed, from ffmpeg's synthetic testsrc2. Cached under tests/.tmp/.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import path from "node:path";

export const VTEST_AVI = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";
export const FAKE_CAMERA_Y4M = path.resolve(import.meta.dirname, "../../.tmp/fake-camera-640x480.y4m");

function tryInstallOpencvDoc(): void {
  if (existsSync(VTEST_AVI) || process.getuid?.() !== 0) return;
  try {
    execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "opencv-doc"], {
      stdio: "ignore",
      timeout: 180_000,
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  } catch {
    // Offline or no package lists: fall back to the synthetic source below.
  }
}

/** Builds the clip once (10 s, 640x480, 10 fps); returns its path and what it was made from. */
export function ensureFakeCameraClip(): { file: string; source: "vtest.avi" | "testsrc2" } {
  tryInstallOpencvDoc();
  const source = existsSync(VTEST_AVI) ? "vtest.avi" : "testsrc2";
  const file = source === "vtest.avi" ? FAKE_CAMERA_Y4M : FAKE_CAMERA_Y4M.replace(".y4m", "-testsrc2.y4m");
  if (existsSync(file) && statSync(file).size > 1_000_000) return { file, source };
  mkdirSync(path.dirname(file), { recursive: true });
  const input = source === "vtest.avi" ? ["-i", VTEST_AVI] : ["-f", "lavfi", "-i", "testsrc2=size=640x480:rate=10"];
  const tmp = `${file}.part.y4m`;
  execFileSync(
    "ffmpeg",
    ["-y", "-loglevel", "error", ...input, "-t", "10", "-vf", "scale=640:480,fps=10", "-pix_fmt", "yuv420p", tmp],
    { stdio: ["ignore", "ignore", "pipe"], timeout: 120_000 },
  );
  renameSync(tmp, file);
  return { file, source };
}

/** Chromium flags that make getUserMedia return the clip without a permission prompt. */
export function fakeCameraArgs(file: string): string[] {
  return [
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    `--use-file-for-fake-video-capture=${file}`,
  ];
}
