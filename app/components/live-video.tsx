// A camera's live video from the SFU (SPEC C3) with its status, resolution and fps, and the detection overlay: a
// canvas over the video drawn by an OverlayRenderer (boxes, counting lines, zones, editor state) from a
// requestAnimationFrame loop. Pages reach the renderer and the video's drawn rectangle through the ref; `children`
// are laid over the video (the scene editor's pointer layer), `status` goes in the caption (detector state).
import { forwardRef, useEffect, useImperativeHandle, useRef, useState, type ReactNode } from "react";
import { containRect, type Rect } from "~/components/detections/geometry";
import { OverlayRenderer } from "~/components/detections/overlay-renderer";
import { Viewer, type LinkStatus } from "~/sfu/sfu-client";

export interface LiveVideoHandle {
  video(): HTMLVideoElement | null;
  /** Draws detections and the scene; null before mount. */
  overlay(): OverlayRenderer | null;
  /** Where the video's frame is drawn inside the element (object-contain), in element pixels. */
  contentRect(): Rect;
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

export const LiveVideo = forwardRef<
  LiveVideoHandle,
  { cameraId: string; name?: string; compact?: boolean; children?: ReactNode; status?: ReactNode }
>(function LiveVideo({ cameraId, name, compact = false, children, status: detectorStatus }, ref) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const rendererRef = useRef<OverlayRenderer | null>(null);
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

  // The overlay's draw loop: cheap when nothing changed (the renderer skips clean frames).
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const renderer = new OverlayRenderer(canvas);
    rendererRef.current = renderer;
    let handle = requestAnimationFrame(function loop(now) {
      renderer.frame(videoRef.current, now);
      handle = requestAnimationFrame(loop);
    });
    return () => {
      cancelAnimationFrame(handle);
      rendererRef.current = null;
    };
  }, []);

  useImperativeHandle(ref, () => ({
    video: () => videoRef.current,
    overlay: () => rendererRef.current,
    contentRect() {
      const video = videoRef.current;
      if (!video) return { x: 0, y: 0, width: 0, height: 0 };
      return containRect(video.clientWidth, video.clientHeight, video.videoWidth, video.videoHeight);
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
          data-objects="0"
          aria-hidden="true"
          className="pointer-events-none absolute inset-0 h-full w-full"
        />
        {status !== "live" ? (
          <div className="absolute inset-0 flex items-center justify-center text-sm text-slate-300">
            {status === "offline" ? "Camera offline" : status === "idle" ? "" : `${status}…`}
          </div>
        ) : null}
        {children}
      </div>
      <figcaption
        className={`flex flex-wrap items-center justify-between gap-x-2 gap-y-1 px-3 ${compact ? "py-1.5" : "py-2"} text-sm`}
      >
        <span className="min-w-0 truncate font-medium">{name}</span>
        <span className="flex flex-wrap items-center justify-end gap-2 text-xs text-slate-500">
          {detectorStatus}
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
});
