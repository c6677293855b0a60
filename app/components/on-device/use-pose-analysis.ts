// The on-device loop (issue 13 item 2): each new preview frame (at most ANALYSIS_FPS) goes through PoseLandmarker;
// the skeleton is drawn on the overlay; the landmarks become observations (pose-activity.ts) of the workers' own
// workstation state machine (worker/workstation/state-machine.ts); emitted states become ingestion events for the
// page's worker and workstation. Video never leaves the device through this path.
import type { PoseLandmarker } from "@mediapipe/tasks-vision";
import { useEffect, useRef, useState, type RefObject } from "react";
import type { WorkstationState } from "../../../protocol/events";
import { createStationMemory, stepStation, windowMeans } from "../../../worker/workstation/state-machine";
import { DeviceEventSender, localOutbox, type SenderStatus } from "./event-sender";
import { DEVICE_THRESHOLDS, poseObservation, presenceScore, type Landmark, type PoseFrame } from "./pose-activity";
import { createPoseLandmarker, drawSkeleton, type VisionAssetUrls } from "./pose-landmarker.client";

/** Enough for arm motion (a gesture lasts a few hundred ms) at a third of a core on a tablet (~37 ms a frame). */
export const ANALYSIS_FPS = 10;

export interface OnDeviceConfig {
  assets: VisionAssetUrls & { modelId: string; modelVersion: string };
  /** Scoped device key (device-keys.server.ts), null until a worker and workstation are chosen. */
  deviceKey: string | null;
  workerId: string;
  workstationId: string;
  /** The productivity module's per-event duration: held states are re-affirmed this often. */
  stateDurationSeconds: number;
}

export interface AnalysisStatus {
  phase: "off" | "loading" | "running" | "error";
  error: string | null;
  framesAnalysed: number;
  landmarks: number;
  state: WorkstationState | null;
  /** The last frame's presence score and the window's mean arm motion, shown so thresholds can be checked on site. */
  presence: number;
  motionPerSecond: number | null;
  fps: number;
  sender: SenderStatus;
}

const OFF: AnalysisStatus = {
  phase: "off",
  error: null,
  framesAnalysed: 0,
  landmarks: 0,
  state: null,
  presence: 0,
  motionPerSecond: null,
  fps: 0,
  sender: { sent: 0, pending: 0, lastError: null },
};

export function usePoseAnalysis(
  video: RefObject<HTMLVideoElement | null>,
  overlay: RefObject<HTMLCanvasElement | null>,
  config: OnDeviceConfig | null,
  enabled: boolean,
  onUnauthorized: () => void,
): AnalysisStatus {
  const [status, setStatus] = useState<AnalysisStatus>(OFF);
  const sender = useRef<DeviceEventSender | null>(null);
  const live = useRef(config);
  live.current = config;

  // A re-minted key reaches the running sender without restarting the model.
  useEffect(() => {
    if (config?.deviceKey) sender.current?.setKey(config.deviceKey);
  }, [config?.deviceKey]);

  const ready = enabled && !!config?.deviceKey;
  useEffect(() => {
    if (!ready || !live.current) {
      setStatus(OFF);
      return;
    }
    let stopped = false;
    let landmarker: PoseLandmarker | null = null;
    let frameRequest = 0;
    const durationMs = live.current.stateDurationSeconds * 1000;
    let memory = createStationMemory(Date.now());
    let previous: PoseFrame | undefined;
    let lastAnalysedAt = 0;
    let lastVideoTime = -1;
    let frames = 0;
    const frameTimes: number[] = [];
    sender.current = new DeviceEventSender(
      live.current.deviceKey!,
      (s) => setStatus((old) => ({ ...old, sender: s })),
      onUnauthorized,
      localOutbox(live.current.workerId, live.current.workstationId),
    );
    setStatus({ ...OFF, phase: "loading" });

    const analyse = () => {
      if (stopped) return;
      frameRequest = requestAnimationFrame(analyse);
      const v = video.current;
      const canvas = overlay.current;
      const now = performance.now();
      if (!landmarker || !v || !canvas || v.readyState < 2 || v.videoWidth === 0) return;
      if (v.currentTime === lastVideoTime || now - lastAnalysedAt < 1000 / ANALYSIS_FPS) return;
      lastVideoTime = v.currentTime;
      lastAnalysedAt = now;
      if (canvas.width !== v.videoWidth) canvas.width = v.videoWidth;
      if (canvas.height !== v.videoHeight) canvas.height = v.videoHeight;
      const result = landmarker.detectForVideo(v, now);
      const pose = result.landmarks[0] as Landmark[] | undefined;
      void drawSkeleton(canvas, pose);
      const current = { t: Date.now(), pose };
      const step = stepStation(memory, poseObservation(previous, current), DEVICE_THRESHOLDS, durationMs);
      memory = step.memory;
      previous = current;
      const cfg = live.current;
      if (step.emit && cfg) {
        sender.current?.enqueue({
          timestamp: new Date(current.t).toISOString(),
          worker_id: cfg.workerId,
          workstation_id: cfg.workstationId,
          event_type: step.emit.state,
          confidence: Math.round(step.emit.confidence * 1000) / 1000,
          model_id: cfg.assets.modelId,
          model_version: cfg.assets.modelVersion,
        });
      }
      frames += 1;
      frameTimes.push(now);
      while (frameTimes.length && frameTimes[0]! < now - 5000) frameTimes.shift();
      setStatus((old) => ({
        ...old,
        framesAnalysed: frames,
        landmarks: pose?.length ?? 0,
        state: memory.state,
        presence: presenceScore(pose),
        motionPerSecond: windowMeans(memory.samples)?.activity ?? null,
        fps: frameTimes.length > 1 ? ((frameTimes.length - 1) * 1000) / (now - frameTimes[0]!) : 0,
      }));
    };

    createPoseLandmarker(live.current.assets)
      .then((created) => {
        if (stopped) return created.close();
        landmarker = created;
        setStatus((old) => ({ ...old, phase: "running" }));
        analyse();
      })
      .catch((error: unknown) => {
        if (!stopped)
          setStatus((old) => ({
            ...old,
            phase: "error",
            error: `The pose model did not load: ${error instanceof Error ? error.message : String(error)}`,
          }));
      });

    return () => {
      stopped = true;
      cancelAnimationFrame(frameRequest);
      landmarker?.close();
      sender.current?.close();
      sender.current = null;
      const canvas = overlay.current;
      canvas?.getContext("2d")?.clearRect(0, 0, canvas.width, canvas.height);
    };
    // The loop reads the latest config through `live`; turning analysis on/off or another worker/workstation
    // (whose key would refuse events queued for the previous pair) restarts it.
  }, [ready, config?.workerId, config?.workstationId]);

  return status;
}
