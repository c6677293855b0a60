// A real RTSP camera for tests (SPEC C1, C4): GStreamer's RTSP server (tests/support/rtsp-server.py, Debian
// gir1.2-gst-rtsp-server-1.0 + gstreamer1.0-plugins-good + python3-gi, installed by scripts/argus.sh) serves
// H.264 like an IP camera, over RTSP/TCP (interleaved) and UDP, optionally behind basic auth. An ffmpeg feeder
// loops a clip into it in real time. The clip is converted at test time from Debian opencv-doc's vtest.avi
// (people walking; ffmpeg's testsrc2 when that is missing) and cached under tests/.tmp/; no video is committed.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createSocket } from "node:dgram";
import { existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import { VTEST_AVI } from "../e2e/support/fake-camera";
import { freeTcpPort } from "./processes";
import path from "node:path";

const TMP_DIR = path.resolve(import.meta.dirname, "../.tmp");
const SERVER_SCRIPT = path.resolve(import.meta.dirname, "rtsp-server.py");
const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3"; // Debian's, which has gi

export interface RtspSourceOptions {
  /** An H.264-encodable clip; default vtest.avi (768x576, 10 fps). */
  clip?: string;
  fps?: number;
  width?: number;
  height?: number;
  /** Seconds of the clip to loop (default 10). */
  seconds?: number;
  /** RTSP port (default: a free one); pass the port of a stopped source to bring "the same camera" back. */
  port?: number;
  /** Basic auth the server requires (the URL carries it). */
  auth?: { user: string; password: string };
  mount?: string;
}

export interface RtspSource {
  /** rtsp://[user:password@]127.0.0.1:PORT/MOUNT */
  url: string;
  port: number;
  /** The server and feeder pids (tests of process hygiene). */
  pids: number[];
  stop(): Promise<void>;
}

export { freeTcpPort };

/** Encodes the looped clip once per size/fps: H.264 baseline, a key frame every second, like a typical camera. */
export function ensureRtspClip(
  options: Pick<RtspSourceOptions, "clip" | "fps" | "width" | "height" | "seconds"> = {},
): string {
  const fps = options.fps ?? 10;
  const width = options.width ?? 768;
  const height = options.height ?? 576;
  const seconds = options.seconds ?? 10;
  const source = options.clip ?? (existsSync(VTEST_AVI) ? VTEST_AVI : null);
  // "-1slice": clips cached before sliced threads were turned off (below) are not reused.
  const name = `rtsp-${source ? path.basename(source, path.extname(source)) : "testsrc2"}-${width}x${height}-${fps}fps-${seconds}s-1slice.ts`;
  const file = path.join(TMP_DIR, name);
  if (existsSync(file) && statSync(file).size > 10_000) return file;
  mkdirSync(TMP_DIR, { recursive: true });
  const input = source ? ["-i", source] : ["-f", "lavfi", "-i", `testsrc2=size=${width}x${height}:rate=${fps}`];
  const tmp = `${file}.part.ts`;
  execFileSync(
    "ffmpeg",
    [
      ...["-y", "-loglevel", "error", ...input, "-t", String(seconds), "-an"],
      ...["-vf", `scale=${width}:${height},fps=${fps}`, "-pix_fmt", "yuv420p"],
      ...["-c:v", "libx264", "-profile:v", "baseline", "-preset", "veryfast", "-tune", "zerolatency"],
      // One slice a frame: zerolatency's sliced threads cut each frame in two, and through the RTSP server the top
      // slice of key frames went missing, so decoders saw the top half of every frame smeared for seconds.
      ...["-x264-params", "sliced-threads=0"],
      ...["-g", String(fps), "-bf", "0", "-f", "mpegts", tmp],
    ],
    { stdio: ["ignore", "ignore", "pipe"], timeout: 120_000 },
  );
  renameSync(tmp, file);
  return file;
}

function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket("udp4");
    socket.once("error", reject);
    socket.bind(0, "127.0.0.1", () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

function waitForListening(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => fail(new Error(`RTSP server did not start: ${output}`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    };
    child.stdout!.on("data", (chunk) => {
      output += chunk;
      if (output.includes("listening")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on("data", (chunk) => (output += chunk));
    child.once("exit", (code) =>
      fail(
        new Error(
          `RTSP server exited (${code}): ${output}\nIt needs Debian's python3-gi gir1.2-gst-rtsp-server-1.0 ` +
            "gstreamer1.0-plugins-good (scripts/argus.sh installs them for npm test).",
        ),
      ),
    );
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Starts an RTSP camera on 127.0.0.1 that loops the clip until stop(). */
export async function startRtspSource(options: RtspSourceOptions = {}): Promise<RtspSource> {
  const clip = ensureRtspClip(options);
  const port = options.port ?? (await freeTcpPort());
  const udpPort = await freeUdpPort();
  const mount = options.mount ?? "camera";
  const auth = options.auth ? [options.auth.user, options.auth.password] : [];
  const server = spawn(PYTHON, [SERVER_SCRIPT, String(port), mount, String(udpPort), ...auth], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  await waitForListening(server, 15_000);
  const feeder = spawn(
    "ffmpeg",
    [
      ...["-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-stream_loop", "-1", "-i", clip],
      ...["-an", "-c:v", "copy", "-f", "rtp", "-payload_type", "96", `rtp://127.0.0.1:${udpPort}?pkt_size=1200`],
    ],
    { stdio: ["ignore", "ignore", "ignore"] },
  );
  const credentials = options.auth
    ? `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.password)}@`
    : "";
  let stopping: Promise<void> | null = null;
  return {
    url: `rtsp://${credentials}127.0.0.1:${port}/${mount}`,
    port,
    pids: [server.pid!, feeder.pid!],
    stop() {
      stopping ??= Promise.all([stopProcess(feeder), stopProcess(server)]).then(() => undefined);
      return stopping;
    },
  };
}
