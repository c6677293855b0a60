// Capture an enrolment photo from the browser's camera (issue 14, S1): getUserMedia -> <video> -> canvas -> JPEG,
// handed to the same upload as a file. The stream stops when capturing ends or the page is left; no frame is kept.
import { useEffect, useRef, useState } from "react";
import { Button } from "../form";
import { canvasToJpeg } from "./enrol-upload";

export function CameraCapture({ onCapture, busy }: { onCapture: (jpeg: Blob) => void; busy: boolean }) {
  const video = useRef<HTMLVideoElement>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** The preview has a frame: capturing before that would draw nothing (the button waits for it). */
  const [ready, setReady] = useState(false);

  useEffect(() => () => stream?.getTracks().forEach((t) => t.stop()), [stream]);
  useEffect(() => {
    if (video.current && stream) video.current.srcObject = stream;
  }, [stream]);

  async function start() {
    setError(null);
    if (!navigator.mediaDevices?.getUserMedia) {
      setError("This browser cannot use a camera here (it needs HTTPS or localhost).");
      return;
    }
    try {
      setStream(await navigator.mediaDevices.getUserMedia({ video: { facingMode: "user" }, audio: false }));
    } catch (e) {
      setError(`The camera could not be opened: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  function stop() {
    stream?.getTracks().forEach((t) => t.stop());
    setStream(null);
    setReady(false);
  }

  async function capture() {
    const v = video.current;
    if (!v || !v.videoWidth) {
      setError("The camera has not shown a picture yet: wait a moment and capture again.");
      return;
    }
    setError(null);
    const canvas = document.createElement("canvas");
    canvas.width = v.videoWidth;
    canvas.height = v.videoHeight;
    canvas.getContext("2d")!.drawImage(v, 0, 0);
    onCapture(await canvasToJpeg(canvas));
  }

  return (
    <div className="space-y-3">
      {stream ? (
        <>
          <video
            ref={video}
            autoPlay
            playsInline
            muted
            aria-label="Camera preview"
            onLoadedData={() => setReady(true)}
            className="aspect-video w-full max-w-md rounded-md bg-slate-900 object-cover"
          />
          <div className="flex flex-wrap gap-2">
            <Button type="button" onClick={capture} disabled={busy || !ready}>
              {busy ? "Enrolling…" : ready ? "Capture photo" : "Starting camera…"}
            </Button>
            <Button type="button" variant="secondary" onClick={stop}>
              Stop camera
            </Button>
          </div>
        </>
      ) : (
        <Button type="button" variant="secondary" onClick={start}>
          Use the camera
        </Button>
      )}
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
