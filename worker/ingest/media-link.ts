// The worker's media requests to the server (SPEC C4, ADR 0009): the ingest stage asks through a MediaLink, which the
// worker implements over its /workers socket (socketMediaLink) and tests implement in-process
// (tests/support/direct-media-link.ts).
import { mediaSubscribeReplySchema, parseMessage, type MediaSubscribeReply } from "../../protocol";

export interface MediaLink {
  subscribe(cameraId: string, rtpPort: number): Promise<MediaSubscribeReply>;
  resume(cameraId: string): Promise<void>;
  keyFrame(cameraId: string): Promise<void>;
  unsubscribe(cameraId: string): Promise<void>;
  /** The server closed this camera's consumer (stream ended): returns an unsubscribe function. */
  onClosed(listener: (cameraId: string, reason: string) => void): () => void;
}

/** A media request the server refused (code from protocol/common.ts errorCodes). */
export class MediaRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "MediaRequestError";
  }
}

type MediaEvent = "v1:media-subscribe" | "v1:media-resume" | "v1:media-keyframe" | "v1:media-unsubscribe";

/** A MediaLink over any request function that resolves with the ack's data or throws a coded error. */
export function socketMediaLink(
  request: (event: MediaEvent, payload: { cameraId: string; rtpPort?: number }) => Promise<unknown>,
  onClosed: MediaLink["onClosed"],
): MediaLink {
  const call = async (event: MediaEvent, payload: { cameraId: string; rtpPort?: number }) => {
    try {
      return await request(event, payload);
    } catch (error) {
      const code = (error as { code?: string }).code ?? "internal";
      throw new MediaRequestError(code, (error as Error).message);
    }
  };
  return {
    subscribe: async (cameraId, rtpPort) => {
      const parsed = parseMessage(mediaSubscribeReplySchema, await call("v1:media-subscribe", { cameraId, rtpPort }));
      if (!parsed.success) throw new MediaRequestError("bad_request", `unexpected subscribe reply: ${parsed.message}`);
      return parsed.data;
    },
    resume: async (cameraId) => void (await call("v1:media-resume", { cameraId })),
    keyFrame: async (cameraId) => void (await call("v1:media-keyframe", { cameraId })),
    unsubscribe: async (cameraId) => void (await call("v1:media-unsubscribe", { cameraId })),
    onClosed,
  };
}
