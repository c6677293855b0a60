// Just enough RTP for the ingest stage (SPEC C4): read a packet's header, tell RTCP from RTP (rtcp-mux), spot the
// first packet of a key frame (VP8, H.264) and write the SDP that tells ffmpeg what arrives on its port.
import type { MediaCodec } from "../../protocol";

export interface RtpHeader {
  payloadType: number;
  marker: boolean;
  sequence: number;
  timestamp: number;
  ssrc: number;
  /** Offset of the payload in the packet (after CSRCs and the header extension). */
  payloadOffset: number;
}

/** RTCP packet types 192-223 share the second byte with RTP's marker + payload type (RFC 5761). */
export function isRtcp(packet: Buffer): boolean {
  return packet.length >= 2 && packet[1]! >= 192 && packet[1]! <= 223;
}

export function parseRtpHeader(packet: Buffer): RtpHeader | null {
  if (packet.length < 12 || packet[0]! >> 6 !== 2 || isRtcp(packet)) return null;
  const csrcCount = packet[0]! & 0x0f;
  let offset = 12 + csrcCount * 4;
  if (packet[0]! & 0x10) {
    if (packet.length < offset + 4) return null;
    offset += 4 + packet.readUInt16BE(offset + 2) * 4;
  }
  let end = packet.length;
  if (packet[0]! & 0x20) end -= packet[packet.length - 1]!; // padding
  if (offset > end) return null;
  return {
    payloadType: packet[1]! & 0x7f,
    marker: (packet[1]! & 0x80) !== 0,
    sequence: packet.readUInt16BE(2),
    timestamp: packet.readUInt32BE(4),
    ssrc: packet.readUInt32BE(8),
    payloadOffset: offset,
  };
}

/** RFC 7741: the first packet of a VP8 key frame (S=1, partition 0, P bit of the payload header clear). */
export function isVp8KeyFrameStart(payload: Buffer): boolean {
  if (payload.length < 1) return false;
  const first = payload[0]!;
  const start = (first & 0x10) !== 0;
  const partition = first & 0x07;
  if (!start || partition !== 0) return false;
  let offset = 1;
  if (first & 0x80) {
    const ext = payload[offset++];
    if (ext === undefined) return false;
    if (ext & 0x80) offset += (payload[offset] ?? 0) & 0x80 ? 2 : 1; // PictureID, 7 or 15 bits
    if (ext & 0x40) offset += 1; // TL0PICIDX
    if (ext & 0x30) offset += 1; // TID / KEYIDX
  }
  const header = payload[offset];
  return header !== undefined && (header & 0x01) === 0;
}

/** RFC 6184: an IDR slice or SPS in a single NAL, STAP-A or the start of an FU-A. */
export function isH264KeyFrameStart(payload: Buffer): boolean {
  if (payload.length < 2) return false;
  const type = payload[0]! & 0x1f;
  if (type === 5 || type === 7) return true;
  if (type === 24) {
    let offset = 1;
    while (offset + 2 < payload.length) {
      const size = payload.readUInt16BE(offset);
      const nal = payload[offset + 2]! & 0x1f;
      if (nal === 5 || nal === 7) return true;
      offset += 2 + size;
    }
    return false;
  }
  if (type === 28) {
    const fu = payload[1]!;
    return (fu & 0x80) !== 0 && ((fu & 0x1f) === 5 || (fu & 0x1f) === 7);
  }
  return false;
}

export function isKeyFrameStart(mimeType: string, payload: Buffer): boolean {
  const codec = mimeType.toLowerCase();
  if (codec === "video/vp8") return isVp8KeyFrameStart(payload);
  if (codec === "video/h264") return isH264KeyFrameStart(payload);
  return false;
}

/** The codecs the worker's decoder takes (sent as capabilities at registration). */
export const DECODABLE_CODECS = ["video/VP8", "video/H264"];

/** An SDP for ffmpeg: one video stream of `codec` on 127.0.0.1:`port` (the worker relays RTP there). */
export function sdpFor(codec: MediaCodec, port: number): string {
  const name = codec.mimeType.split("/")[1] ?? codec.mimeType;
  const fmtp = Object.entries(codec.parameters ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(";");
  return [
    "v=0",
    "o=- 0 0 IN IP4 127.0.0.1",
    "s=argus-worker",
    "c=IN IP4 127.0.0.1",
    "t=0 0",
    `m=video ${port} RTP/AVP ${codec.payloadType}`,
    `a=rtpmap:${codec.payloadType} ${name}/${codec.clockRate}`,
    ...(fmtp ? [`a=fmtp:${codec.payloadType} ${fmtp}`] : []),
    "a=recvonly",
    "",
  ].join("\r\n");
}
