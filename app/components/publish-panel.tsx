// Publish a browser camera (SPEC C2): pick a device and a resolution, publish VP8 through the SFU with
// mediasoup-client; status connecting / live / reconnecting / error; reconnects with backoff on its own.
import { useEffect, useRef, useState } from "react";
import { Publisher, type LinkStatus } from "~/sfu/sfu-client";
import { Button, SelectField } from "./form";
import { StatusBadge } from "./live-video";

const RESOLUTIONS = [
  { id: "640x480", width: 640, height: 480 },
  { id: "1280x720", width: 1280, height: 720 },
  { id: "320x240", width: 320, height: 240 },
];

export function PublishPanel({
  cameraId,
  publishToken,
  autoStart = false,
}: {
  cameraId: string;
  publishToken?: string;
  autoStart?: boolean;
}) {
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [deviceId, setDeviceId] = useState("");
  const [resolution, setResolution] = useState(RESOLUTIONS[0]!.id);
  const [status, setStatus] = useState<LinkStatus>("idle");
  const [detail, setDetail] = useState<string>();
  const [error, setError] = useState<string | null>(null);
  const preview = useRef<HTMLVideoElement>(null);
  const running = useRef<{ publisher: Publisher; stream: MediaStream } | null>(null);

  const refreshDevices = async () => {
    const all = await navigator.mediaDevices.enumerateDevices();
    setDevices(all.filter((d) => d.kind === "videoinput"));
  };

  const stop = () => {
    running.current?.publisher.stop();
    running.current?.stream.getTracks().forEach((t) => t.stop());
    running.current = null;
    if (preview.current) preview.current.srcObject = null;
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
        {error ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {error}
          </p>
        ) : null}
        <div className="flex gap-2">
          <Button type="submit">{running.current ? "Restart publishing" : "Start publishing"}</Button>
          <Button type="button" variant="secondary" onClick={stop} disabled={status === "idle"}>
            Stop
          </Button>
        </div>
      </form>
    </div>
  );
}
