// Browser-only: MediaPipe PoseLandmarker from Argus's own origin (CPU delegate, VIDEO running mode) and the skeleton
// overlay. The package is imported lazily so pages that never analyse do not download its 130 kB bundle; the wasm
// runtime and the model come from /vision-assets (never a CDN; the CSP's connect-src would refuse one anyway).
import type { PoseLandmarker } from "@mediapipe/tasks-vision";
import type { Landmark } from "./pose-activity";

/** What the page's loader hands over (vision-assets.server.ts). */
export interface VisionAssetUrls {
  wasmBase: string;
  modelUrl: string;
  /** `?token=...` for kiosk pages (no session cookie), else "". */
  query: string;
}

export async function createPoseLandmarker(assets: VisionAssetUrls): Promise<PoseLandmarker> {
  const vision = await import("@mediapipe/tasks-vision");
  const fileset = await vision.FilesetResolver.forVisionTasks(assets.wasmBase);
  return vision.PoseLandmarker.createFromOptions(
    {
      ...fileset,
      wasmLoaderPath: fileset.wasmLoaderPath + assets.query,
      wasmBinaryPath: fileset.wasmBinaryPath + assets.query,
    },
    {
      baseOptions: { modelAssetPath: assets.modelUrl + assets.query, delegate: "CPU" },
      runningMode: "VIDEO",
      numPoses: 1,
    },
  );
}

let connections: Array<{ start: number; end: number }> | undefined;

/** BlazePose's bone list, read from the package once it is loaded (the same list MediaPipe's DrawingUtils uses). */
async function poseConnections(): Promise<Array<{ start: number; end: number }>> {
  connections ??= (await import("@mediapipe/tasks-vision")).PoseLandmarker.POSE_CONNECTIONS;
  return connections;
}

/** Clears the overlay and draws the pose (bones, then joints) in the canvas's pixel space. */
export async function drawSkeleton(canvas: HTMLCanvasElement, pose: Landmark[] | undefined): Promise<void> {
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (!pose) return;
  const bones = await poseConnections();
  const w = canvas.width;
  const h = canvas.height;
  const radius = Math.max(2, Math.round(w / 160));
  ctx.lineWidth = Math.max(2, Math.round(w / 240));
  ctx.strokeStyle = "rgba(52, 211, 153, 0.9)"; // emerald-400
  for (const { start, end } of bones) {
    const a = pose[start];
    const b = pose[end];
    if (!a || !b || (a.visibility ?? 1) < 0.3 || (b.visibility ?? 1) < 0.3) continue;
    ctx.beginPath();
    ctx.moveTo(a.x * w, a.y * h);
    ctx.lineTo(b.x * w, b.y * h);
    ctx.stroke();
  }
  ctx.fillStyle = "rgba(244, 63, 94, 0.95)"; // rose-500
  for (const point of pose) {
    if ((point.visibility ?? 1) < 0.3) continue;
    ctx.beginPath();
    ctx.arc(point.x * w, point.y * h, radius, 0, Math.PI * 2);
    ctx.fill();
  }
}
