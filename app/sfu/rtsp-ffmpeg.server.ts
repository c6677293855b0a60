// Pure helpers for the RTSP ingest (SPEC C1): the ffmpeg command that pulls an IP camera over RTSP and sends VP8
// RTP to a mediasoup PlainTransport, URL redaction (RTSP URLs carry user:password), and the restart backoff.

export interface TranscodeSettings {
  /** Frames wider than this are scaled down (aspect kept). */
  maxWidth: number;
  /** VP8 target bitrate. */
  videoKbps: number;
  /** Seconds between forced key frames: ffmpeg cannot answer a PLI, so new viewers wait at most this long. */
  keyFrameSeconds: number;
}

/**
 * The ffmpeg arguments: RTSP over TCP (interleaved; works through NAT and never loses packets to UDP drops),
 * video only, libvpx in realtime mode (no lag frames or alt-ref, so every frame leaves at once; error resilient
 * for lossy paths), the source frame rate kept (passthrough), a key frame every keyFrameSeconds, RTP packets
 * small enough for any path, RTCP (sender reports) to the transport's RTCP port.
 */
export function ffmpegIngestArgs(
  url: string,
  rtp: { port: number; rtcpPort: number; ssrc: number; payloadType: number },
  settings: TranscodeSettings,
  /** ffmpeg input arguments instead of the RTSP URL's (the demo camera's clip, O1). */
  input?: string[],
): string[] {
  const target = `rtp://127.0.0.1:${rtp.port}?pkt_size=1200&rtcpport=${rtp.rtcpPort}`;
  return [
    ...["-hide_banner", "-loglevel", "warning", "-nostdin"],
    // Socket I/O timeout (microseconds): a camera that stops answering makes ffmpeg exit instead of hang.
    ...(input ?? ["-rtsp_transport", "tcp", "-timeout", "10000000", "-fflags", "nobuffer", "-i", url]),
    ...["-an", "-sn", "-dn", "-fps_mode", "passthrough"],
    ...["-vf", `scale='min(${settings.maxWidth},iw)':-2`, "-pix_fmt", "yuv420p"],
    ...["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", `${settings.videoKbps}k`],
    ...["-lag-in-frames", "0", "-auto-alt-ref", "0", "-error-resilient", "1"],
    ...["-force_key_frames", `expr:gte(t,n_forced*${settings.keyFrameSeconds})`],
    ...["-f", "rtp", "-payload_type", String(rtp.payloadType), "-ssrc", String(rtp.ssrc), target],
  ];
}

const CREDENTIALS_IN_URL = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi;

/** Removes user:password from every URL in `text` and any other occurrence of the URL's password. */
export function redactSecrets(text: string, url?: string): string {
  let out = text.replace(CREDENTIALS_IN_URL, "$1***@");
  if (url) {
    const secrets = new Set<string>();
    try {
      const parsed = new URL(url);
      for (const part of [parsed.password, parsed.username]) {
        if (!part) continue;
        secrets.add(part);
        try {
          secrets.add(decodeURIComponent(part));
        } catch {
          // A malformed escape: the raw form is redacted anyway.
        }
      }
    } catch {
      // Not a URL: only the pattern above applies.
    }
    for (const secret of secrets) if (secret.length >= 3) out = out.split(secret).join("***");
  }
  return out;
}

/** The URL as it may be shown or logged: no credentials. */
export function redactUrl(url: string): string {
  return redactSecrets(url, url);
}

/** The most telling line of ffmpeg's stderr (its last error line), redacted and short, for the camera's status. */
export function ffmpegFailureMessage(
  stderrTail: string,
  url: string,
  exit: { code: number | null; signal: string | null },
): string {
  const lines = stderrTail
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !/^(Last message repeated|SDP:|v=|o=|s=|c=|t=|a=|m=)/.test(l));
  const telling = [...lines]
    .reverse()
    .find((l) =>
      /error|refused|timed out|not found|unauthori[sz]ed|401|403|404|invalid|failed|no route|unreachable/i.test(l),
    );
  const line = telling ?? lines.at(-1);
  const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
  const message = line ? `ffmpeg: ${line}` : exit.code === 0 ? "the camera's stream ended" : `ffmpeg stopped (${how})`;
  return redactSecrets(message, url).slice(0, 300);
}

export interface BackoffSettings {
  initialMs: number;
  maxMs: number;
  /** A run that streamed at least this long resets the delay to initialMs. */
  resetAfterMs: number;
}

/** Exponential backoff with jitter: attempt 0 waits about initialMs, each next one twice as long, capped. */
export function backoffDelay(attempt: number, settings: BackoffSettings, random: () => number = Math.random): number {
  const base = Math.min(settings.maxMs, settings.initialMs * 2 ** Math.min(attempt, 30));
  return Math.min(settings.maxMs, Math.round(base * (0.75 + random() * 0.5)));
}

/** Debian opencv-doc's clip (768x576, 10 fps, people walking on a campus): the demo camera's footage when present. */
export const DEMO_CLIP = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";

/**
 * Where the demo clip may be: installed by apt-get (scripts/argus.sh as root, or the admin), else extracted from the
 * downloaded .deb into the cache without root (scripts/argus.sh, issue 12 §2). The first that exists wins.
 */
export function demoClipCandidates(env: Record<string, string | undefined>): string[] {
  const cacheDir = env.ARGUS_CACHE_DIR || `${env.HOME ?? ""}/.cache/argus`;
  return [DEMO_CLIP, `${cacheDir}/media/vtest.avi`];
}

export function findDemoClip(
  exists: (file: string) => boolean,
  env: Record<string, string | undefined>,
): string | null {
  return demoClipCandidates(env).find((file) => exists(file)) ?? null;
}

/**
 * The demo camera (O1): a clip played in real time and looped, or ffmpeg's synthetic test pattern when the clip is
 * not installed, so a fresh `npm start` has a camera that streams with no hardware.
 */
export function demoInput(clip: string | null): { label: string; input: string[] } {
  if (clip) return { label: `demo:${clip}`, input: ["-re", "-stream_loop", "-1", "-i", clip] };
  return { label: "demo:testsrc2", input: ["-re", "-f", "lavfi", "-i", "testsrc2=size=640x480:rate=10"] };
}
