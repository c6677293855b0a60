// A camera's live video from the SFU (SPEC C3) with its status, resolution and fps, and the detection overlay hook:
// an absolutely positioned canvas over the video; `drawDetections(boxes)` (through the ref) draws boxes in video
// pixel coordinates (green = known, red = unknown, label = class and track id). Unused until detections arrive.
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from "react";
import { Viewer, type LinkStatus } from "~/sfu/sfu-client";

export interface DetectionBox {
  x: number;
  y: number;
  width: number;
  height: number;
  label?: string;
  known?: boolean;
}

export interface LiveVideoHandle {
  drawDetections(boxes: DetectionBox[]): void;
  video(): HTMLVideoElement | null;
}

export const statusTone: Record<LinkStatus, string> = {
  idle: "bg-slate-100 text-slate-700",
  connecting: "bg-amber-50 text-amber-700",
  reconnecting: "bg-amber-50 text-amber-700",
  live: "bg-emerald-50 text-emerald-700",
  offline: "bg-slate-100 text-slate-700",
  error: "bg-red-50 text-red-700",
};

export function StatusBadge({ status, detail }: { status: LinkStatus; detail?: string }) {
  return (
    <span
      data-testid="live-status"
      data-status={status}
      title={detail}
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ${statusTone[status]}`}
    >
      {status}
    </span>
  );
}

/** Frames per second and size of what a video element shows, measured with requestVideoFrameCallback. */
export function useVideoStats(video: HTMLVideoElement | null, active: boolean) {
  const [stats, setStats] = useState<{ width: number; height: number; fps: number } | null>(null);
  useEffect(() => {
    if (!video || !active) {
      setStats(null);
      return;
    }
    let frames = 0;
    let handle = 0;
    let stopped = false;
    const onFrame = () => {
      frames += 1;
      if (!stopped) handle = video.requestVideoFrameCallback(onFrame);
    };
    handle = video.requestVideoFrameCallback(onFrame);
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      setStats({ width: video.videoWidth, height: video.videoHeight, fps: (frames * 1000) / (now - last) });
      frames = 0;
      last = now;
    }, 1000);
    return () => {
      stopped = true;
      video.cancelVideoFrameCallback(handle);
      clearInterval(timer);
    };
  }, [video, active]);
  return stats;
}

export const LiveVideo = forwardRef<LiveVideoHandle, { cameraId: string; name?: string; compact?: boolean }>(
  function LiveVideo({ cameraId, name, compact = false }, ref) {
    const videoRef = useRef<HTMLVideoElement>(null);
    const canvasRef = useRef<HTMLCanvasElement>(null);
    const [status, setStatus] = useState<LinkStatus>("idle");
    const [detail, setDetail] = useState<string>();
    const [videoEl, setVideoEl] = useState<HTMLVideoElement | null>(null);
    const stats = useVideoStats(videoEl, status === "live");

    useEffect(() => {
      setVideoEl(videoRef.current);
      const viewer = new Viewer(
        cameraId,
        (stream) => {
          const video = videoRef.current;
          if (!video) return;
          video.srcObject = stream;
          if (stream) void video.play().catch(() => undefined);
        },
        (s, d) => {
          setStatus(s);
          setDetail(d);
        },
      );
      viewer.start();
      return () => viewer.stop();
    }, [cameraId]);

    useImperativeHandle(ref, () => ({
      video: () => videoRef.current,
      drawDetections(boxes) {
        const canvas = canvasRef.current;
        const video = videoRef.current;
        if (!canvas || !video) return;
        canvas.width = video.videoWidth || canvas.clientWidth;
        canvas.height = video.videoHeight || canvas.clientHeight;
        const ctx = canvas.getContext("2d");
        if (!ctx) return;
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        ctx.lineWidth = Math.max(2, canvas.width / 320);
        ctx.font = `${Math.max(12, canvas.width / 50)}px sans-serif`;
        for (const box of boxes) {
          const color = box.known === false ? "#dc2626" : "#16a34a";
          ctx.strokeStyle = color;
          ctx.strokeRect(box.x, box.y, box.width, box.height);
          if (box.label) {
            ctx.fillStyle = color;
            ctx.fillText(box.label, box.x + 2, Math.max(12, box.y - 4));
          }
        }
      },
    }));

    return (
      <figure className="overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200" data-camera-id={cameraId}>
        <div className="relative aspect-video bg-slate-900">
          <video
            ref={videoRef}
            data-testid="live-video"
            className="absolute inset-0 h-full w-full object-contain"
            autoPlay
            muted
            playsInline
          />
          <canvas
            ref={canvasRef}
            data-testid="detection-overlay"
            className="pointer-events-none absolute inset-0 h-full w-full object-contain"
          />
          {status !== "live" ? (
            <div className="absolute inset-0 flex items-center justify-center text-sm text-slate-300">
              {status === "offline" ? "Camera offline" : status === "idle" ? "" : `${status}…`}
            </div>
          ) : null}
        </div>
        <figcaption className={`flex items-center justify-between gap-2 px-3 ${compact ? "py-1.5" : "py-2"} text-sm`}>
          <span className="truncate font-medium">{name}</span>
          <span className="flex items-center gap-2 text-xs text-slate-500">
            {stats && status === "live" ? (
              <span data-testid="live-stats">
                {stats.width}×{stats.height} · {stats.fps.toFixed(1)} fps
              </span>
            ) : null}
            <StatusBadge status={status} detail={detail} />
          </span>
        </figcaption>
      </figure>
    );
  },
);
