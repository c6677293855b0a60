// Publish a browser camera (SPEC C2): pick a device and a resolution, publish VP8 through the SFU with
// mediasoup-client; status connecting / live / reconnecting / error; reconnects with backoff on its own.
// On-device mode (issue 13 item 2): PoseLandmarker analyses the same preview in the browser, draws the skeleton over
// it and posts working/idle/absent events; "events only" analyses without publishing any video.
import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { Publisher, type LinkStatus } from "~/sfu/sfu-client";
import { Button, SelectField } from "./form";
import { StatusBadge } from "./live-video";
import { OnDeviceControls, type AnalysisMode, type OnDevicePageData } from "./on-device/on-device-controls";
import { usePoseAnalysis } from "./on-device/use-pose-analysis";

/** The page mints a fresh device key this often (keys live 8 h; device-keys.server.ts). */
const KEY_REFRESH_MS = 60 * 60_000;

const RESOLUTIONS = [
  { id: "640x480", width: 640, height: 480 },
  { id: "1280x720", width: 1280, height: 720 },
  { id: "320x240", width: 320, height: 240 },
];

export function PublishPanel({
  cameraId,
  publishToken,
  autoStart = false,
  onDevice,
}: {
  cameraId: string;
  publishToken?: string;
  autoStart?: boolean;
  onDevice?: OnDevicePageData;
}) {
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [deviceId, setDeviceId] = useState("");
  const [resolution, setResolution] = useState(RESOLUTIONS[0]!.id);
  const [status, setStatus] = useState<LinkStatus>("idle");
  const [detail, setDetail] = useState<string>();
  const [error, setError] = useState<string | null>(null);
  const preview = useRef<HTMLVideoElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);
  const running = useRef<{ publisher: Publisher | null; stream: MediaStream } | null>(null);
  const [streaming, setStreaming] = useState(false);
  const [mode, setMode] = useState<AnalysisMode>(onDevice?.assets ? onDevice.mode : "video");
  const modeRef = useRef(mode);
  modeRef.current = mode;
  const revalidator = useRevalidator();
  const analysis = usePoseAnalysis(
    preview,
    overlay,
    onDevice?.assets && onDevice.workerId && onDevice.workstationId
      ? {
          assets: onDevice.assets,
          deviceKey: onDevice.deviceKey,
          workerId: onDevice.workerId,
          workstationId: onDevice.workstationId,
          stateDurationSeconds: onDevice.stateDurationSeconds,
        }
      : null,
    streaming && mode !== "video",
    () => revalidator.revalidate(),
  );

  const refreshDevices = async () => {
    const all = await navigator.mediaDevices.enumerateDevices();
    setDevices(all.filter((d) => d.kind === "videoinput"));
  };

  const stop = () => {
    running.current?.publisher?.stop();
    running.current?.stream.getTracks().forEach((t) => t.stop());
    running.current = null;
    if (preview.current) preview.current.srcObject = null;
    setStreaming(false);
    setStatus("idle");
  };

  const start = async () => {
    stop();
    setError(null);
    try {
      const size = RESOLUTIONS.find((r) => r.id === resolution) ?? RESOLUTIONS[0]!;
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: {
          deviceId: deviceId ? { exact: deviceId } : undefined,
          width: { ideal: size.width },
          height: { ideal: size.height },
        },
      });
      await refreshDevices(); // labels show once permission is granted
      const track = stream.getVideoTracks()[0];
      if (!track) throw new Error("the device gave no video track");
      if (preview.current) {
        preview.current.srcObject = stream;
        void preview.current.play().catch(() => undefined);
      }
      setStreaming(true);
      if (modeRef.current === "events-only") {
        // Analysis only: the camera stays on this device; nothing is published to the SFU.
        running.current = { publisher: null, stream };
        setDetail("Events only: video is not sent");
        return;
      }
      const publisher = new Publisher(
        cameraId,
        track,
        (s, d) => {
          setStatus(s);
          setDetail(d);
        },
        publishToken,
      );
      running.current = { publisher, stream };
      publisher.start();
    } catch (e) {
      setStatus("error");
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  useEffect(() => {
    void refreshDevices().catch(() => undefined);
    if (autoStart) void start();
    return stop;
  }, []);

  // A fresh scoped key well before the current one expires (the loader mints it).
  useEffect(() => {
    if (!onDevice?.deviceKey) return;
    const timer = setInterval(() => revalidator.revalidate(), KEY_REFRESH_MS);
    return () => clearInterval(timer);
  }, [onDevice?.deviceKey]);

  return (
    <div className="grid gap-6 md:grid-cols-[2fr_1fr]">
      <div className="relative aspect-video overflow-hidden rounded-xl bg-slate-900">
        <video
          ref={preview}
          data-testid="publish-preview"
          className="h-full w-full object-contain"
          muted
          playsInline
          autoPlay
        />
        {/* Same box and object-fit as the video, sized to its frames: landmarks land on the person. */}
        <canvas
          ref={overlay}
          data-testid="pose-overlay"
          aria-hidden="true"
          className="pointer-events-none absolute inset-0 h-full w-full object-contain"
        />
      </div>
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <div className="flex items-center gap-2 text-sm">
          Status: <StatusBadge status={status} detail={detail} />
        </div>
        {detail && status !== "live" ? <p className="text-xs text-slate-500">{detail}</p> : null}
        <SelectField label="Camera device" name="device" value={deviceId} onChange={(e) => setDeviceId(e.target.value)}>
          <option value="">Default camera</option>
          {devices.map((d, i) => (
            <option key={d.deviceId || i} value={d.deviceId}>
              {d.label || `Camera ${i + 1}`}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Resolution"
          name="resolution"
          value={resolution}
          onChange={(e) => setResolution(e.target.value)}
        >
          {RESOLUTIONS.map((r) => (
            <option key={r.id} value={r.id}>
              {r.width}×{r.height}
            </option>
          ))}
        </SelectField>
        {onDevice ? (
          <OnDeviceControls
            data={onDevice}
            mode={mode}
            onModeChange={(next) => {
              // Switching to or from "events only" changes whether video is sent: restart the camera accordingly.
              const restart = streaming && (next === "events-only") !== (mode === "events-only");
              setMode(next);
              modeRef.current = next;
              if (restart) void start();
            }}
            status={analysis}
          />
        ) : null}
        {error ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {error}
          </p>
        ) : null}
        <div className="flex gap-2">
          <Button type="submit">
            {mode === "events-only"
              ? streaming
                ? "Restart analysis"
                : "Start analysis"
              : running.current
                ? "Restart publishing"
                : "Start publishing"}
          </Button>
          <Button type="button" variant="secondary" onClick={stop} disabled={!streaming && status === "idle"}>
            Stop
          </Button>
        </div>
      </form>
    </div>
  );
}
