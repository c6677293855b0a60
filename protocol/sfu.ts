// Browser <-> server signalling for the SFU (SPEC C2, C3), over the socket.io namespace `/sfu`.
// One socket is bound to one camera and one mode (publish or watch), chosen in the handshake `auth`.
// Browser -> server: "request" events carrying one of `sfuRequestSchema`, answered by an ack (`Ack<T>`).
// Server -> browser: "notification" events carrying one of `SfuNotification`.
// mediasoup's own parameter objects (rtpCapabilities, dtlsParameters, rtpParameters) are checked for shape
// here and validated in depth by mediasoup itself, which rejects bad ones with an error (never a crash).
import { z } from "zod";
import type { Ack } from "./common";

export const SFU_NAMESPACE = "/sfu";

const mediasoupObject = z.record(z.string(), z.unknown());
const mediasoupId = z.string().min(1).max(100);

export const sfuHandshakeSchema = z.object({
  cameraId: z.uuid(),
  mode: z.enum(["publish", "watch"]),
  /** A kiosk's per-camera publish token instead of a session (publish mode only). */
  publishToken: z.string().min(16).max(200).optional(),
});
export type SfuHandshake = z.infer<typeof sfuHandshakeSchema>;

export const sfuRequestSchema = z.discriminatedUnion("method", [
  z.object({ method: z.literal("getRouterRtpCapabilities") }),
  z.object({ method: z.literal("createTransport"), direction: z.enum(["send", "recv"]) }),
  z.object({ method: z.literal("connectTransport"), transportId: mediasoupId, dtlsParameters: mediasoupObject }),
  z.object({
    method: z.literal("produce"),
    transportId: mediasoupId,
    kind: z.literal("video"),
    rtpParameters: mediasoupObject,
  }),
  z.object({ method: z.literal("consume"), transportId: mediasoupId, rtpCapabilities: mediasoupObject }),
  z.object({ method: z.literal("resumeConsumer"), consumerId: mediasoupId }),
  z.object({ method: z.literal("closeTransport"), transportId: mediasoupId }),
]);
export type SfuRequest = z.infer<typeof sfuRequestSchema>;
export type SfuMethod = SfuRequest["method"];

export interface TransportInfo {
  id: string;
  iceParameters: unknown;
  iceCandidates: unknown[];
  dtlsParameters: unknown;
}

export interface ConsumerInfo {
  id: string;
  producerId: string;
  kind: "video" | "audio";
  rtpParameters: unknown;
}

/** What each request's ack carries when ok. */
export interface SfuResponses {
  getRouterRtpCapabilities: { rtpCapabilities: unknown; status: CameraLiveStatus };
  createTransport: TransportInfo;
  connectTransport: Record<string, never>;
  produce: { id: string };
  /** null when the camera has no publisher right now (wait for producerAdded). */
  consume: ConsumerInfo | null;
  resumeConsumer: Record<string, never>;
  closeTransport: Record<string, never>;
}

/** live: a stream is flowing; offline: none; error: a server-side ingest (RTSP) is failing to get one. */
export type CameraLiveStatus = "live" | "offline" | "error";

export type SfuNotification =
  | { method: "producerAdded"; producerId: string }
  | { method: "producerClosed"; producerId: string }
  | { method: "consumerClosed"; consumerId: string }
  | { method: "cameraStatus"; cameraId: string; status: CameraLiveStatus }
  /** This publisher was replaced by a newer one for the same camera. */
  | { method: "replaced" }
  /** The server lost this camera's router (mediasoup worker died): reconnect and set up again. */
  | { method: "reconnect"; reason: string };

export interface SfuClientToServerEvents {
  request: (payload: unknown, ack: (response: Ack<unknown>) => void) => void;
}

export interface SfuServerToClientEvents {
  notification: (notification: SfuNotification) => void;
}
