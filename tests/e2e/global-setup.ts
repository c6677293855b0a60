// Playwright global setup: prepares the fake camera clip before any browser starts (tests/e2e/live-video.spec.ts).
import { ensureFakeCameraClip } from "./support/fake-camera";

export default function globalSetup(): void {
  const { file, source } = ensureFakeCameraClip();
  process.stdout.write(`fake camera clip: ${file} (from ${source})\n`);
}
