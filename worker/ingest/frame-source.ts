// The seam between pulling video and analysing it (SPEC C4): a FrameSource per assigned camera hands decoded
// frames, at the camera's analysis fps and the worker's configured size, to whoever listens (the detection
// pipeline, next issue). Frames are in memory only and never stored (C6).
import type { Assignment, CameraHealth } from "../../protocol";

export interface Frame {
  cameraId: string;
  /** Counts analysed frames from 0 for this camera (across stream restarts). */
  seq: number;
  width: number;
  height: number;
  format: "rgb24";
  /** width * height * 3 bytes, row-major RGB; owned by the listener (a new buffer per frame). */
  data: Buffer;
  /** When the last RTP packet of this frame reached the worker (epoch ms). */
  receivedAt: number;
  /** When the decoded frame was ready (epoch ms). */
  decodedAt: number;
}

/** What a source reports in heartbeats (protocol cameraHealthSchema): fps = analysed frames per second over the
 * last seconds; latencyMs = receive-to-decoded latency, smoothed, null until frames flow. */
export type FrameSourceHealth = Omit<CameraHealth, "cameraId">;

export type FrameListener = (frame: Frame) => void;

export interface FrameSource {
  readonly cameraId: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): FrameSourceHealth;
  onFrame(listener: FrameListener): () => void;
  /** The assignment changed (e.g. a new analysis fps) without a new camera. */
  update?(assignment: Assignment): void;
  /** Drop the current stream and set it up again (the server connection came back). */
  restart?(reason: string): void;
}

export type FrameSourceFactory = (assignment: Assignment) => FrameSource;
