import { describe, expect, it } from "vitest";
import { isH264KeyFrameStart, isRtcp, isVp8KeyFrameStart, parseRtpHeader, sdpFor } from "./rtp";

function rtp(
  opts: { pt?: number; marker?: boolean; seq?: number; ts?: number; ssrc?: number; csrc?: number; ext?: Buffer },
  payload: Buffer,
): Buffer {
  const csrc = opts.csrc ?? 0;
  const header = Buffer.alloc(12 + csrc * 4);
  header[0] = 0x80 | (opts.ext ? 0x10 : 0) | csrc;
  header[1] = (opts.marker ? 0x80 : 0) | (opts.pt ?? 101);
  header.writeUInt16BE(opts.seq ?? 1, 2);
  header.writeUInt32BE(opts.ts ?? 90000, 4);
  header.writeUInt32BE(opts.ssrc ?? 0x01020304, 8);
  return Buffer.concat([header, opts.ext ?? Buffer.alloc(0), payload]);
}

describe("RTP helpers for the ingest stage (C4)", () => {
  it("parses the header, skipping CSRCs and a header extension", () => {
    const ext = Buffer.from([0xbe, 0xde, 0x00, 0x01, 0x10, 0xff, 0x00, 0x00]);
    const packet = rtp({ pt: 96, marker: true, seq: 65535, ts: 123456, ssrc: 42, csrc: 2, ext }, Buffer.from([0xaa]));
    expect(parseRtpHeader(packet)).toEqual({
      payloadType: 96,
      marker: true,
      sequence: 65535,
      timestamp: 123456,
      ssrc: 42,
      payloadOffset: 12 + 8 + 8,
    });
    expect(packet[parseRtpHeader(packet)!.payloadOffset]).toBe(0xaa);
  });

  it("rejects RTCP, short packets and other RTP versions", () => {
    const senderReport = Buffer.from([0x80, 200, 0x00, 0x06, ...Buffer.alloc(24)]);
    expect(isRtcp(senderReport)).toBe(true);
    expect(parseRtpHeader(senderReport)).toBeNull();
    expect(parseRtpHeader(Buffer.alloc(8))).toBeNull();
    const v1 = rtp({}, Buffer.from([1]));
    v1[0] = 0x40;
    expect(parseRtpHeader(v1)).toBeNull();
    expect(isRtcp(rtp({ pt: 101, marker: true }, Buffer.from([1])))).toBe(false);
  });

  it("finds the first packet of a VP8 key frame, with and without the extended descriptor", () => {
    expect(isVp8KeyFrameStart(Buffer.from([0x10, 0x00]))).toBe(true); // S=1, PID 0, P=0
    expect(isVp8KeyFrameStart(Buffer.from([0x10, 0x01]))).toBe(false); // inter frame
    expect(isVp8KeyFrameStart(Buffer.from([0x00, 0x00]))).toBe(false); // continuation packet
    expect(isVp8KeyFrameStart(Buffer.from([0x11, 0x00]))).toBe(false); // partition 1
    // X=1, I=1 with a 15-bit picture id (M=1), then the payload header.
    expect(isVp8KeyFrameStart(Buffer.from([0x90, 0x80, 0x81, 0x23, 0x00]))).toBe(true);
    expect(isVp8KeyFrameStart(Buffer.from([0x90, 0x80, 0x81, 0x23, 0x01]))).toBe(false);
    // X=1, I=1 (7-bit id), L=1, T=1.
    expect(isVp8KeyFrameStart(Buffer.from([0x90, 0xe0, 0x05, 0x07, 0x40, 0x00]))).toBe(true);
  });

  it("finds H.264 IDR/SPS in single NALs, STAP-A and FU-A starts", () => {
    expect(isH264KeyFrameStart(Buffer.from([0x65, 0x88]))).toBe(true); // IDR
    expect(isH264KeyFrameStart(Buffer.from([0x41, 0x9a]))).toBe(false); // non-IDR slice
    expect(isH264KeyFrameStart(Buffer.from([0x78, 0x00, 0x02, 0x67, 0x42, 0x00, 0x02, 0x68, 0xce]))).toBe(true);
    expect(isH264KeyFrameStart(Buffer.from([0x7c, 0x85, 0x88]))).toBe(true); // FU-A start of IDR
    expect(isH264KeyFrameStart(Buffer.from([0x7c, 0x05, 0x88]))).toBe(false); // FU-A middle
  });

  it("writes an SDP naming the codec, payload type, port and fmtp", () => {
    const sdp = sdpFor(
      { mimeType: "video/H264", payloadType: 102, clockRate: 90000, parameters: { "packetization-mode": 1 } },
      40002,
    );
    expect(sdp).toContain("m=video 40002 RTP/AVP 102\r\n");
    expect(sdp).toContain("a=rtpmap:102 H264/90000\r\n");
    expect(sdp).toContain("a=fmtp:102 packetization-mode=1\r\n");
    expect(sdpFor({ mimeType: "video/VP8", payloadType: 101, clockRate: 90000, parameters: {} }, 5000)).not.toContain(
      "a=fmtp",
    );
  });
});
