// The worker's MediaLink wired straight to the server's WorkerMediaBridge, in one process (C4): what the /workers
// socket does between them, minus the socket. For in-process tests and benchmarks of the media path.
import type { Ack } from "../../protocol";
import type { WorkerMediaBridge, WorkerMediaClient } from "../../app/sfu/worker-media.server";
import { MediaRequestError, type MediaLink } from "../../worker/ingest/media-link";

function unwrap<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new MediaRequestError(ack.error.code, ack.error.message);
  return ack.data;
}

/** A connected worker (on loopback) and its link; the bridge's v1:media-closed reaches the link's listeners. */
export function directMediaLink(
  bridge: WorkerMediaBridge,
  worker: { workerId: string; tenantId: string },
): { client: WorkerMediaClient; link: MediaLink } {
  const closedListeners = new Set<(cameraId: string, reason: string) => void>();
  const client: WorkerMediaClient = {
    socketId: `socket-${worker.workerId}`,
    workerId: worker.workerId,
    tenantId: worker.tenantId,
    address: "::ffff:127.0.0.1",
    notifyClosed: (cameraId, reason) => closedListeners.forEach((listener) => listener(cameraId, reason)),
    isConnected: () => true,
  };
  const link: MediaLink = {
    subscribe: async (cameraId, rtpPort) => unwrap(await bridge.subscribe(client, { cameraId, rtpPort })),
    resume: async (cameraId) => void unwrap(await bridge.resume(client, cameraId)),
    keyFrame: async (cameraId) => void unwrap(await bridge.keyFrame(client, cameraId)),
    unsubscribe: async (cameraId) => void unwrap(bridge.unsubscribe(client, cameraId)),
    onClosed: (listener) => {
      closedListeners.add(listener);
      return () => closedListeners.delete(listener);
    },
  };
  return { client, link };
}
