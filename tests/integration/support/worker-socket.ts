// A worker's side of the /workers socket for integration tests that speak the protocol by hand (a fake worker):
// the credential-for-token exchange (W8), a connected socket, and acknowledged requests.
import { io, type Socket } from "socket.io-client";
import { PROTOCOL_VERSION } from "../../../protocol";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type WorkerReply = { ok: boolean; data?: any; error?: { code: string; message: string } };

/** POST /api/v1/workers/token with the credential; the signed token. */
export async function exchangeWorkerToken(serverUrl: string, credential: string): Promise<string> {
  const res = await fetch(`${serverUrl}/api/v1/workers/token`, {
    method: "POST",
    headers: { authorization: `Bearer ${credential}` },
  });
  return (await res.json()).token;
}

/** A socket on /workers authenticated with the token, once connected (rejects on a refused handshake). */
export async function connectWorkerSocket(serverUrl: string, token: string): Promise<Socket> {
  const socket = io(`${serverUrl}/workers`, {
    auth: { token, protocolVersion: PROTOCOL_VERSION },
    reconnection: false,
    transports: ["websocket"],
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

export function askWorker(socket: Socket, event: string, payload: unknown, timeoutMs = 10_000): Promise<WorkerReply> {
  return socket.timeout(timeoutMs).emitWithAck(event as never, payload as never) as Promise<WorkerReply>;
}

/**
 * Heartbeats every `everyMs` (W4) until the socket disconnects: a fake worker that only sends events is otherwise
 * declared OFFLINE after three missed heartbeats (90 s at the defaults) and disconnected, which a slow run reaches.
 */
export function keepWorkerAlive(socket: Socket, capacity: number, everyMs = 10_000): () => void {
  let lamport = 0;
  const beat = () =>
    void askWorker(socket, "v1:heartbeat", {
      status: "IDLE",
      load: { assigned: 0, capacity },
      cameras: [],
      cpuPercent: 1,
      memoryMb: 1,
      sentAt: new Date().toISOString(),
      lamport: ++lamport,
    }).catch(() => undefined);
  const timer = setInterval(beat, everyMs);
  socket.once("disconnect", () => clearInterval(timer));
  return () => clearInterval(timer);
}
