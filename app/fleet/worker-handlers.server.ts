// One handler per worker message (SPEC W1-W8, C4; STYLE "a handler per worker message, registered in a map typed
// by protocol/"). The namespace adapter authenticates and parses; a handler gets the parsed message and the
// connection, and answers an Ack typed by the event's own callback in WorkerToServerEvents. Fleet and media
// handlers live here; detection handlers in app/models/detections/worker-handlers.server.ts.
import type { Socket } from "socket.io";
import type { z } from "zod";
import { fail, type ServerToWorkerEvents, type WorkerToServerEvents, workerMessageSchemas } from "../../protocol";
import type { WorkerMediaBridge, WorkerMediaClient } from "../sfu/worker-media.server";
import type { WorkerSession } from "./fleet-context";
import type { FleetManager } from "./fleet-manager.server";
import { shouldRenewToken } from "./policy";
import type { WorkerLink } from "./worker-state";

export type WorkerEventName = keyof typeof workerMessageSchemas;
/** The message after parsing (defaults applied). */
export type WorkerMessage<E extends WorkerEventName> = z.output<(typeof workerMessageSchemas)[E]>;
/** The Ack the event's callback takes. */
export type WorkerReply<E extends WorkerEventName> = Parameters<Parameters<WorkerToServerEvents[E]>[1]>[0];

export interface WorkerConnection extends WorkerSession {
  tokenIssuedMs: number;
  tokenExpiresMs: number;
  rejected: number;
}

export interface WorkerSocketData {
  session: WorkerConnection;
}
export type WorkerSocket = Socket<WorkerToServerEvents, ServerToWorkerEvents, Record<string, never>, WorkerSocketData>;

export interface HandlerContext {
  session: WorkerConnection;
  link: WorkerLink;
  socket: WorkerSocket;
  /** The worker id registered on THIS connection, or null (not registered, or superseded). */
  registeredWorkerId(): string | null;
}

export type WorkerHandler<E extends WorkerEventName> = (
  message: WorkerMessage<E>,
  ctx: HandlerContext,
) => Promise<WorkerReply<E>> | WorkerReply<E>;

export type WorkerHandlers = { [E in WorkerEventName]: WorkerHandler<E> };

export type MediaEventName = "v1:media-subscribe" | "v1:media-resume" | "v1:media-keyframe" | "v1:media-unsubscribe";
export type DetectionEventName = "v1:events" | "v1:detections";
export type FleetEventName = Exclude<WorkerEventName, MediaEventName | DetectionEventName>;

export function fleetHandlers(fleet: FleetManager): Pick<WorkerHandlers, FleetEventName> {
  return {
    "v1:register": (message, ctx) => fleet.registry.register(ctx.session, message, ctx.link),
    "v1:heartbeat": (message, { session }) => {
      const result = fleet.registry.heartbeat(session, message);
      if (!result.ok) return result;
      const now = Date.now();
      if (!shouldRenewToken(session.tokenIssuedMs, session.tokenExpiresMs, now)) return result;
      const renewed = fleet.credentials.signFor(session.credentialId, session.tenantId);
      session.tokenIssuedMs = now;
      session.tokenExpiresMs = Date.parse(renewed.expiresAt);
      return { ok: true, data: { ...result.data, token: renewed.token, tokenExpiresAt: renewed.expiresAt } };
    },
    "v1:command-ack": (message, { session }) => fleet.registry.commandAck(session, message),
    "v1:deregister": (message, { session }) => fleet.registry.deregister(session, message.reason),
  };
}

/**
 * C4: media events go to the SFU's worker bridge, for registered workers only. `cameraTenant` names the tenant of a
 * camera assigned to the worker: a shared worker pulls other tenants' cameras, and the room is the camera's tenant's.
 */
export function mediaHandlers(
  media: WorkerMediaBridge | null,
  cameraTenant: (workerId: string, cameraId: string) => string | null = () => null,
): Pick<WorkerHandlers, MediaEventName> {
  const clientFor = (ctx: HandlerContext, cameraId: string): WorkerMediaClient | null => {
    const workerId = ctx.registeredWorkerId();
    if (!workerId) return null;
    const { socket } = ctx;
    return {
      socketId: socket.id,
      workerId,
      tenantId: (ctx.session.shared && cameraTenant(workerId, cameraId)) || ctx.session.tenantId,
      address: socket.handshake.address,
      notifyClosed: (cameraId, reason) => socket.emit("v1:media-closed", { cameraId, reason }),
      isConnected: () => socket.connected,
    };
  };
  const withClient =
    <E extends MediaEventName>(
      run: (
        bridge: WorkerMediaBridge,
        client: WorkerMediaClient,
        message: WorkerMessage<E>,
      ) => Promise<WorkerReply<E>> | WorkerReply<E>,
    ): WorkerHandler<E> =>
    (message, ctx) => {
      if (!media) return fail("unavailable", "This server runs no live video service");
      const client = clientFor(ctx, message.cameraId);
      if (!client) return fail("not_registered", "Register before asking for media");
      return run(media, client, message);
    };
  return {
    "v1:media-subscribe": withClient<"v1:media-subscribe">((bridge, client, m) =>
      bridge.subscribe(client, { cameraId: m.cameraId, rtpPort: m.rtpPort }),
    ),
    "v1:media-resume": withClient<"v1:media-resume">((bridge, client, m) => bridge.resume(client, m.cameraId)),
    "v1:media-keyframe": withClient<"v1:media-keyframe">((bridge, client, m) => bridge.keyFrame(client, m.cameraId)),
    "v1:media-unsubscribe": withClient<"v1:media-unsubscribe">((bridge, client, m) =>
      bridge.unsubscribe(client, m.cameraId),
    ),
  };
}

/** Detection handlers for a server built without them: every message answered as unavailable (retry later). */
export const unavailableDetectionHandlers: Pick<WorkerHandlers, DetectionEventName> = {
  "v1:events": () => fail("unavailable", "This server does not store detection events"),
  "v1:detections": () => fail("unavailable", "This server does not relay live detections"),
};
