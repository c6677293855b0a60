import { describe, expect, it } from "vitest";
import {
  backoffDelay,
  DEMO_CLIP,
  demoInput,
  ffmpegFailureMessage,
  ffmpegIngestArgs,
  findDemoClip,
  redactSecrets,
  redactUrl,
} from "./rtsp-ffmpeg.server";

describe("RTSP ingest helpers (C1)", () => {
  it("redacts credentials in URLs and the password anywhere else", () => {
    const url = "rtsp://admin:p%40ss-w0rd@10.0.0.5:554/Streaming/101";
    expect(redactUrl(url)).toBe("rtsp://***@10.0.0.5:554/Streaming/101");
    const stderr = `[rtsp @ 0x1] method DESCRIBE failed: 401 Unauthorized\n${url}: Server returned 401 (p@ss-w0rd)`;
    const out = redactSecrets(stderr, url);
    expect(out).not.toContain("p%40ss-w0rd");
    expect(out).not.toContain("p@ss-w0rd");
    expect(out).toContain("rtsp://***@10.0.0.5");
    expect(redactSecrets("rtsps://u:x@h/a and rtsp://h/b")).toBe("rtsps://***@h/a and rtsp://h/b");
  });

  it("picks ffmpeg's telling error line, redacted", () => {
    const url = "rtsp://user:secret123@127.0.0.1:1/x";
    const message = ffmpegFailureMessage(
      `[tcp @ 0x5] Connection to tcp://127.0.0.1:1?timeout=0 failed: Connection refused\n${url}: Connection refused\n`,
      url,
      { code: 1, signal: null },
    );
    expect(message).toBe("ffmpeg: rtsp://***@127.0.0.1:1/x: Connection refused");
    expect(ffmpegFailureMessage("", url, { code: 0, signal: null })).toBe("the camera's stream ended");
    expect(ffmpegFailureMessage("", url, { code: null, signal: "SIGSEGV" })).toBe("ffmpeg stopped (killed by SIGSEGV)");
  });

  it("builds a VP8 RTP command with key frames every second and a width cap", () => {
    const args = ffmpegIngestArgs(
      "rtsp://cam/x",
      { port: 5000, rtcpPort: 5001, ssrc: 42, payloadType: 101 },
      {
        maxWidth: 1280,
        videoKbps: 1000,
        keyFrameSeconds: 1,
      },
    );
    expect(args).toContain("libvpx");
    expect(args[args.indexOf("-rtsp_transport") + 1]).toBe("tcp");
    expect(args[args.indexOf("-force_key_frames") + 1]).toBe("expr:gte(t,n_forced*1)");
    expect(args[args.indexOf("-vf") + 1]).toBe("scale='min(1280,iw)':-2");
    expect(args.at(-1)).toBe("rtp://127.0.0.1:5000?pkt_size=1200&rtcpport=5001");
  });

  it("backs off exponentially with jitter, capped", () => {
    const settings = { initialMs: 1000, maxMs: 30_000, resetAfterMs: 60_000 };
    expect(backoffDelay(0, settings, () => 0.5)).toBe(1000);
    expect(backoffDelay(3, settings, () => 0.5)).toBe(8000);
    expect(backoffDelay(20, settings, () => 1)).toBe(30_000);
    const jittered = new Set(Array.from({ length: 20 }, () => backoffDelay(2, settings)));
    expect(jittered.size).toBeGreaterThan(1);
    for (const d of jittered) {
      expect(d).toBeGreaterThanOrEqual(3000);
      expect(d).toBeLessThanOrEqual(5000);
    }
  });
});

describe("the demo camera's clip (O1, issue 12 §2)", () => {
  const env = { HOME: "/home/ada" };
  it("prefers the installed package, then the clip scripts/argus.sh extracted into the cache", () => {
    expect(findDemoClip((f) => f === DEMO_CLIP || f.endsWith("vtest.avi"), env)).toBe(DEMO_CLIP);
    expect(findDemoClip((f) => f === "/home/ada/.cache/argus/media/vtest.avi", env)).toBe(
      "/home/ada/.cache/argus/media/vtest.avi",
    );
    expect(findDemoClip((f) => f === "/srv/cache/media/vtest.avi", { ...env, ARGUS_CACHE_DIR: "/srv/cache" })).toBe(
      "/srv/cache/media/vtest.avi",
    );
  });

  it("falls back to the test pattern only when no clip exists", () => {
    expect(findDemoClip(() => false, env)).toBeNull();
    expect(demoInput(null).label).toBe("demo:testsrc2");
    expect(demoInput("/c/vtest.avi").input).toEqual(["-re", "-stream_loop", "-1", "-i", "/c/vtest.avi"]);
  });
});
