// What a browser watching cameras receives (issue 14, C3): a socket.io client with a user's session cookie that
// watches cameras (camera:watch) and keeps every detections:live frame, so a test can ask what the live view would
// have drawn - green boxes with a name (known=true), red (known=false), or class colours (known absent).
import { io, type Socket } from "socket.io-client";
import type { LiveDetections, LiveObject } from "../../../protocol/events";

export interface LiveWatch {
  /** Frames received for the camera since `since` (Date.now() ms; default: all). */
  frames(cameraId: string, since?: number): Array<LiveDetections & { receivedAt: number }>;
  /** Person objects of those frames. */
  people(cameraId: string, since?: number): LiveObject[];
  close(): void;
}

export async function watchLive(url: string, cookie: string, cameraIds: string[]): Promise<LiveWatch> {
  const socket: Socket = io(url, { transports: ["websocket"], extraHeaders: { cookie }, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  const frames = new Map<string, Array<LiveDetections & { receivedAt: number }>>();
  socket.on("detections:live", (frame: LiveDetections) => {
    const list = frames.get(frame.cameraId) ?? [];
    list.push({ ...frame, receivedAt: Date.now() });
    if (list.length > 5000) list.shift();
    frames.set(frame.cameraId, list);
  });
  for (const cameraId of cameraIds) {
    const ack = await socket.timeout(10_000).emitWithAck("camera:watch", { cameraId });
    if (!ack?.ok) throw new Error(`camera:watch ${cameraId} refused: ${JSON.stringify(ack)}`);
  }
  const since = (cameraId: string, from = 0) => (frames.get(cameraId) ?? []).filter((f) => f.receivedAt >= from);
  return {
    frames: since,
    people: (cameraId, from) => since(cameraId, from).flatMap((f) => f.objects.filter((o) => o.class === "person")),
    close: () => socket.close(),
  };
}
